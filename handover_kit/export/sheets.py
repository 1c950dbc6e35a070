"""The workbook's sheets in order, and those read from one build's verdict: the
cover, the checklist, the problems, the requirements and the sign-offs. Statuses are
the verdict's; the sheets of handover.yaml's data are in data_sheets."""

from __future__ import annotations

from collections import defaultdict

from sphinx_handover.i18n.labels import label, status_label
from sphinx_handover.rules.verdict import STATUSES, CheckStatus, EvidenceStatus
from sphinx_handover.views.charts import requirement_state, requirement_state_names
from sphinx_handover.views.data_cells import NOTHING, role_name

from ..review.summary import verdict_line
from .cells import Cell, ExportInput, Marked, Sheet, status_cell
from .data_sheets import coverage, escalation, hypercare, raci, sla_chain, waivers
from .labels import text


def all_sheets(source: ExportInput) -> list[Sheet]:
    return [
        cover(source),
        checklist(source),
        problems(source),
        requirements(source),
        raci(source),
        coverage(source),
        sla_chain(source),
        escalation(source),
        hypercare(source),
        waivers(source),
        signoffs(source),
    ]


def cover(source: ExportInput) -> Sheet:
    verdict, project, lang = source.verdict, source.data.project, source.verdict.language
    sheet = Sheet(text(lang, "sheet_cover"), [text(lang, "field"), text(lang, "value")], narrow={1: 70}, form=True)
    ready = Marked(label(lang, "ready" if verdict.ready else "not_ready"), "done" if verdict.ready else "missing")
    counts = verdict.counts()
    by_status: list[list[Cell]] = [
        [text(lang, "count_of").format(status=status_label(lang, s)), counts[s]] for s in STATUSES
    ]
    sheet.rows = [
        [text(lang, "system"), project.system],
        [text(lang, "vendor"), project.vendor],
        [text(lang, "customer"), project.customer],
        [text(lang, "cover_release"), verdict.release_date],
        [label(lang, "review"), verdict.gate or label(lang, "before_first_review")],
        [text(lang, "review_date"), verdict.gate_date],
        [text(lang, "cover_as_of"), verdict.as_of],
        [text(lang, "verdict"), ready],
        [text(lang, "summary"), verdict_line(verdict)],
        *by_status,
        [text(lang, "blocking_count"), counts["blocking"]],
        [text(lang, "generated_by"), f"handover-kit {verdict.tool_version}".strip()],
    ]
    return sheet


def checklist(source: ExportInput) -> Sheet:
    lang = source.verdict.language
    keys = (
        "check_id",
        "title",
        "owner_column",
        "review",
        "review_date",
        "status",
        "evidence_id",
        "evidence_date",
        "age_days",
        "evidence_result",
        "counts",
        "artifact",
        "sha256",
        "why_not",
        "waiver",
    )
    # The A4 page takes about 200 characters at a readable size: long texts wrap, and the
    # SHA-256 (64 characters) goes onto four lines.
    narrow = {1: 28, 2: 16, 6: 22, 11: 20, 12: 17, 13: 28, 14: 24}
    sheet = Sheet(text(lang, "sheet_checklist"), [text(lang, key) for key in keys], frozen_columns=1, narrow=narrow)
    for check in source.verdict.checks:
        first: list[Cell] = [
            check.id,
            check.title,
            check.owner,
            check.gate,
            check.due_date,
            status_cell(lang, check.status),
        ]
        waiver = _waiver_text(lang, check)
        for record in check.evidence or (None,):
            sheet.rows.append([*first, *_evidence_cells(lang, record), waiver])
    return sheet


def _evidence_cells(lang: str, record: EvidenceStatus | None) -> list[Cell]:
    if record is None:
        return [label(lang, "no_evidence"), None, None, None, None, None, None, None]
    valid = Marked(text(lang, "counts_yes"), "done") if record.counts else Marked(text(lang, "counts_no"), "invalid")
    return [
        record.id,
        record.date,
        record.age_days,
        text(lang, f"result_{record.result}") if record.result in ("pass", "fail") else record.result,
        valid,
        record.artifact,
        record.sha256,
        record.reason,
    ]


def _waiver_text(lang: str, check: CheckStatus) -> str:
    if not check.waiver:
        return ""
    return text(lang, "waiver_text").format(
        reason=check.waiver["reason"], role=check.waiver["approved_by"], expires=check.waiver["expires"]
    )


def problems(source: ExportInput) -> Sheet:
    lang, verdict = source.verdict.language, source.verdict
    keys = ("rule", "blocks", "need_id", "title", "owner_column", "file", "line", "message")
    sheet = Sheet(
        text(lang, "sheet_problems"),
        [text(lang, key) for key in keys],
        narrow={0: 31, 2: 22, 3: 30, 4: 16, 5: 24, 7: 50},
    )
    for problem in verdict.problems:
        blocks = Marked(text(lang, "yes"), "missing") if problem.blocking else text(lang, "no")
        sheet.rows.append(
            [
                problem.rule.label,
                blocks,
                problem.need_id,
                problem.need_title,
                problem.owner,
                problem.file,
                problem.line,
                problem.message,
            ]
        )
    for warning in verdict.build_warnings:
        blocks = Marked(text(lang, "yes"), "missing")
        sheet.rows.append([warning.type, blocks, None, None, None, warning.file, warning.line, warning.message])
    return sheet


def requirements(source: ExportInput) -> Sheet:
    lang = source.verdict.language
    keys = ("requirement_id", "title", "file", "verified_by", "requirement_status")
    sheet = Sheet(text(lang, "sheet_requirements"), [text(lang, key) for key in keys], frozen_columns=1)
    verifying: defaultdict[str, list[CheckStatus]] = defaultdict(list)
    for check in source.verdict.checks:
        for requirement in check.verifies:
            verifying[requirement].append(check)
    names = requirement_state_names(lang)
    for requirement, title, file in source.requirements:
        checks = verifying.get(requirement, [])
        state = requirement_state([check.status for check in checks])
        listed = "\n".join(f"{check.id} ({status_label(lang, check.status)})" for check in checks)
        shown = Marked(names[state] if checks else text(lang, "req_no_check"), state)
        sheet.rows.append([requirement, title, file, listed or NOTHING, shown])
    return sheet


def signoffs(source: ExportInput) -> Sheet:
    """The sign-offs of signoffs.yaml, as the verdict judged them (current, stale, superseded)."""
    lang, roles = source.verdict.language, source.data.structured.roles
    keys = (
        "review",
        "signoff_decision",
        "signoff_by",
        "role",
        "signoff_at",
        "signoff_state",
        "signoff_note",
        "fingerprint",
    )
    sheet = Sheet(text(lang, "sheet_signoffs"), [text(lang, key) for key in keys])
    for status in source.verdict.signoffs:
        record = status.signoff
        decision = text(lang, f"decision_{record.decision}")
        if record.conditions:
            decision += ": " + "; ".join(record.conditions)
        if status.superseded:
            state = Marked(text(lang, "signoff_superseded"), "upcoming")
        elif status.current:
            state = Marked(text(lang, "signoff_current"), "done")
        else:
            state = Marked(text(lang, "signoff_stale").format(changes="; ".join(status.changes)), "stale")
        when = str(record.at).replace("T", " ")
        sheet.rows.append(
            [
                record.review,
                decision,
                record.by,
                role_name(roles, record.role),
                when,
                state,
                record.note,
                record.fingerprint,
            ]
        )
    return sheet
