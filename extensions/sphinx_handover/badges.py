"""A status badge on every check, where it is written: done, missing, stale, waived...

sphinx-needs renders a need as a table whose HTML id is the need id; once that has
happened (its doctree-resolved handler), a line with the badge, the due review and
the reason is put just above the table of each check.

A badge can change without its page changing (evidence added on another page, a new
as-of date). Each build compares every badge with what the last successful build
wrote (kept beside the doctrees) and has the pages whose badges differ written again;
a page whose badges are unchanged is not written, which keeps a one-page edit cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from . import state
from .labels import label
from .render import status_badge
from .verdict import CheckStatus, Verdict

_WRITTEN = "handover-badges.json"


def setup_badges(app: Sphinx) -> None:
    # After sphinx-needs (500) has turned its need nodes into tables.
    app.connect("doctree-resolved", add_check_badges, priority=800)
    app.connect("build-finished", _remember_badges)


def pages_with_changed_badges(app: Sphinx, verdict: Verdict) -> set[str]:
    """Docnames holding a check whose badge differs from the one last written."""
    current = {check.id: _signature(check, verdict.language) for check in verdict.checks}
    state.of(app).badges = current
    try:
        written = json.loads(_written_path(app).read_text("utf-8"))
    except (OSError, ValueError):
        written = {}
    return {check.docname for check in verdict.checks if written.get(check.id) != current[check.id]}


def _remember_badges(app: Sphinx, exception: Exception | None) -> None:
    badges = state.of(app).badges
    if exception is not None or badges is None or app.builder.format != "html":
        return
    path = _written_path(app)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(badges, ensure_ascii=False, sort_keys=True), "utf-8")
    os.replace(temporary, path)


def _written_path(app: Sphinx) -> Path:
    return Path(app.doctreedir, _WRITTEN)


def _signature(check: CheckStatus, language: str) -> str:
    # A digest: the badge may quote text that is redacted on the page.
    return hashlib.sha256(badge_line(check, language).astext().encode()).hexdigest()


def add_check_badges(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    verdict = state.get_verdict(app)
    if verdict is None:
        return
    checks = {check.id: check for check in verdict.checks if check.docname == docname}
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

