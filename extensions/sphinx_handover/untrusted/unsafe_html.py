"""Reporting raw HTML that would run or load something in a reviewer's browser.

Every piece of HTML a package writes reaches the pages only through the allow-list
sanitizer (:mod:`.html_sanitizing`), so nothing here decides what is published. This
tells the author, as ``handover.unsafe_html`` at its file:line, where the sanitizer
will drop something executable: an element that runs, loads or submits (``<script>``,
``<iframe>``, ``<object>``, ``<form>``, ``<base>``, ``<meta http-equiv>``...), an
event-handler attribute, ``srcdoc``, a style calling a CSS function, or a URL whose
scheme (decoded and stripped as a browser does) is not http, https or mailto. It runs
before any document is read, on the files the scan cache does not know, so ``handover
check`` reports the same. Start tags are found by a tokenizer that follows the HTML
standard (:mod:`.html_tokens`), in linear time; HTML shown as code in Markdown (a
fenced or indented block, a code span) is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx

from .html_policy import url_is_allowed, url_scheme
from .html_tokens import StartTag, Tokenizer, start_tags
from .markdown_html import html_pieces, parseable

_SOURCES = (".md", ".markdown", ".rst", ".html", ".htm", ".txt")
_MARKDOWN = (".md", ".markdown")

#: Elements that run script, load or frame another document, submit, or change how the
#: page or its links are resolved. Others outside the allow-list (``<font>``, ``<svg>``)
#: are dropped quietly: nothing of theirs runs.
_ACTIVE_ELEMENTS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
        "link", "form", "portal", "fencedframe", "animate", "set", "handler", "listener",
    }
)  # fmt: skip
#: Attributes holding a URL that a browser loads or follows.
_URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
        "cite", "codebase", "dynsrc", "lowsrc", "ping", "archive", "classid", "longdesc",
        "usemap", "manifest", "icon", "profile", "xml:base", "srcset",
    }
)  # fmt: skip


@dataclass(frozen=True)
class UnsafeMarkup:
    path: Path
    line: int
    kind: str


def executable_kind(tag: StartTag) -> str | None:
    """What in *tag* would run or load something, in words, or None."""
    if tag.name in _ACTIVE_ELEMENTS or (tag.name == "meta" and _has(tag, "http-equiv")):
        return f"<{tag.name}>"
    for name, value in tag.attributes:
        if name.startswith("on") and len(name) > 2:
            return f"event-handler attribute ({name})"
        if name in ("srcdoc", "http-equiv"):
            return f"{name} attribute"
        if name == "style" and "(" in value:
            return "style attribute calling a CSS function"
        if name in _URL_ATTRIBUTES:
            kind = _url_kind(name, value)
            if kind:
                return kind
    return None


def _url_kind(attribute: str, value: str) -> str | None:
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
    for url in urls:
        if not url_is_allowed(url):
            return f"{url_scheme(url)}: URL in {attribute}"
    return None


def _has(tag: StartTag, attribute: str) -> bool:
    return any(name == attribute for name, _ in tag.attributes)


def findings_in(text: str, markdown: bool) -> Iterator[tuple[int, str]]:
    """(line, kind) of each line holding executable markup, once per line, in order.

    Markdown is first read as if it were all HTML (one linear pass); only when that
    finds something, or passed over text a Markdown reader would look into, is it
    parsed as MyST parses it to find where its HTML really is (unless a paragraph is
    too long to parse in linear time: then the first reading stands).
    """
    tokenizer = Tokenizer(text)
    quick = list(_executable(tokenizer.tags()))
    if not markdown or not (quick or tokenizer.hid_text) or not parseable(text):
        yield from _once_per_line(text, 1, quick)
        return
    reported: set[int] = set()
    for first_line, piece in html_pieces(text):
        for line, kind in _once_per_line(piece, first_line, _executable(start_tags(piece))):
            if line not in reported:
                reported.add(line)
                yield line, kind


def _executable(tags: Iterable[StartTag]) -> Iterator[tuple[int, str]]:
    for tag in tags:
        kind = executable_kind(tag)
        if kind is not None:
            yield tag.start, kind


def _once_per_line(text: str, first_line: int, found: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Offsets (growing) mapped to lines, counted incrementally so the whole is linear."""
    offset, line, last = 0, first_line, None
    for start, kind in found:
        line += text.count("\n", offset, start)
        offset = start
        if line != last:
            last = line
            yield line, kind


def scan(texts: Mapping[Path, str | None]) -> list[UnsafeMarkup]:
    found = []
    for path, text in texts.items():
        suffix = path.suffix.lower()
        if suffix not in _SOURCES or text is None or "<" not in text:
            continue
        for line, kind in findings_in(text, markdown=suffix in _MARKDOWN):
            found.append(UnsafeMarkup(path, line, kind))
    return found


def setup_unsafe_html(app: Sphinx) -> None:
    """Every page's HTML through the sanitizer, every page's template values escaped and
    under a Content-Security-Policy."""
    from .html_sanitizing import setup_html_sanitizing
    from .page_security import setup_page_security

    setup_html_sanitizing(app)
    setup_page_security(app)
