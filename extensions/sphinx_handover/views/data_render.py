"""Docutils nodes that show handover.yaml's structured data in the chapters, in the
package's language, for readers who do not read YAML: the SLA chain, the RACI matrix,
the coverage matrix, the review timeline and the hypercare exit (the escalation path
is in :mod:`.escalation_render`).

What breaks a rule is marked where it is, from the same findings as the rules
(:mod:`.data_findings`), so a page and the verdict cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from docutils import nodes

from ..i18n.labels import date_text, duration_text, label
from ..integration.state import BuildState
from ..model.hypercare import ExitKpi
from ..model.organisation import ITEMS, LAYERS, UNDECIDED, CoverageCell, RaciRow, Role
from ..model.service_levels import Agreement
from ..model.structured import Structured
from ..model.timeline import review_date, review_dates
from ..model.units import Measure, Threshold
from ..rules.data_findings import (
    HoursGap,
    SpeedBreak,
    accountable_roles,
    has_responsible,
    hours_gaps,
    speed_breaks,
    unknown_roles,
)
from ..rules.verdict import STATUSES, Verdict
from . import data_cells as cells
from .render import status_badge
from .tables import Cell, table


def sla_chain(build: BuildState) -> list[nodes.Node]:
    data, lang = build.data.structured, build.data.project.language
    if not data.sla:
        return [cells.empty(lang, "sla")]
    return [
        nodes.rubric(text=label(lang, "sla_targets")),
        _sla_table(lang, data),
        nodes.rubric(text=label(lang, "supporting_agreements")),
        _agreements_table(lang, data) if data.agreements else cells.empty(lang, "olas / ucs"),
    ]


def _sla_table(lang: str, data: Structured) -> nodes.table:
    keys = ("severity", "definition", "first_response", "recovery", "service_hours")
    rows = [
        [
            nodes.strong(text=target.severity),
            target.definition or cells.NOTHING,
            cells.duration(lang, target.first_response),
            cells.duration(lang, target.recovery),
            cells.hours(target.hours),
        ]
        for target in data.sla
    ]
    return table(cells.headers(lang, keys), rows, ["handover-data", "handover-sla"], (10, 42, 16, 16, 16))


def _agreements_table(lang: str, data: Structured) -> nodes.table:
    keys = (
        "agreement_kind",
        "agreement_name",
        "agreement_scope",
        "supports",
        "first_response",
        "recovery",
        "service_hours",
        "chain",
    )
    breaks = _chain_breaks(lang, data)
    rows = [
        [
            label(lang, f"kind_{agreement.kind}"),
            agreement.name,
            _scope(lang, agreement),
            ", ".join(agreement.supports) or cells.NOTHING,
            cells.duration(lang, agreement.first_response),
            cells.duration(lang, agreement.recovery),
            cells.hours(agreement.hours),
            cells.problems(breaks[agreement]) or cells.ok(label(lang, "chain_ok")),
        ]
        for agreement in data.agreements
    ]
    row_classes = [cells.row_marks(breaks[agreement]) for agreement in data.agreements]
    widths = (9, 17, 17, 9, 10, 10, 12, 16)
    return table(cells.headers(lang, keys), rows, ["handover-data", "handover-agreements"], widths, row_classes)


def _chain_breaks(lang: str, data: Structured) -> defaultdict[Agreement, list[str]]:
    found: defaultdict[Agreement, list[str]] = defaultdict(list)
    for slow in speed_breaks(data):
        found[slow.agreement].append(_speed_break_text(lang, slow))
    for gap in hours_gaps(data):
        for agreement in gap.agreements:
            found[agreement].append(_hours_gap_text(lang, gap))
    return found


def _hours_gap_text(lang: str, gap: HoursGap) -> str:
    """The SLA hours an agreement leaves uncovered, named as the gate's message names them."""
    text = label(lang, "chain_hours").format(severity=gap.severity, hours=gap.sla_hours)
    return text + label(lang, "chain_uncovered").format(gaps=gap.gaps())


def _speed_break_text(lang: str, slow: SpeedBreak) -> str:
    if slow.measure is None:
        return label(lang, "chain_undefined").format(severity=slow.severity)
    return label(lang, "chain_slower").format(
        severity=slow.severity,
        measure=label(lang, slow.measure),
        theirs=cells.duration(lang, slow.theirs),
        ours=cells.duration(lang, slow.ours),
    )


def _scope(lang: str, agreement: Agreement) -> list[nodes.Node]:
    scope = [nodes.paragraph(text=agreement.provider)] if agreement.provider else []
    if agreement.covers:
        scope.append(cells.small(label(lang, "covers_text").format(covers=agreement.covers)))
    return scope or [nodes.paragraph(text=cells.NOTHING)]


