"""Every handover need the gate counts is shown on its page, where it is written.

The site is how reviewers see what the verdict rests on. sphinx-needs creates a need
from its block whatever surrounds it, so a record could count for READY while its page
shows nothing: ``:hide:`` or ``:delete:``, a block inside ``{only} latex``, or inside a
container or section whose class the theme hides (``only-dark``). Listing such forms
would miss the next one; instead a need's place is allowed, not refused: its node must
be in the page's tree, and every block around it a section without classes. A need
written anywhere else is an input error at its line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.nodes import Need

from ..i18n.messages import _
from ..rules.rules_table import Rule
from .need_sources import SourceError, record_source_error, written_on


def setup_need_placement(app: Sphinx) -> None:
    app.connect("doctree-read", _check_placement)


def _check_placement(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    for error in misplaced_needs(doctree, env.docname, written_on(env, env.docname)):
        record_source_error(env, error)


def misplaced_needs(doctree: nodes.document, docname: str, written: Mapping[str, int]) -> Iterable[SourceError]:
    """Errors for the needs *written* on the page (id -> line) that it would not show."""
    shown: dict[str, Need] = {}
    for node in doctree.findall(Need):
        for need_id in node["ids"]:
            shown[need_id] = node
    for need_id, line in sorted(written.items(), key=lambda item: item[1]):
        node = shown.get(need_id)
        if node is None:
            message = _(
                "{id} is not shown on its page (:hide: or :delete:): the site shows every need the verdict counts; "
                "remove the option"
            ).format(id=need_id)
            yield SourceError(docname, line, Rule.HIDDEN_NEED, message, need_id)
            continue
        around = _first_block_around(node)
        if around is not None:
            message = _(
                "{id} is written inside {block}: the site shows every need the verdict counts where it is "
                "written; write it at a section's level, outside other blocks and without a class"
            ).format(id=need_id, block=around)
            yield SourceError(docname, line, Rule.HIDDEN_NEED, message, need_id)


def _first_block_around(node: nodes.Element) -> str | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if not isinstance(parent, nodes.section) or parent["classes"]:
            classes = " ".join(parent["classes"])
            name = parent.tagname if not isinstance(parent, nodes.section) else "section"
            return f"{name} ({classes})" if classes else name
        parent = parent.parent
    return None
