"""The site's layout on phones, tablets and desktops: tables that scroll in their own box
or stack as cards, words kept whole, charts and diagrams at a legible size. A stylesheet
of its own (static/handover-layout.css), loaded after handover.css.

Browsers break a line after any hyphen, so a date (2026-11-10), a review (T-30), a time
range (9:00-18:00) or a contract number (K-2026-014) in a narrow table cell would be cut
in two; CSS cannot forbid that break, nor keep a Japanese duration (1時間30分, 4日前)
together without keeping whole sentences together. In the generated tables each such
token is put in a ``span.handover-nobr`` (``white-space: nowrap``). Links and code (paths,
ids) are left alone: a path may wrap after its ``/`` and ``-``. A full hash (64 hex
digits, wider than a phone) goes in a ``span.handover-longhex`` that may wrap anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ..integration.check_builder import only_for_pages, writes_site

_STYLESHEET = Path(__file__).parents[1] / "static" / "handover-layout.css"
#: The tables whose tokens are kept whole (render.py, data_render.py, overview.py, ...).
_TABLES = {"handover-data", "handover-checklist", "handover-blocking", "handover-placeholders", "handover-traceability"}
#: A short hyphenated token: a date, a review, a time range, a contract or ticket number.
_TOKEN = re.compile(r"(?<![\w./-])[\w.:]+(?:-[\w.:]+)+(?![\w/-])", re.ASCII)
_MAX_TOKEN = 24
_LONG_HEX = re.compile(r"[0-9a-fA-F]{32,}")
#: A duration or an age written in Japanese: 1時間30分, 24時間365日, 4日前, 15分以内.
_JA_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:時間|分|秒|日|週間|か月|ヶ月|年))+(?:前|以内|後)?")
_IN_TEXT = ((_TOKEN, "handover-nobr"), (_JA_DURATION, "handover-nobr"), (_LONG_HEX, "handover-longhex"))
_IN_CODE = ((_LONG_HEX, "handover-longhex"),)  # links and code: paths and ids wrap as they are
#: The readiness panel's lines of dates, reviews and counts (render.readiness).
_PANEL_LINES = {"handover-when", "handover-counts", "handover-signed"}
#: The package's own tables (Markdown): a short hyphenated token kept whole in text and
#: in code too (ec-order-cache, K-2026-014 were cut after each hyphen in a phone's narrow
#: columns); a path (with "/") still wraps after its "/" and "-".
_IN_AUTHORS_TABLE = _IN_TEXT


def setup_layout_assets(app: Sphinx) -> None:
    app.add_css_file(_STYLESHEET.name)
    # After the live views are filled (500) and secrets redacted (990), before the last
    # sanitizing pass (999).
    app.connect("doctree-resolved", only_for_pages(keep_tokens_whole), priority=996)
    app.connect("build-finished", _copy_stylesheet)


def keep_tokens_whole(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The generated tables' tokens, and the readiness panel's lines (a date broke at its
    hyphen on a phone: "基準日 2026-" / "11-20"); in sphinx-needs' boxes only the hashes (an
    evidence record's sha256 made its box wider than a phone)."""
    for paragraph in doctree.findall(nodes.paragraph):
        if _PANEL_LINES.intersection(paragraph["classes"]):
            for text in list(paragraph.findall(nodes.Text)):
                _wrap(text, _IN_TEXT)
    for table in doctree.findall(nodes.table):
        ours = bool(_TABLES.intersection(table["classes"]))
        needs = "need" in table["classes"] or any("need" in node["classes"] for node in _ancestors(table))
        for text in list(table.findall(nodes.Text)):
            if isinstance(text.parent, nodes.raw):
                continue
            if ours:
                code = isinstance(text.parent, (nodes.literal, nodes.reference))
                _wrap(text, _IN_CODE if code else _IN_TEXT)
            else:
                _wrap(text, _IN_CODE if needs else _IN_AUTHORS_TABLE)


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _wrap(text: nodes.Text, rules: tuple[tuple[re.Pattern[str], str], ...]) -> None:
    """Put each match of a rule's pattern in an inline with the rule's class."""
    value = str(text)
    matches = sorted(
        (match.start(), match.end(), css)
        for pattern, css in rules
        for match in pattern.finditer(value)
        if pattern is not _TOKEN or len(match.group()) <= _MAX_TOKEN
    )
    parts: list[nodes.Node] = []
    start = 0
    for begin, end, css in matches:
        if begin < start:
            continue
        if begin > start:
            parts.append(nodes.Text(value[start:begin]))
        parts.append(nodes.inline(value[begin:end], value[begin:end], classes=[css]))
        start = end
    if parts:
        if start < len(value):
            parts.append(nodes.Text(value[start:]))
        parent = text.parent
        index = parent.index(text)
        parent[index : index + 1] = parts


def _copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and writes_site(app):
        copy_asset_file(_STYLESHEET, Path(app.outdir, "_static"), force=True)
