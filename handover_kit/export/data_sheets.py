"""The workbook's sheets of handover.yaml's structured data: RACI, coverage, the SLA
chain, escalation, hypercare exit KPIs and waivers. What breaks a rule of the data is
found by the same functions the site's tables use."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sphinx_handover.i18n.labels import label
from sphinx_handover.model.hypercare import ExitKpi
from sphinx_handover.model.organisation import ITEMS, LAYERS, UNDECIDED, CoverageCell, RaciRow
from sphinx_handover.model.service_levels import Agreement
from sphinx_handover.model.structured import Structured
from sphinx_handover.model.units import Measure, Threshold
from sphinx_handover.rules.data_findings import (
    accountable_roles,
    drill_status,
    has_responsible,
    hours_gaps,
    speed_breaks,
    unknown_roles,
)
from sphinx_handover.views.data_cells import NOTHING, duration, hours, role_name

from .cells import Cell, ExportInput, Marked, Sheet, status_cell
from .labels import text


def raci(source: ExportInput) -> Sheet:
    lang, data = source.verdict.language, source.data.structured
    undefined = dict.fromkeys(role for row in data.raci for role in unknown_roles(row, data.roles))
    columns = [*data.roles, *undefined]
    headers = [label(lang, "decision"), *(_role_header(data, role) for role in columns), label(lang, "problems")]
    # A role's column holds a letter or two: its header (the role and who holds it) wraps.
    narrow = dict.fromkeys(range(1, len(columns) + 1), 16)
    sheet = Sheet(text(lang, "sheet_raci"), headers, frozen_columns=1, narrow=narrow, centred=frozenset(narrow))
    for row in data.raci:
        found = _raci_problems(lang, row, data)
        letters = ["/".join(row.assign.get(role, "")) for role in columns]
        sheet.rows.append([row.title or row.decision, *letters, Marked("\n".join(found), "missing") if found else ""])
    return sheet


def _role_header(data: Structured, role_id: str) -> str:
    role = data.roles.get(role_id)
    if role is None:
        return role_id
    name = role.name or role_id
    return f"{name}\n{role.who}" if role.who else name


def _raci_problems(lang: str, row: RaciRow, data: Structured) -> list[str]:
    found = []
    accountable = accountable_roles(row)
    if not accountable:
        found.append(label(lang, "raci_no_accountable"))
    elif len(accountable) > 1:
        names = ", ".join(role_name(data.roles, role) for role in accountable)
        found.append(label(lang, "raci_many_accountable").format(roles=names))
    if not has_responsible(row):
        found.append(label(lang, "raci_no_responsible"))
    if undefined := unknown_roles(row, data.roles):
        found.append(label(lang, "raci_unknown_role").format(roles=", ".join(undefined)))
    return found


def coverage(source: ExportInput) -> Sheet:
    lang, data = source.verdict.language, source.data.structured
    headers = [label(lang, "item"), *(label(lang, f"layer_{layer}") for layer in LAYERS)]
    sheet = Sheet(text(lang, "sheet_coverage"), headers, frozen_columns=1)
    if data.coverage_line:
        for item in ITEMS:
            cells = [_coverage_cell(lang, data.coverage.get((layer, item))) for layer in LAYERS]
            sheet.rows.append([label(lang, f"item_{item}"), *cells])
    return sheet


def _coverage_cell(lang: str, cell: CoverageCell | None) -> Cell:
    if cell is None:
        return Marked(f"{label(lang, 'hole')}: {label(lang, 'hole_missing')}", "missing")
    if cell.na_reason is not None:
        if not cell.na_reason:
            return Marked(f"{label(lang, 'not_applicable')}\n{label(lang, 'na_without_reason')}", "missing")
        return f"{label(lang, 'not_applicable')}\n{cell.na_reason}"
    nobody = cell.who.lower() in UNDECIDED
    lines = [] if nobody else [cell.who]
    if cell.contracted is not None:
        lines.append(label(lang, "contracted_yes" if cell.contracted else "contracted_no"))
    if cell.sla:
        lines.append(label(lang, "sla_value").format(sla=cell.sla))
    if cell.maintenance:
        lines.append(label(lang, f"maintenance_{cell.maintenance}"))
    if cell.hole:
        why = label(lang, "hole_who" if nobody else "hole_contract")
        return Marked("\n".join([f"{label(lang, 'hole')}: {why}", *lines]), "missing")
    return "\n".join(lines)


def sla_chain(source: ExportInput) -> Sheet:
    lang, data = source.verdict.language, source.data.structured
    keys = ("agreement_kind", "name", "scope", "supports", "first_response", "recovery", "service_hours", "chain")
    sheet = Sheet(text(lang, "sheet_sla"), [text(lang, key) for key in keys])
    for target in data.sla:
        sheet.rows.append(
            [
                text(lang, "kind_sla"),
                target.severity,
                target.definition,
                NOTHING,
                duration(lang, target.first_response),
                duration(lang, target.recovery),
                hours(target.hours),
                "",
            ]
        )
    breaks = _chain_breaks(lang, data)
    for agreement in data.agreements:
        found = breaks[agreement]
        scope = "\n".join(part for part in (agreement.provider, agreement.covers) if part)
        chain = Marked("\n".join(found), "missing") if found else Marked(label(lang, "chain_ok"), "done")
        sheet.rows.append(
            [
                label(lang, f"kind_{agreement.kind}"),
                agreement.name,
                scope,
                ", ".join(agreement.supports) or NOTHING,
                duration(lang, agreement.first_response),
                duration(lang, agreement.recovery),
                hours(agreement.hours),
                chain,
            ]
        )
    return sheet


def _chain_breaks(lang: str, data: Structured) -> defaultdict[Agreement, list[str]]:
    found: defaultdict[Agreement, list[str]] = defaultdict(list)
    for slow in speed_breaks(data):
        if slow.measure is None:
            found[slow.agreement].append(label(lang, "chain_undefined").format(severity=slow.severity))
            continue
        found[slow.agreement].append(
            label(lang, "chain_slower").format(
                severity=slow.severity,
                measure=label(lang, slow.measure),
                theirs=duration(lang, slow.theirs),
                ours=duration(lang, slow.ours),
            )
        )
    for gap in hours_gaps(data):
        for agreement in gap.agreements:
            found[agreement].append(label(lang, "chain_hours").format(severity=gap.severity, hours=gap.sla_hours))
    return found


def escalation(source: ExportInput) -> Sheet:
    lang, data = source.verdict.language, source.data
    keys = ("level", "who", "role", "channel", "service_hours", "within", "last_tested_date", "age_days", "result")
    sheet = Sheet(text(lang, "sheet_escalation"), [text(lang, key) for key in keys])
    for level in data.structured.escalation:
        drill = drill_status(level, source.verdict.as_of, data.policy)
        if drill.age_days is None:
            state = Marked(label(lang, "never_tested"), "missing")
        elif drill.untested:
            state = Marked(label(lang, "tested_long_ago").format(days=drill.age_days, limit=drill.limit_days), "stale")
        else:
            state = Marked(text(lang, "drill_ok"), "done")
        role = role_name(data.structured.roles, level.role) if level.role else NOTHING
        sheet.rows.append(
            [
                level.level,
                level.who,
                role,
                level.channel or NOTHING,
                hours(level.hours),
                duration(lang, level.within),
                level.last_tested,
                drill.age_days,
                state,
            ]
        )
    return sheet


_KPI_STATUS = {"pass": "done", "fail": "missing", "not_measured": "upcoming"}


def hypercare(source: ExportInput) -> Sheet:
    lang = source.verdict.language
    keys = ("kpi_id", "kpi", "threshold", "measured", "result")
    sheet = Sheet(text(lang, "sheet_hypercare"), [text(lang, key) for key in keys])
    for kpi in source.data.structured.exit_kpis:
        result = _kpi_result(kpi)
        threshold = _threshold(lang, kpi.threshold) if kpi.threshold else NOTHING
        measured = _measure(lang, kpi.measured) if kpi.measured else NOTHING
        sheet.rows.append(
            [
                kpi.kpi,
                kpi.title or kpi.kpi,
                threshold,
                measured,
                Marked(label(lang, f"kpi_{result}"), _KPI_STATUS[result]),
            ]
        )
    return sheet


_THRESHOLD_KEYS = {"<=": "threshold_le", "<": "threshold_lt", ">=": "threshold_ge", ">": "threshold_gt"}


def _threshold(lang: str, threshold: Threshold) -> str:
    return label(lang, _THRESHOLD_KEYS[threshold.operator]).format(limit=_measure(lang, threshold.limit))


def _measure(lang: str, measure: Measure) -> str:
    if measure.unit == "duration":
        return duration(lang, dt.timedelta(minutes=measure.value))
    return measure.text


def _kpi_result(kpi: ExitKpi) -> str:
    if kpi.measured is None or kpi.threshold is None:
        return "not_measured"
    return "pass" if kpi.threshold.holds(kpi.measured) else "fail"


def waivers(source: ExportInput) -> Sheet:
    lang = source.verdict.language
    keys = ("check_id", "title", "reason", "approved_by", "expires", "check_status")
    sheet = Sheet(text(lang, "sheet_waivers"), [text(lang, key) for key in keys], frozen_columns=1)
    checks = {check.id: check for check in source.verdict.checks}
    for waiver in source.data.structured.waivers:
        check = checks.get(waiver.check)
        status = status_cell(lang, check.status) if check else NOTHING
        sheet.rows.append(
            [waiver.check, check.title if check else NOTHING, waiver.reason, waiver.approved_by, waiver.expires, status]
        )
    return sheet
