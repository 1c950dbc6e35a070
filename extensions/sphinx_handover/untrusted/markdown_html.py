"""The HTML a Markdown text really holds, with the line each piece starts at.

Markdown is not HTML: ``<iframe src=x>`` in an indented code block is code, an HTML
block ends at a blank line, and ``<b title="x`` followed by a blank line is text. So the
unsafe-markup report asks MyST's own parser (markdown-it, configured by MyST) where the
HTML is: HTML blocks, inline HTML, the body of ``{raw} html`` and of ``{eval-rst}``, and,
inside every other directive that is not a code directive (a need's body and options
are Markdown too), the same again, parsed as MyST parses it. markdown-it is linear on the
inputs that make Python's ``html.parser`` quadratic (a long line of ``<a ``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

#: Directives whose body is shown as code: never HTML.
_CODE_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "code-cell", "literalinclude", "parsed-literal"})
#: Directives whose body is markup rather than Markdown: scanned as HTML as a whole.
_MARKUP_DIRECTIVES = frozenset({"raw", "eval-rst"})
#: Directive bodies are parsed again at most this deep (each level parses its body anew).
_MAX_DEPTH = 8

PARSER = create_md_parser(MdParserConfig(), RendererHTML)


#: markdown-it with MyST's plugins takes time that grows with the square of a
#: paragraph's length (its role and text rules slice the rest of the paragraph at each
#: ``<``); past this many characters without a blank line, the text is not parsed here.
MAX_PARAGRAPH = 20_000
#: Nor a text longer than this: a page is rarely a tenth of it.
MAX_TEXT = 2_000_000
_BLANK_LINES = re.compile(r"\n[\t\f\r ]*\n")


def parseable(text: str) -> bool:
    """Whether *text* is short enough, and has no paragraph so long, that parsing it
    would take more than seconds."""
    if len(text) > MAX_TEXT:
        return False
    start = 0
    for blank in _BLANK_LINES.finditer(text):
        if blank.start() - start > MAX_PARAGRAPH:
            return False
        start = blank.end()
    return len(text) - start <= MAX_PARAGRAPH


def html_pieces(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line where it starts, HTML) for every piece of HTML in Markdown *text*."""
    yield from _pieces(text, 1, 0)


def _pieces(text: str, first_line: int, depth: int) -> Iterator[tuple[int, str]]:
    for token in PARSER.parse(text):
        if token.map is None:
            continue
        line = first_line + token.map[0]
        if token.type == "html_block":
            yield line, token.content
        elif token.type == "inline":
            yield from _inline_pieces(token, line)
        elif token.type == "fence":
            yield from _directive_pieces(token, line, depth)


def _inline_pieces(token: Token, line: int) -> Iterator[tuple[int, str]]:
    """Inline HTML of a paragraph, heading or table cell, each at its own line."""
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            yield line, child.content
            line += child.content.count("\n")


def _directive_pieces(token: Token, line: int, depth: int) -> Iterator[tuple[int, str]]:
    name = directive_name(token.info)
    if name is None or name in _CODE_DIRECTIVES:
        return
    body_first, body = line + 1, token.content
    if name in _MARKUP_DIRECTIVES:
        yield body_first, body
    elif depth < _MAX_DEPTH:
        yield from _pieces(body, body_first, depth + 1)
    else:
        yield body_first, body  # nested too deep to follow: all of it counts as HTML


def directive_name(info: str) -> str | None:
    info = info.strip()
    if not info.startswith("{") or "}" not in info:
        return None
    return info[1 : info.index("}")].strip().lower()
