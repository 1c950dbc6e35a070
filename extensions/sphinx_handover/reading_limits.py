"""A page whose shape exhausts the parser is an error at its line, not a crash.

MyST's include has no guard against a file including itself, and markdown-it and
docutils recurse once per level of nesting (a list in a quote in a list, thousands
deep): either ends in Python's RecursionError, which Sphinx does not catch. The
Markdown parser is replaced by one that catches it for the page being read (any
reST inside, through ``eval-rst``, is parsed within the same call), keeps nothing of
the partial page and records the error where the gate reports input errors.
"""

from __future__ import annotations

from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx

from .messages import _
from .need_sources import SourceError, record_source_error
from .rules_table import Rule


class BoundedMystParser(MystParser):
    def parse(self, inputstring: str, document: nodes.document) -> None:
        try:
            super().parse(inputstring, document)
        except RecursionError:
            env = document.settings.env
            document.children = []
            super().parse("", document)  # what MyST sets up for the transforms that follow
            message = _(
                "nested too deeply to read (an include of the page itself, or thousands of nested "
                "lists or quotes): nothing of this page is published"
            )
            document += nodes.paragraph(text=message)
            record_source_error(env, SourceError(env.docname, 1, Rule.TOO_DEEP, message))


def setup_reading_limits(app: Sphinx) -> None:
    app.add_source_parser(BoundedMystParser, override=True)