def raci(build: BuildState) -> list[nodes.Node]:
    data, lang = build.data.structured, build.data.project.language
    if not data.raci:
        return [cells.empty(lang, "raci")]
    undefined = dict.fromkeys(role for row in data.raci for role in unknown_roles(row, data.roles))
    columns = [*data.roles, *undefined]
    headers = [
        label(lang, "decision"),
        *(_role_header(lang, data.roles, role) for role in columns),
        label(lang, "problems"),
    ]
    problems = [_raci_problems(lang, row, data.roles) for row in data.raci]
    rows = [
        [
            row.title or row.decision,
            *(_raci_letters(row.assign.get(role, "")) for role in columns),
            cells.problems(found) or cells.NOTHING,
        ]
        for row, found in zip(data.raci, problems, strict=True)
    ]
    widths = (22, *(8 for _ in columns), 16)
    row_classes = [cells.row_marks(found) for found in problems]
    return [
        nodes.paragraph(text=label(lang, "raci_legend"), classes=["handover-legend"]),
        table(headers, rows, ["handover-data", "handover-raci"], widths, row_classes),
    ]


def _role_header(lang: str, roles: Mapping[str, Role], role_id: str) -> list[nodes.Node]:
    role = roles.get(role_id)
    if role is None:
        return [nodes.paragraph(text=role_id), cells.problem(label(lang, "undefined_role"))]
    header = [nodes.paragraph(text=role.name or role_id)]
    return [*header, cells.small(role.who)] if role.who else header


def _raci_letters(letters: str) -> nodes.paragraph:
    return nodes.paragraph(text="/".join(letters), classes=["handover-raci-letters"])


def _raci_problems(lang: str, row: RaciRow, roles: Mapping[str, Role]) -> list[str]:
    found = []
    accountable = accountable_roles(row)
    if not accountable:
        found.append(label(lang, "raci_no_accountable"))
    elif len(accountable) > 1:
        names = ", ".join(cells.role_name(roles, role) for role in accountable)
        found.append(label(lang, "raci_many_accountable").format(roles=names))
    if not has_responsible(row):
        found.append(label(lang, "raci_no_responsible"))
    if undefined := unknown_roles(row, roles):
        found.append(label(lang, "raci_unknown_role").format(roles=", ".join(undefined)))
    return found


def coverage(build: BuildState) -> list[nodes.Node]:
    data, lang = build.data.structured, build.data.project.language
    if not data.coverage_line:
        return [cells.empty(lang, "coverage")]
    headers = [label(lang, "item"), *(label(lang, f"layer_{layer}") for layer in LAYERS)]
    rows = [
        [
            nodes.strong(text=label(lang, f"item_{item}")),
            *(_coverage_cell(lang, data.coverage.get((layer, item))) for layer in LAYERS),
        ]
        for item in ITEMS
    ]
    return [table(headers, rows, ["handover-data", "handover-coverage"], (16, 28, 28, 28))]


def _coverage_cell(lang: str, cell: CoverageCell | None) -> nodes.container:
    if cell is None:
        return _hole_cell(lang, [], label(lang, "hole_missing"))
    if cell.na_reason is not None:
        return _na_cell(lang, cell.na_reason)
    nobody = cell.who.lower() in UNDECIDED
    lines = [] if nobody else [nodes.paragraph(text=cell.who)]
    if cell.contracted is not None:
        lines.append(cells.small(label(lang, "contracted_yes" if cell.contracted else "contracted_no")))
    if cell.sla:
        lines.append(cells.small(label(lang, "sla_value").format(sla=cell.sla)))
    if cell.maintenance:
        lines.append(cells.small(label(lang, f"maintenance_{cell.maintenance}")))
    if cell.hole:
        return _hole_cell(lang, lines, label(lang, "hole_who" if nobody else "hole_contract"))
    return nodes.container("", *lines, classes=["handover-cell"])


def _hole_cell(lang: str, lines: list[nodes.Node], why: str) -> nodes.container:
    badge = nodes.paragraph("", "", nodes.inline(text=label(lang, "hole"), classes=["handover-badge-hole"]))
    return nodes.container("", badge, *lines, cells.problem(why), classes=["handover-cell", "handover-cell-hole"])


def _na_cell(lang: str, reason: str) -> nodes.container:
    heading = nodes.paragraph(text=label(lang, "not_applicable"), classes=["handover-na"])
    if reason:
        return nodes.container("", heading, cells.small(reason), classes=["handover-cell", "handover-cell-na"])
    problem = cells.problem(label(lang, "na_without_reason"))
    classes = ["handover-cell", "handover-cell-na", "handover-cell-problem"]
    return nodes.container("", heading, problem, classes=classes)


