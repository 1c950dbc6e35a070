"""Rules over the structured data of handover.yaml, located at its lines.

They register in the same table as the need rules (:data:`.rules.RULES`), so their
problems join the one verdict: the panel, the JSON report and the exit code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n.labels import label
from ..i18n.messages import _
from ..model.hypercare import Waiver
from ..model.organisation import ITEMS, LAYERS
from ..model.units import format_duration
from .data_findings import (
    accountable_roles,
    agreement_label,
    drill_status,
    has_responsible,
    hours_gaps,
    speed_breaks,
    unknown_roles,
)
from .need_rules import rule
from .rules_table import Rule

if TYPE_CHECKING:
    from .verdict import GateContext, Problem


def at_yaml(ctx: GateContext, rule_id: Rule, line: int, message: str, blocking: bool = True) -> Problem:
    return at_file(ctx, rule_id, ctx.data.path, line, message, blocking)


def at_file(ctx: GateContext, rule_id: Rule, path: Path, line: int, message: str, blocking: bool = True) -> Problem:
    from .verdict import Problem

    return Problem(
        rule=rule_id,
        need_id=None,
        file=path.relative_to(ctx.root).as_posix(),
        line=line,
        message=message,
        blocking=blocking,
    )


@rule
def secrets(ctx: GateContext) -> Iterator[Problem]:
    """One problem per line holding a secret; the message names its kind, never the value."""
    reported: set[tuple[Path, int]] = set()
    for finding in ctx.secrets:
        if (finding.path, finding.line) not in reported:
            reported.add((finding.path, finding.line))
            message = _("{kind} in a package file: remove it (reference a vault entry instead)").format(
                kind=finding.kind
            )
            yield at_file(ctx, Rule.SECRET, finding.path, finding.line, message)


@rule
def unscanned_files(ctx: GateContext) -> Iterator[Problem]:
    """A file the scan could not read may hold a secret nobody found: it is never
    published, and the package is not ready until it is UTF-8 text (or removed)."""
    for file in ctx.unscanned:
        if file.kind.value == "undecodable":
            message = _("not UTF-8 text, so it cannot be scanned for secrets and is not published: save it as UTF-8")
        else:
            message = _(
                "cannot be read, so it cannot be scanned for secrets and is not published: make it readable, or remove it"
            )
        yield at_file(ctx, Rule.UNSCANNED_FILE, file.path, file.line, message)


@rule
def unsafe_html(ctx: GateContext) -> Iterator[Problem]:
    for markup in ctx.unsafe_html:
        message = _("{kind} in raw HTML: the site is opened in reviewers' browsers; remove it").format(kind=markup.kind)
        yield at_file(ctx, Rule.UNSAFE_HTML, markup.path, markup.line, message)


@rule
def unconfined_entries(ctx: GateContext) -> Iterator[Problem]:
    for entry in ctx.unconfined:
        message = _("{path} {reason}: the build does not read it; {fix}").format(
            path=entry.path.relative_to(ctx.root).as_posix(),
            reason=entry.reason,
            fix=entry.fix or _("move the file into the package, or remove the link"),
        )
        yield at_file(ctx, Rule.OUTSIDE_PACKAGE, entry.path, 1, message)


@rule
def raci(ctx: GateContext) -> Iterator[Problem]:
    roles = ctx.data.structured.roles
    for row in ctx.data.structured.raci:
        name = row.title or row.decision
        accountable = accountable_roles(row)
        if len(accountable) != 1:
            found = ", ".join(accountable) if accountable else _("nobody")
            yield at_yaml(
                ctx,
                Rule.RACI_ACCOUNTABLE,
                row.line,
                _("RACI '{name}' needs exactly one accountable (A), has {found}: mark exactly one role A").format(
                    name=name, found=found
                ),
            )
        if not has_responsible(row):
            yield at_yaml(
                ctx,
                Rule.RACI_RESPONSIBLE,
                row.line,
                _("RACI '{name}' has no responsible role (R): mark at least one role R").format(name=name),
            )
        for role in unknown_roles(row, roles):
            yield at_yaml(
                ctx,
                Rule.UNKNOWN_ROLE,
                row.line_of(f"role:{role}"),
                _(
                    "RACI '{name}' names role {role!r}, not defined in roles: add it to roles, or correct the name"
                ).format(name=name, role=role),
            )
    for level in ctx.data.structured.escalation:
        if level.role and level.role not in roles:
            yield at_yaml(
                ctx,
                Rule.UNKNOWN_ROLE,
                level.line_of("role"),
                _(
                    "escalation level {level} names role {role!r}, not defined in roles: add it to roles, or correct the name"
                ).format(level=level.level, role=level.role),
            )


@rule
def coverage(ctx: GateContext) -> Iterator[Problem]:
    data = ctx.data.structured
    if not data.coverage_line:
        return
    for layer in LAYERS:
        for item in ITEMS:
            cell = data.coverage.get((layer, item))
            lang = ctx.data.project.language
            where = _("coverage {layer} / {item}").format(
                layer=label(lang, f"layer_{layer}"), item=label(lang, f"item_{item}")
            )
            if cell is None:
                yield at_yaml(
                    ctx,
                    Rule.COVERAGE_HOLE,
                    data.coverage_line,
                    _("{where} is missing: say who covers it, or na: REASON").format(where=where),
                )
            elif cell.na_reason == "":
                yield at_yaml(
                    ctx,
                    Rule.COVERAGE_NA_REASON,
                    cell.line,
                    _("{where} is N/A without a reason: write na: REASON").format(where=where),
                )
            elif cell.hole:
                yield at_yaml(
                    ctx,
                    Rule.COVERAGE_HOLE,
                    cell.line,
                    _(
                        "{where} is a hole ({hole}): name who covers it and whether it is contracted, or write na: REASON"
                    ).format(where=where, hole=cell.hole),
                )


@rule
def sla_chain(ctx: GateContext) -> Iterator[Problem]:
    data = ctx.data.structured
    for slow in speed_breaks(data):
        label = agreement_label(slow.agreement)
        if slow.measure is None:
            yield at_yaml(
                ctx,
                Rule.SLA_CHAIN,
                slow.agreement.line_of("supports"),
                _(
                    "{label} supports severity {severity}, which the sla does not define: define it in sla, or remove it from supports"
                ).format(label=label, severity=slow.severity),
            )
        elif slow.theirs is not None and slow.ours is not None:  # both set whenever measure is
            yield at_yaml(
                ctx,
                Rule.SLA_CHAIN,
                slow.agreement.line_of(slow.measure),
                _(
                    "{label} {measure} {theirs} is slower than the {severity} SLA's {ours}: agree a faster {measure}, or relax the SLA"
                ).format(
                    label=label,
                    measure=_MEASURES[slow.measure],
                    theirs=format_duration(slow.theirs),
                    severity=slow.severity,
                    ours=format_duration(slow.ours),
                ),
            )
    for gap in hours_gaps(data):
        yield at_yaml(ctx, Rule.SLA_CHAIN, gap.agreements[0].line_of("hours"), gap.message())


_MEASURES = {"first_response": _("first response"), "recovery": _("recovery")}


@rule
def contact_untested(ctx: GateContext) -> Iterator[Problem]:
    for level in ctx.data.structured.escalation:
        drill = drill_status(level, ctx.as_of, ctx.data.policy)
        if drill.age_days is None:
            yield at_yaml(
                ctx,
                Rule.CONTACT_UNTESTED,
                level.line,
                _(
                    "escalation level {level} ({who}) has never been tested: test the contact path and set last_tested"
                ).format(level=level.level, who=level.who),
            )
        elif drill.untested:
            yield at_yaml(
                ctx,
                Rule.CONTACT_UNTESTED,
                level.line_of("last_tested"),
                _(
                    "escalation level {level} ({who}) was last tested {age} days ago; the policy allows {limit}: test it again and update last_tested"
                ).format(level=level.level, who=level.who, age=drill.age_days, limit=drill.limit_days),
            )


@rule
def hypercare_exit(ctx: GateContext) -> Iterator[Problem]:
    if ctx.gate != "T+30":
        return
    for kpi in ctx.data.structured.exit_kpis:
        name = kpi.title or kpi.kpi
        if kpi.measured is None:
            yield at_yaml(
                ctx,
                Rule.HYPERCARE_EXIT,
                kpi.line,
                _(
                    "exit KPI {name} has no measured value (threshold {threshold}): write the measured value in measured"
                ).format(name=name, threshold=kpi.threshold),
            )
        elif kpi.threshold and not kpi.threshold.holds(kpi.measured):
            yield at_yaml(
                ctx,
                Rule.HYPERCARE_EXIT,
                kpi.line_of("measured"),
                _(
                    "exit KPI {name} measured {measured}, outside its threshold {threshold}: stay in hypercare until it holds, or record a waiver"
                ).format(name=name, measured=kpi.measured.text, threshold=kpi.threshold),
            )


@rule
def waivers(ctx: GateContext) -> Iterator[Problem]:
    for waiver in ctx.data.structured.waivers:
        problem = waiver_problem(ctx, waiver)
        if problem is not None:
            yield at_yaml(ctx, *problem)


def waiver_problem(ctx: GateContext, waiver: Waiver) -> tuple[Rule, int, str] | None:
    """Why a waiver does not hold, or None when it does."""
    roles = ctx.data.structured.roles
    if waiver.check not in ctx.needs.checks and waiver.check not in ctx.needs.runbooks:  # a runbook may be waived too
        known = sorted([*ctx.needs.checks, *ctx.needs.runbooks])
        close = difflib.get_close_matches(waiver.check, known, n=1, cutoff=0.6)
        message = _(
            "waiver names {check}, which is neither a check nor a runbook of the package: correct its check"
        ).format(check=waiver.check)
        if close:
            message += _(" (did you mean {match}?)").format(match=close[0])
        return Rule.WAIVER_INVALID, waiver.line_of("check"), message
    if not waiver.approved_by or waiver.approved_by not in roles:
        return (
            Rule.WAIVER_INVALID,
            waiver.line_of("approved_by"),
            _("waiver of {check} must be approved by a role defined in roles (got {role!r})").format(
                check=waiver.check, role=waiver.approved_by or _("nobody")
            ),
        )
    if not waiver.reason or waiver.expires is None:
        return (
            Rule.WAIVER_INVALID,
            waiver.line,
            _("waiver of {check} needs a reason and an expiry date").format(check=waiver.check),
        )
    if waiver.expires < ctx.as_of:
        return (
            Rule.WAIVER_EXPIRED,
            waiver.line_of("expires"),
            _(
                "waiver of {check} expired on {expires}: the check counts as missing evidence again; record the evidence, or renew the waiver with a new expiry date"
            ).format(check=waiver.check, expires=waiver.expires),
        )
    return None
