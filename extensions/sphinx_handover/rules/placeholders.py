"""The markers the templates leave for the author, where they are and what holds them.

The templates write ``[FILL IN]``, ``[FILL IN: owner]``, ``[CONFIRM]``, ``【要記入】``,
``【要記入：担当チーム】`` and ``【要確認】`` wherever the author has work left. Each
marker is found in the package's text as it is read for the secret scan, with the line it
is on. In Markdown, MyST's own parser (markdown-it, configured by MyST) says what holds
it: a need's directive (its options and body), or nothing. The author guides
(``{handover-guide}``) are not published, so a marker in one is no unfilled content;
a marker in a comment is (``rto: 4h  # [CONFIRM]`` says the value shown is not yet
confirmed). Whether a marker blocks is the gate's decision
(:func:`.readiness_rules.placeholders`), made with the needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from markdown_it.token import Token
from myst_parser.parsers.directives import is_option_line
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..untrusted.markdown_html import PARSER, directive_name, parseable

MARKER = re.compile(r"\[\s*(?:FILL IN|CONFIRM)\b[^\]\n]*\]|【\s*(?:要記入|要確認)[^】\n]*】", re.IGNORECASE)

#: The directive of the author's guidance boxes: read by authors in the source, never
#: published, so a marker inside one is no unfilled content.
GUIDE_DIRECTIVE = "handover-guide"
#: Directives whose body is not parsed as Markdown again (code shows markers as written).
_LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "literalinclude", "raw", "eval-rst", "parsed-literal"}
)
_NEED_DIRECTIVES = frozenset({"req", "check", "evidence", "runbook"})
_MARKDOWN = (".md",)
_DATA = (".yaml", ".yml")
_ID_OPTION = re.compile(r"^\s*:id:\s*(\S+)\s*$", re.MULTILINE)
_MAX_DEPTH = 8


def is_placeholder(text: str) -> bool:
    return bool(MARKER.search(text))


@dataclass(frozen=True)
class Marker:
    path: Path
    line: int
    #: The marker as written, e.g. ``[FILL IN: owner]``.
    text: str
    #: The need directive holding it: the line of its opening fence and its :id:.
    need_line: int | None = None
    need_id: str | None = None
    #: The need option the marker's line sets (``owner``), if it is an option line.
    option: str | None = None


def find_markers(texts: Mapping[Path, str | None]) -> list[Marker]:
    """Every marker of the Markdown and YAML files of *texts*, in file and line order."""
    found: list[Marker] = []
    for path, text in texts.items():
        suffix = path.suffix.lower()
        if text is None or suffix not in _MARKDOWN + _DATA or not MARKER.search(text):
            continue
        markers = list(_markers_in(path, text))
        if suffix in _MARKDOWN and parseable(text):
            markers = _placed(markers, list(_blocks(text, 1, 0)), text.splitlines())
        found.extend(markers)
    return found


def _markers_in(path: Path, text: str) -> Iterator[Marker]:
    line, position = 1, 0
    for match in MARKER.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        yield Marker(path, line, match.group(0))


@dataclass(frozen=True)
class _Block:
    """Lines *first* to *last* (1-based, inclusive) of a directive."""

    first: int
    last: int
    kind: str  # "need", or "hidden" for a guide
    need_id: str | None = None
    options_end: int = 0


def _blocks(text: str, first_line: int, depth: int) -> Iterator[_Block]:
    for token in PARSER.parse(text):
        if token.map is None:
            continue
        first, last = first_line + token.map[0], first_line + token.map[1] - 1
        if token.type == "fence":
            yield from _directive_blocks(token, first, last, depth)


def _directive_blocks(token: Token, first: int, last: int, depth: int) -> Iterator[_Block]:
    name = directive_name(token.info)
    if name is None:
        return
    if name == GUIDE_DIRECTIVE:
        yield _Block(first, last, "hidden")
        return
    if name in _NEED_DIRECTIVES:
        options = _leading_options(token.content)
        found = _ID_OPTION.search("\n".join(options))
        yield _Block(first, last, "need", found.group(1) if found else None, first + len(options))
    if name not in _LITERAL_DIRECTIVES and depth < _MAX_DEPTH:
        yield from _blocks(token.content, first + 1, depth + 1)


def _leading_options(content: str) -> list[str]:
    """The ``:name: value`` lines at the start of a directive's body, as MyST reads them."""
    options = []
    for line in content.splitlines():
        if not is_option_line(line):
            break
        options.append(line)
    return options


_OPTION_NAME = re.compile(r"^\s*:([\w-]+):")


def _placed(markers: list[Marker], blocks: list[_Block], lines: list[str]) -> list[Marker]:
    placed = []
    for marker in markers:
        around = [block for block in blocks if block.first <= marker.line <= block.last]
        if any(block.kind == "hidden" for block in around):
            continue
        needs = [block for block in around if block.kind == "need"]
        if not needs:
            placed.append(marker)
            continue
        need = max(needs, key=lambda block: block.first)  # the innermost
        option = None
        if marker.line <= need.options_end and (name := _OPTION_NAME.match(lines[marker.line - 1])):
            option = name.group(1)
        placed.append(Marker(marker.path, marker.line, marker.text, need.first, need.need_id, option))
    return placed


def on_the_site(markers: list[Marker], env: BuildEnvironment, data_path: Path) -> list[tuple[Marker, str | None]]:
    """The markers a reader of the site meets, each with the docname of its page: those
    of the pages Sphinx reads, of the Markdown files they include, and of handover.yaml
    (docname None). A file offered as a download is an artifact, not content."""
    pages = {Path(env.doc2path(docname)): docname for docname in env.found_docs}
    downloads = {Path(env.srcdir, name) for name in env.dlfiles}
    for docname, files in env.dependencies.items():
        for file in files:
            path = Path(file)
            if path.suffix.lower() in _MARKDOWN and path not in downloads:
                pages.setdefault(path, docname)
    shown: list[tuple[Marker, str | None]] = []
    for marker in markers:
        if marker.path == data_path:
            shown.append((marker, None))
        elif (page := pages.get(marker.path)) is not None:
            shown.append((marker, page))
    return shown


class AuthorGuide(SphinxDirective):
    """``{handover-guide}``: guidance for the author, kept in the source for whoever
    updates the package next and never published (the gate skips its markers too)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        return []


def setup_placeholders(app: Sphinx) -> None:
    app.add_directive(GUIDE_DIRECTIVE, AuthorGuide)
