"""``{handover-signoffs}``: the sign-offs and, for each review whose latest sign-off is
stale, what changed since it (a page reviewers open at the next review)."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..i18n.messages import _
from ..integration import state
from .directives import add_live_view, live_view
from .signoff_view import minutes, signoff_section


class signoffs_panel(live_view):
    """Placeholder for the sign-offs and the changes since them."""


def setup_signoff_page(app: Sphinx) -> None:
    add_live_view(app, "handover-signoffs", signoffs_panel, _render, searchable=False)


def _render(app: Sphinx, docname: str) -> list[nodes.Node]:
    verdict = state.get_verdict(app)
    if verdict is None:
        return []
    if not verdict.signoffs:
        return [
            nodes.paragraph(
                text=_("No sign-off is recorded yet: the accountable role records one with 'handover signoff'.")
            )
        ]
    shown: list[nodes.Node] = signoff_section(verdict, state.of(app).data.structured.roles)
    for status in verdict.signoffs:
        if status.current or status.superseded:
            continue
        record = status.signoff
        heading = _("Changes since the {review} sign-off by {by} ({at})").format(
            review=record.review, by=record.by, at=minutes(record.at)
        )
        changes = nodes.bullet_list()
        for change in status.changes:
            changes += nodes.list_item("", nodes.paragraph(text=change))
        container = nodes.container(classes=["handover-signoff-changes"])
        container += [nodes.rubric(text=heading), changes]
        shown.append(container)
    return shown
