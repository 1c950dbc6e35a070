"""Every handover need the gate counts is shown on its page, where it is written.

The site is how reviewers see what the verdict rests on. sphinx-needs creates a need
from its block whatever surrounds it, so a record could count for READY while its page
shows nothing of it: a block inside ``{only} latex``, inside a container or a section
whose class the theme hides (``only-dark``), or inside another need. Listing such forms
would miss the next one; instead a need's place is allowed, not refused: every block
around its node must be one that shows its content as it is (a section, a list, a quote,
an admonition of a named kind) and carry no class. A need written anywhere else is an
input error at its line. The fields that hide a need or change its box wherever they are
set (``:hide:``, ``:style:``...) are the gate's to refuse (``model.needs``), since
needextend can set them after the page is read; a need that was not made at all
(``:delete:``, a block sphinx-needs refused) counts for nothing and is not reported here.
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


#: Blocks that show what they hold as it is, when they carry no class.
_SHOWING = (
    nodes.section,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.block_quote,
    nodes.attention,
    nodes.caution,
    nodes.danger,
    nodes.error,
    nodes.hint,
    nodes.important,
    nodes.note,
    nodes.tip,
    nodes.warning,
)


def misplaced_needs(doctree: nodes.document, docname: str, written: Mapping[str, int]) -> Iterable[SourceError]:
    """Errors for the needs *written* on the page (id -> line) that it would not show."""
    shown: dict[str, Need] = {}
    for node in doctree.findall(Need):
        for need_id in node["ids"]:
            shown[need_id] = node
    for need_id, line in sorted(written.items(), key=lambda item: item[1]):
        node = shown.get(need_id)
        around = None if node is None else _first_block_around(node)
        if around is not None:
            message = _(
                "{id} is written inside {block}: the site shows every need the verdict counts where it is "
                "written; write it in a section, a list or a note, outside other blocks and without a class"
            ).format(id=need_id, block=around)
            yield SourceError(docname, line, Rule.HIDDEN_NEED, message, need_id)


def _first_block_around(node: nodes.Element) -> str | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if not isinstance(parent, _SHOWING) or parent["classes"]:
            classes = " ".join(parent["classes"])
            return f"{parent.tagname} ({classes})" if classes else parent.tagname
        parent = parent.parent
    return None
