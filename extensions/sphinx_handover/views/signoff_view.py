"""The sign-offs on the dashboard: per review, who decided what, when, and whether the
decision still covers the current content (see signoff_rules)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.application import Sphinx

from ..i18n.messages import _
from ..integration.check_builder import only_for_pages
from ..model.timeline import REVIEWS
from ..rules.signoff_fingerprint import NEED_FINGERPRINT
from .tables import table

if TYPE_CHECKING:
    from ..model.organisation import Role
    from ..rules.verdict import SignoffStatus, Verdict


def signoff_section(verdict: Verdict, roles: dict[str, Role]) -> list[nodes.Node]:
    """A heading and the table of sign-offs, nothing when there is none."""
    if not verdict.signoffs:
        return []

    ordered = sorted(verdict.signoffs, key=lambda status: (REVIEWS[status.signoff.review], status.signoff.line))
    headers = [_("Review"), _("Decision"), _("Who"), _("Role"), _("When"), _("Status")]
    rows = [_row(status, roles) for status in ordered]
    classes = [["handover-signoff", _state_class(status)] for status in ordered]
    heading = nodes.rubric(text=_("Sign-offs"))
    return [
        heading,
        table(headers, rows, classes=["handover-signoffs"], widths=(10, 22, 14, 13, 14, 27), row_classes=classes),
    ]


def _row(status: SignoffStatus, roles: dict[str, Role]) -> list[str]:
    record = status.signoff
    decision = {"go": _("go"), "no-go": _("no-go"), "conditional": _("conditional go")}[record.decision]
    if record.conditions:
        decision = _("{decision}: {conditions}").format(decision=decision, conditions=_("; ").join(record.conditions))
    role = roles[record.role].name if record.role in roles and roles[record.role].name else record.role
    return [record.review, decision, record.by, role, minutes(record.at), _state_text(status)]


def minutes(at: str) -> str:
    """The time of a decision to the minute, with its offset: ``2026-11-20 17:00+09:00``."""
    try:
        return dt.datetime.fromisoformat(at).isoformat(sep=" ", timespec="minutes")
    except ValueError:
        return at.replace("T", " ")


def _state_class(status: SignoffStatus) -> str:
    if status.superseded:
        return "superseded"
    return "current" if status.current else "stale"


def _state_text(status: SignoffStatus) -> str:
    if status.superseded:
        return _("superseded by a later sign-off")
    if status.current:
        return _("current: the content is as approved")
    return _("stale: {changes}").format(changes=_("; ").join(status.changes))


def setup_signoff_view(app: Sphinx) -> None:
    # After sphinx-needs drew the need boxes (500), before they are relabelled (600).
    app.connect("doctree-resolved", only_for_pages(_hide_need_fingerprints), priority=550)


def _hide_need_fingerprints(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The per-need digest is for sign-offs, not for readers of the need box."""
    for node in list(doctree.findall(nodes.inline)):
        if f"needs_{NEED_FINGERPRINT}" in node["classes"]:
            line = node.parent if isinstance(node.parent, nodes.line) else node
            line.parent.remove(line)
