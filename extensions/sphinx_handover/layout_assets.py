"""The site's layout on phones, tablets and desktops: tables that scroll in their own box
or stack as cards, words kept whole, charts and diagrams at a legible size. A stylesheet
of its own (static/handover-layout.css), loaded after handover.css.

Browsers break a line after any hyphen, so a date (2026-11-10), a review (T-30), a time
range (9:00-18:00) or a contract number (K-2026-014) in a narrow table cell would be cut
in two; CSS cannot forbid that break. In the generated tables each such short hyphenated
token is put in a ``span.handover-nobr`` (``white-space: nowrap``). Links and code (paths,
ids) are left alone: a path may wrap after its ``/`` and ``-``."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

_STYLESHEET = Path(__file__).parent / "static" / "handover-layout.css"
#: The tables whose tokens are kept whole (render.py, data_render.py, overview.py, ...).
_TABLES = {"handover-data", "handover-checklist", "handover-blocking", "handover-placeholders", "handover-traceability"}
#: A short hyphenated token: a date, a review, a time range, a contract or ticket number.
_TOKEN = re.compile(r"(?<![\w./-])[\w.:]+(?:-[\w.:]+)+(?![\w/-])", re.ASCII)
_MAX_TOKEN = 24


def setup_layout_assets(app: Sphinx) -> None:
    app.add_css_file(_STYLESHEET.name)
    # After the live views are filled (500) and secrets redacted (990), before the last
    # sanitizing pass (999).
    app.connect("doctree-resolved", keep_tokens_whole, priority=996)
    app.connect("build-finished", _copy_stylesheet)


def keep_tokens_whole(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for table in doctree.findall(nodes.table):
        if _TABLES.intersection(table["classes"]):
            for text in list(table.findall(nodes.Text)):
                if not isinstance(text.parent, (nodes.literal, nodes.reference, nodes.raw)):
                    _wrap_tokens(text)


def _wrap_tokens(text: nodes.Text) -> None:
    value = str(text)
    parts: list[nodes.Node] = []
    start = 0
    for match in _TOKEN.finditer(value):
        if len(match.group()) > _MAX_TOKEN:
            continue
        if match.start() > start:
            parts.append(nodes.Text(value[start : match.start()]))
        parts.append(nodes.inline(match.group(), match.group(), classes=["handover-nobr"]))
        start = match.end()
    if parts:
        if start < len(value):
            parts.append(nodes.Text(value[start:]))
        parent = text.parent
        index = parent.index(text)
        parent[index : index + 1] = parts


def _copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_asset_file(_STYLESHEET, Path(app.outdir, "_static"), force=True)
