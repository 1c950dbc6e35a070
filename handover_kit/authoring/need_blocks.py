"""Need directives as written in a package's Markdown pages, with their source lines.

The commands that edit records (``handover evidence add``, ``handover rehash``) must
find a need where it is written without building the package. The pages are parsed
with MyST's own Markdown parser and its own option parser, so a fence that is shown
as code, a commented line or a quoted option value reads as the build reads it.
Only pages the build reads are taken (the package's ``.md`` files outside
``_build``, ``evidence/`` and hidden folders, never a link leading out of it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from sphinx_handover.model import option_block
from sphinx_handover.untrusted.confinement import Confinement
from sphinx_handover.untrusted.reading_limits import MAX_LINE

from ..errors import UserError

_DIRECTIVE = re.compile(r"\{(?P<name>[A-Za-z0-9_+:.-]+)\}[ \t]*(?P<argument>.*)")
#: Directives whose content is not Markdown: a need written inside one is only text.
_LITERAL = frozenset(
    {
        "code-block", "code", "sourcecode", "code-cell", "literalinclude", "raw", "math",
        "eval-rst", "csv-table", "graphviz", "graph", "digraph", "mermaid", "toctree",
        "parsed-literal", "include", "needimport", "uml", "plantuml",
    }
)  # fmt: skip
_SKIPPED_FOLDERS = ("_build", "evidence")  # at the package root, as the build excludes them


@dataclass(frozen=True)
class Page:
    """A page's text as read, to be written back only if it is still the same."""

    path: Path
    text: str
    raw: bytes

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines(keepends=True)


@dataclass(frozen=True)
class NeedBlock:
    """One directive block: ``{type} title``, its options and where each is written.

    Lines are 0-based indexes into the page's lines.
    """

    page: Page
    type: str
    title: str
    options: dict[str, str]
    option_lines: dict[str, int]
    open_line: int
    #: The closing fence's line, or None when the fence runs to the end of its container.
    close_line: int | None
    #: What precedes the fence on its line (indentation, ``>`` of a quote).
    prefix: str
    fence: str

    @property
    def id(self) -> str:
        return self.options.get("id", "").strip()

    @property
    def lineno(self) -> int:
        return self.open_line + 1


def markdown_pages(root: Path) -> Iterator[Path]:
    """The Markdown pages the build reads, in a stable order."""
    guard = Confinement.of(root)
    for folder, subfolders, names in os.walk(root, followlinks=False):
        base = Path(folder)
        subfolders[:] = sorted(
            name for name in subfolders
            if not name.startswith(".") and name != "__pycache__"
            and not (base == root and name in _SKIPPED_FOLDERS)
            and guard.contains(base / name) and not (base / name).is_symlink()
        )  # fmt: skip
        for name in sorted(names):
            path = base / name
            is_page = name.endswith(".md") and not name.startswith(".") and not (base == root and name == "README.md")
            if is_page and guard.contains(path) and path.is_file():
                yield path


def read_page(path: Path) -> Page:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UserError(f"{os.path.relpath(path)}:{line}: is not valid UTF-8 text (save it as UTF-8)") from None
    for number, content in enumerate(text.splitlines(), start=1):
        if len(content) > MAX_LINE:  # markdown-it can take minutes on one; the build refuses it too
            raise UserError(
                f"{os.path.relpath(path)}:{number}: a line of {len(content)} characters, over the {MAX_LINE} a page may have"
            )
    return Page(path, text, raw)


def need_blocks(page: Page) -> list[NeedBlock]:
    """Every directive block of *page*, nested ones too, in page order."""
    lines = page.text.splitlines()
    blocks: list[NeedBlock] = []
    _collect(page, lines, "\n".join(lines), 0, blocks)
    return sorted(blocks, key=lambda block: block.open_line)


def package_blocks(root: Path) -> list[NeedBlock]:
    return [block for path in markdown_pages(root) for block in need_blocks(read_page(path))]


def _collect(page: Page, lines: list[str], text: str, offset: int, found: list[NeedBlock]) -> None:
    for token in _parser().parse(text):
        source = token.map if token.type == "fence" else None
        match = _DIRECTIVE.fullmatch(token.info.strip()) if source else None
        if source is None or match is None:
            continue
        block, option_count = _block(page, lines, token, (offset + source[0], offset + source[1] - 1), match)
        found.append(block)
        body = token.content.splitlines()[option_count:]
        if match["name"] not in _LITERAL and any(line.strip() for line in body):
            _collect(page, lines, "\n".join(body), block.open_line + 1 + option_count, found)


def _block(
    page: Page, lines: list[str], token: Token, span: tuple[int, int], match: re.Match[str]
) -> tuple[NeedBlock, int]:
    """The block of fence *token*, whose first and last lines in the page are *span*."""
    open_line, last = span
    opening = lines[open_line]
    prefix = opening[: opening.find(token.markup)] if token.markup in opening else ""
    closing = lines[last].strip().lstrip(">").strip() if last > open_line else ""
    closed = bool(closing) and set(closing) == {token.markup[0]} and len(closing) >= len(token.markup)
    options = option_block.read(token.content.splitlines(), open_line + 1)
    block = NeedBlock(
        page=page,
        type=match["name"],
        title=match["argument"].strip(),
        options=options.options,
        option_lines=options.lines,
        open_line=open_line,
        close_line=last if closed else None,
        prefix=prefix,
        fence=token.markup,
    )
    return block, options.length


@cache
def _parser() -> MarkdownIt:
    return create_md_parser(MdParserConfig(), RendererHTML)
