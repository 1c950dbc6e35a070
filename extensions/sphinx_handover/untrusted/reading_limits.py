"""A page whose shape exhausts the parser is an error at its line, not a crash or a hang.

MyST's include has no guard against a file including itself, and markdown-it and
docutils recurse once per level of nesting (a list in a quote in a list, thousands
deep): either ends in Python's RecursionError, which Sphinx does not catch. The
Markdown parser is replaced by one that catches it for the page being read (any
reST inside, through ``eval-rst``, is parsed within the same call), keeps nothing of
the partial page and records the error where the gate reports input errors. It reads
every page with the package's settings (:mod:`.page_settings`).

markdown-it's inline rules cost about 20 µs per character of a line of ``<`` or ``[``
(a minute for a 5 MB line): a line over :data:`MAX_LINE` characters, which no written
text needs, is refused before the parser sees the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..i18n.messages import _
from ..integration.need_sources import SourceError, first_line_where, record_source_error
from ..rules.rules_table import Rule
from .page_settings import read_with_package_settings

MAX_LINE = 100_000


class BoundedMystParser(MystParser):
    def parse(self, inputstring: str, document: nodes.document) -> None:
        try:
            read_with_package_settings(inputstring, document)
        except RecursionError:
            env = document.settings.env
            document.children = []
            read_with_package_settings("", document)  # what MyST sets up for the transforms that follow
            message = _(
                "nested too deeply to read (an include of the page itself, or thousands of nested "
                "lists or quotes): nothing of this page is published; remove the include or flatten the nesting"
            )
            document += nodes.paragraph(text=message)
            record_source_error(env, SourceError(env.docname, 1, Rule.PAGE_LIMITS, message))


def refuse_long_lines(app: Sphinx, docname: str, source: list[str]) -> None:
    start = 0
    text = source[0]
    for number, line_end in enumerate(_line_ends(text), start=1):
        if line_end - start > MAX_LINE:
            message = _(
                "line {line} is {length:,} characters long, over the {limit:,} a page's line may be: "
                "nothing of this page is published; break the line, or keep the data in a file under evidence/"
            ).format(line=number, length=line_end - start, limit=MAX_LINE)
            record_source_error(app.env, SourceError(docname, number, Rule.PAGE_LIMITS, message))
            source[0] = message + "\n"
            return
        start = line_end + 1


def _line_ends(text: str) -> list[int]:
    ends = [match.start() for match in _NEWLINE.finditer(text)]
    return [*ends, len(text)]


_NEWLINE = re.compile("\n")


def break_toctree_cycles(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """A toctree that leads back to a page above it sends Sphinx's relations walk into
    endless recursion: each link that closes a cycle is dropped and reported at its page."""
    includes = env.toctree_includes
    state = dict.fromkeys(includes, 0)  # 0 new, 1 on the current path, 2 done
    for start in sorted(includes):
        if state[start]:
            continue
        state[start] = 1
        path = [(start, iter(list(includes.get(start, ()))))]
        while path:
            docname, children = path[-1]
            child = next(children, None)
            if child is None:
                state[docname] = 2
                path.pop()
            elif state.get(child) == 1:
                includes[docname].remove(child)
                message = _(
                    "the toctree lists {child}, a page above this one: the cycle is cut here; remove {child} from this toctree"
                ).format(child=child)
                name = child.rsplit("/", 1)[-1]
                line = first_line_where(env, docname, _ends_with(name))
                record_source_error(env, SourceError(docname, line, Rule.PAGE_LIMITS, message))
            elif child in state and state[child] == 0:
                state[child] = 1
                path.append((child, iter(list(includes.get(child, ())))))
    return []


def _ends_with(name: str) -> Callable[[str], bool]:
    """Whether a source line ends with *name*, as the toctree entry that lists it does."""
    return lambda text: text.strip().endswith(name)


def setup_reading_limits(app: Sphinx) -> None:
    app.connect("env-updated", break_toctree_cycles)
    app.add_source_parser(BoundedMystParser, override=True)
    # Before redaction and everything else that reads the text (500).
    app.connect("source-read", refuse_long_lines, priority=100)
