"""Raw HTML that would run in a reviewer's browser: ``<script>``, event-handler
attributes (``onclick=``...), ``javascript:`` URLs. Reported as
``handover.unsafe_html`` at its line, and neutralised in the pages either way."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from . import state

_PATTERNS = (
    ("<script>", re.compile(r"<\s*script\b", re.I)),
    ("event-handler attribute", re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript\s*:", re.I)),
)
_SOURCES = (".md", ".markdown", ".rst", ".html")


@dataclass(frozen=True)
class UnsafeMarkup:
    path: Path
    line: int
    kind: str


def scan(texts: Mapping[Path, str | None]) -> list[UnsafeMarkup]:
    found = []
    for path, text in texts.items():
        if path.suffix.lower() not in _SOURCES or text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            kinds = [kind for kind, pattern in _PATTERNS if pattern.search(line)]
            if kinds:
                found.append(UnsafeMarkup(path, number, kinds[0]))
    return found


def setup_unsafe_html(app: Sphinx) -> None:
    app.connect("doctree-resolved", neutralise, priority=995)


def neutralise(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Whatever the verdict, no unsafe raw HTML or javascript: link reaches a page."""
    if not state.of(app).unsafe_html:
        return
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and any(p.search(raw.astext()) for _, p in _PATTERNS):
            raw.replace_self(nodes.literal_block(raw.astext(), raw.astext()))
    for reference in doctree.findall(nodes.reference):
        if _PATTERNS[2][1].match(reference.get("refuri", "").strip()):
            del reference["refuri"]
