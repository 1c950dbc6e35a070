"""Status marked where a need is written: a badge on every check (done, missing,
stale, waived...), on every evidence record that does not count (failed, stale,
invalid, with why) and on every requirement no check verifies.

sphinx-needs renders a need as a table whose HTML id is the need id; once that has
happened (its doctree-resolved handler), a line with the badge is put just above the
table, and the table gets a class saying its status (``handover-box-missing``...), so
a reader following a link to it sees at once what is wrong there.

A badge can change without its page changing (evidence added on another page, a new
as-of date): pages whose badges differ from what was last written are written again
(:mod:`.page_digests`).
"""

from __future__ import annotations

import weakref

from docutils import nodes
from sphinx.application import Sphinx

from ..i18n.labels import label
from ..integration import state
from ..integration.check_builder import only_for_pages
from ..integration.page_digests import PageDigests
from ..rules.rules_table import Rule
from ..rules.verdict import CheckStatus, EvidenceStatus, Verdict
from .render import status_badge


def setup_badges(app: Sphinx) -> None:
    # After sphinx-needs (500) has turned its need nodes into tables.
    app.connect("doctree-resolved", only_for_pages(add_check_badges), priority=800)


def pages_with_changed_badges(app: Sphinx, verdict: Verdict) -> set[str]:
    """Docnames holding a need whose badge differs from the one last written."""
    digests = state.of(app).digests.setdefault("badges", PageDigests(app, "badges"))
    return {
        docname
        for docname, need_id, line in _worked_out(app, verdict)[0]
        if digests.changed(need_id, line.astext() if line is not None else "")
    }


def add_check_badges(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    verdict = state.get_verdict(app)
    if verdict is None:
        return
    marks = _worked_out(app, verdict)[1].get(docname)
    if not marks:
        return
    for table in list(doctree.findall(nodes.table)):
        need_id = next((node_id for node_id in table["ids"] if node_id in marks), None)
        if need_id is not None:
            line = marks[need_id].deepcopy()
            table.parent.insert(table.parent.index(table), line)
            table["classes"].append(f"handover-box-{line['handover_status']}")


def _worked_out(app: Sphinx, verdict: Verdict) -> tuple[list[_Mark], dict[str, dict[str, nodes.paragraph]]]:
    """Every mark, and docname -> need id -> badge line: worked out once per verdict, for
    the pages to write and for each page written (not once per page)."""
    cached = _WORKED_OUT.get(app)
    if cached is not None and cached[0] is verdict:
        return cached[1], cached[2]
    marks = _marks(app, verdict)
    by_page: dict[str, dict[str, nodes.paragraph]] = {}
    for docname, need_id, line in marks:
        if line is not None:
            by_page.setdefault(docname, {})[need_id] = line
    _WORKED_OUT[app] = (verdict, marks, by_page)
    return marks, by_page


#: (docname, need id, its badge line or None).
_Mark = tuple[str, str, "nodes.paragraph | None"]
#: Per application: the verdict the marks were worked out for, and the marks.
_WORKED_OUT: weakref.WeakKeyDictionary[Sphinx, tuple[Verdict, list[_Mark], dict[str, dict[str, nodes.paragraph]]]] = (
    weakref.WeakKeyDictionary()
)


def _marks(app: Sphinx, verdict: Verdict) -> list[_Mark]:
    """(docname, need id, its badge line or None) for every check, every evidence record
    and every requirement: None where there is nothing to mark (a record that counts, a
    verified requirement), so that a mark going away also rewrites the page."""
    lang = verdict.language
    marks: list[_Mark] = [(check.docname, check.id, badge_line(check, lang)) for check in verdict.checks]
    records: dict[str, EvidenceStatus] = {}
    for check in verdict.checks:
        for record in check.evidence:
            if record.id not in records or records[record.id].counts:
                records[record.id] = record
    marks.extend(
        (record.docname, record.id, None if record.counts else _record_line(record, lang))
        for record in records.values()
    )
    needs = state.of(app).needs
    if needs is not None:
        verified = {requirement for check in verdict.checks for requirement in check.verifies}
        marks.extend(
            (req.docname, req.id, None if req.id in verified else _uncovered_line(lang))
            for req in needs.requirements.values()
        )
    return marks


def _record_line(record: EvidenceStatus, language: str) -> nodes.paragraph:
    status = record_status(record)
    line = nodes.paragraph(classes=["handover-check-badge"], handover_status=status)
    line += status_badge(language, status)
    line += nodes.Text(label(language, "badge_separator"))
    line += nodes.emphasis(text=record.reason)
    return line


def _uncovered_line(language: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["handover-check-badge"], handover_status="missing")
    line += status_badge(language, "missing")
    line += nodes.Text(label(language, "badge_separator"))
    line += nodes.emphasis(text=label(language, "trace_no_check"))
    return line


def record_status(record: EvidenceStatus) -> str:
    """How a record that does not count is shown: failed (a fail, a target missed),
    stale, or invalid (any other reason)."""
    if record.reason_rule in (Rule.FAILED_EVIDENCE, Rule.TARGET_MISSED):
        return "failed"
    return "stale" if record.reason_rule is Rule.STALE_EVIDENCE else "invalid"


def badge_line(check: CheckStatus, language: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["handover-check-badge"], handover_status=check.status)
    line += status_badge(language, check.status)
    line += nodes.Text(
        " " + label(language, "badge_due").format(due=label(language, "due"), gate=check.gate, date=check.due_date)
    )
    reasons = [record.reason for record in check.evidence if record.reason]
    if check.open and reasons:
        line += nodes.Text(label(language, "badge_separator"))
        line += nodes.emphasis(text=reasons[0])
    if check.waiver:
        waiver = check.waiver
        line += nodes.Text(
            label(language, "badge_separator")
            + label(language, "badge_waiver").format(
                reason=waiver["reason"], role=waiver["approved_by"], expires=waiver["expires"]
            )
        )
    return line
