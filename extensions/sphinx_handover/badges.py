"""A status badge on every check, where it is written: done, missing, stale, waived...

sphinx-needs renders a need as a table whose HTML id is the need id; once that has
happened (its doctree-resolved handler), a line with the badge, the due review and
the reason is put just above the table of each check.

A badge can change without its page changing (evidence added on another page, a new
as-of date): pages whose badges differ from what was last written are written again
(:mod:`.page_digests`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from . import state
from .labels import label
from .page_digests import PageDigests
from .render import status_badge
from .verdict import CheckStatus, Verdict


def setup_badges(app: Sphinx) -> None:
    # After sphinx-needs (500) has turned its need nodes into tables.
    app.connect("doctree-resolved", add_check_badges, priority=800)


def pages_with_changed_badges(app: Sphinx, verdict: Verdict) -> set[str]:
    """Docnames holding a check whose badge differs from the one last written."""
    digests = state.of(app).digests.setdefault("badges", PageDigests(app, "badges"))
    return {
        check.docname
        for check in verdict.checks
        if digests.changed(check.id, badge_line(check, verdict.language).astext())
    }


def add_check_badges(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    verdict = state.get_verdict(app)
    if verdict is None:
        return
    checks = {check.id: check for check in verdict.checks_on(docname)}
    if not checks:
        return
    for table in list(doctree.findall(nodes.table)):
        check = next((checks[node_id] for node_id in table["ids"] if node_id in checks), None)
        if check is not None:
            table.parent.insert(table.parent.index(table), badge_line(check, verdict.language))


def badge_line(check: CheckStatus, language: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["handover-check-badge"])
    line += status_badge(language, check.status)
    line += nodes.Text(f" {label(language, 'due')} {check.gate} ({check.due_date})")
    reasons = [record.reason for record in check.evidence if record.reason]
    if check.open and reasons:
        line += nodes.Text(" · ")
        line += nodes.emphasis(text=reasons[0])
    if check.waiver:
        line += nodes.Text(f" · {check.waiver['reason']} ({check.waiver['approved_by']}, ~{check.waiver['expires']})")
    return line