def timeline(build: BuildState) -> list[nodes.Node]:
    verdict, lang = build.verdict, build.data.project.language
    if verdict is None:
        return []
    # A stable sort: the as-of date comes after a review held that same day.
    now: tuple[str | None, dt.date] = (None, build.as_of)
    moments = sorted([*review_dates(verdict.release_date).items(), now], key=lambda moment: moment[1])
    rows = [_review_row(lang, verdict, review, day) if review else _now_row(lang, day) for review, day in moments]
    row_classes = [_moment_marks(verdict, review) for review, _ in moments]
    headers = cells.headers(lang, ("review", "date", "purpose", "checks_due"))
    return [table(headers, rows, ["handover-data", "handover-timeline"], (18, 18, 32, 32), row_classes)]


def _moment_marks(verdict: Verdict, review: str | None) -> list[str]:
    if review is None:
        return ["handover-row-now"]
    return ["handover-row-evaluated"] if review == verdict.gate else []


def _review_row(lang: str, verdict: Verdict, review: str, day: dt.date) -> list[Cell]:
    name = nodes.paragraph("", "", nodes.strong(text=review))
    if review == verdict.gate:
        name += nodes.Text(" ")
        name += nodes.inline(text=label(lang, "evaluated_review"), classes=["handover-badge-evaluated"])
    return [name, date_text(lang, day), label(lang, f"purpose_{review}"), _checks_due(lang, verdict, review)]


def _now_row(lang: str, as_of: dt.date) -> list[Cell]:
    here = nodes.inline(text=f"▶ {label(lang, 'you_are_here')}", classes=["handover-badge-now"])
    return [here, date_text(lang, as_of), label(lang, "as_of_row"), ""]


def _checks_due(lang: str, verdict: Verdict, review: str) -> Cell:
    checks = [check for check in verdict.checks if check.gate == review]
    if not checks:
        return cells.NOTHING
    counts = nodes.paragraph(text=label(lang, "checks_count").format(count=len(checks)))
    for status in STATUSES:
        if count := sum(1 for check in checks if check.status == status):
            counts += nodes.Text(" ")
            counts += status_badge(lang, status)
            counts += nodes.Text(f" {count}")
    return counts


def hypercare(build: BuildState) -> list[nodes.Node]:
    kpis, lang = build.data.structured.exit_kpis, build.data.project.language
    if not kpis:
        return [cells.empty(lang, "hypercare.exit_kpis")]
    exit_review = review_date(build.data.project.release_date, "T+30")
    note = nodes.paragraph(text=label(lang, "hypercare_note").format(date=exit_review.isoformat()))
    rows = [_kpi_row(lang, kpi) for kpi in kpis]
    row_classes = [[cells.PROBLEM_ROW] if _kpi_result(kpi) == "fail" else [] for kpi in kpis]
    headers = cells.headers(lang, ("kpi", "threshold", "measured", "result"))
    return [note, table(headers, rows, ["handover-data", "handover-hypercare"], (34, 24, 22, 20), row_classes)]


_KPI_BADGES = {"pass": "done", "fail": "missing", "not_measured": "upcoming"}


def _kpi_row(lang: str, kpi: ExitKpi) -> list[Cell]:
    name = [nodes.paragraph(text=kpi.title or kpi.kpi)]
    if kpi.title:
        name.append(nodes.paragraph("", "", nodes.literal(text=kpi.kpi), classes=["handover-sub"]))
    result = _kpi_result(kpi)
    badge = nodes.inline(
        text=label(lang, f"kpi_{result}"), classes=["handover-status", f"handover-status-{_KPI_BADGES[result]}"]
    )
    measured = _measure(lang, kpi.measured) if kpi.measured else cells.NOTHING
    return [name, _threshold(lang, kpi.threshold), measured, badge]


def _kpi_result(kpi: ExitKpi) -> str:
    if kpi.measured is None or kpi.threshold is None:
        return "not_measured"
    return "pass" if kpi.threshold.holds(kpi.measured) else "fail"


_THRESHOLD_KEYS = {"<=": "threshold_le", "<": "threshold_lt", ">=": "threshold_ge", ">": "threshold_gt"}


def _threshold(lang: str, threshold: Threshold | None) -> str:
    if threshold is None:
        return cells.NOTHING
    return label(lang, _THRESHOLD_KEYS[threshold.operator]).format(limit=_measure(lang, threshold.limit))


def _measure(lang: str, measure: Measure) -> str:
    if measure.unit == "duration":
        return duration_text(lang, dt.timedelta(minutes=measure.value))
    return measure.text
