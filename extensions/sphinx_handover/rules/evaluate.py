"""Evaluating a package: each evidence record assessed, each check's status derived,
every rule of the table run, and one immutable :class:`~.verdict.Verdict` returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ..i18n.messages import _
from ..integration.need_sources import SourceError
from ..model.artifacts import ArtifactFiles
from ..model.hypercare import Waiver
from ..model.needs import Check, Evidence, PackageNeeds
from ..model.package_data import HandoverData
from ..model.timeline import REVIEWS, is_due, review_date
from ..model.units import format_duration
from ..secret_scan.secrets_scan import Finding, Unscanned
from ..untrusted.confinement import UnconfinedFile
from ..untrusted.unsafe_html import UnsafeMarkup
from . import data_rules, readiness_rules, signoff_rules
from . import need_rules as rules
from .placeholders import Marker
from .rules_table import Rule
from .targets import measurement_problem, stale_reason
from .verdict import CheckStatus, EvidenceStatus, GateContext, PlaceholderCount, Verdict


def evaluate(
    needs: PackageNeeds,
    data: HandoverData,
    root: Path,
    as_of: dt.date,
    gate: str | None,
    doc_path: Callable[[str], str],
    tool_version: str = "",
    outputs: Sequence[Path] = (),
    secrets: Sequence[Finding] = (),
    unsafe_html: Sequence[UnsafeMarkup] = (),
    unscanned: Sequence[Unscanned] = (),
    source_errors: Sequence[SourceError] = (),
    unconfined: Sequence[UnconfinedFile] = (),
    placeholders: Sequence[tuple[Marker, str | None]] = (),
    need_digests: dict[str, str] | None = None,
    artifacts: ArtifactFiles | None = None,
) -> Verdict:
    ctx = GateContext(
        needs,
        data,
        root,
        as_of,
        gate,
        doc_path,
        secrets=tuple(secrets),
        unscanned=tuple(unscanned),
        unsafe_html=tuple(unsafe_html),
        source_errors=tuple(source_errors),
        unconfined=tuple(unconfined),
        placeholders=tuple(placeholders),
        need_digests=dict(need_digests or {}),
        artifacts=artifacts or ArtifactFiles(root, outputs),
    )
    for evidence in needs.evidence.values():
        ctx.evidence_flaws[evidence.id] = _flaws(ctx, evidence)
        for check_id in dict.fromkeys(evidence.proves):
            ctx.proving.setdefault(check_id, []).append(evidence)
    for waiver in data.structured.waivers:
        if data_rules.waiver_problem(ctx, waiver) is None:
            ctx.waived[waiver.check] = waiver
    for check in needs.checks.values():
        ctx.checks[check.id] = _check_status(ctx, check)
    problems = list(rules.run_all(ctx))
    signed = signoff_rules.review_signoffs(ctx, problems)
    problems = sorted([*problems, *signed.problems], key=lambda p: (p.file or "", p.line or 0, p.rule.value))
    return Verdict(
        as_of=as_of,
        gate=gate,
        release_date=data.project.release_date,
        system=data.project.system,
        language=data.project.language,
        problems=tuple(problems),
        checks=tuple(ctx.checks.values()),
        tool_version=tool_version,
        redactions=tuple(finding.value for finding in secrets),
        placeholders=placeholder_counts(ctx),
        signoffs=signed.statuses,
        content=signed.parts,
        need_titles={need.id: {"type": need.type, "title": need.title} for need in needs.all()},
    )


def placeholder_counts(ctx: GateContext) -> tuple[PlaceholderCount, ...]:
    counts: dict[str, PlaceholderCount] = {}
    for item in readiness_rules.due_markers(ctx):
        file = item.marker.path.relative_to(ctx.root).as_posix()
        known = counts.get(file) or PlaceholderCount(file, item.docname, 0, 0, item.due)
        counts[file] = replace(
            known,
            count=known.count + 1,
            blocking=known.blocking + item.blocks_at(ctx.gate),
            due=min(known.due, item.due, key=REVIEWS.__getitem__),
        )
    return tuple(counts.values())


def _flaws(ctx: GateContext, evidence: Evidence) -> list[tuple[Rule, str]]:
    """What disqualifies a record whatever check it proves."""
    flaws = [(issue.rule, issue.message) for issue in evidence.issues]
    if evidence.result == "fail":
        flaws.append(
            (
                Rule.FAILED_EVIDENCE,
                _(
                    "{id} records a failed result: it does not count; fix the cause, repeat it and record the passing run"
                ).format(id=evidence.id),
            )
        )
    if evidence.date and evidence.date > ctx.as_of:
        flaws.append(
            (
                Rule.FUTURE_EVIDENCE,
                _("{id} is dated {date}, after the as-of date {as_of}: correct its :date:").format(
                    id=evidence.id, date=evidence.date, as_of=ctx.as_of
                ),
            )
        )
    if evidence.artifact:
        outcome = ctx.artifacts.check(evidence.artifact, evidence.sha256)
        if outcome.problem:
            rule, message = outcome.problem
            flaws.append((rule, f"{evidence.id}: {message}"))
    return flaws


def _assess(ctx: GateContext, check: Check, evidence: Evidence) -> EvidenceStatus:
    flaws = ctx.evidence_flaws[evidence.id]
    reason = "; ".join(message for _, message in flaws)
    rules_hit = [rule for rule, _ in flaws]
    reason_rule = Rule.FAILED_EVIDENCE if Rule.FAILED_EVIDENCE in rules_hit else next(iter(rules_hit), None)
    age = (ctx.as_of - evidence.date).days if evidence.date else None
    if not reason and check.evidence_kind and evidence.kind != check.evidence_kind:
        reason = _(
            "{id} is of kind {kind!r}, {check} needs {wanted!r}: record {wanted!r} evidence, or correct :kind:"
        ).format(id=evidence.id, kind=evidence.kind or "(none)", check=check.id, wanted=check.evidence_kind)
    if not reason and (staleness := stale_reason(check, evidence, ctx.data, ctx.as_of, ctx.max_age(check, evidence))):
        reason, reason_rule = staleness, Rule.STALE_EVIDENCE
    if not reason and (measurement := measurement_problem(check, evidence, ctx.data)):
        reason_rule, reason = measurement
    return EvidenceStatus(
        id=evidence.id,
        date=evidence.date,
        age_days=age,
        owner=evidence.owner,
        artifact=evidence.artifact,
        kind=evidence.kind,
        result=evidence.result,
        sha256=evidence.sha256,
        counts=not reason,
        reason=reason,
        reason_rule=reason_rule,
        docname=evidence.docname,
        file=ctx.doc_path(evidence.docname),
        line=evidence.lineno,
        measured_rto=format_duration(evidence.measured_rto) if evidence.measured_rto is not None else None,
        measured_rpo=format_duration(evidence.measured_rpo) if evidence.measured_rpo is not None else None,
    )


def _check_status(ctx: GateContext, check: Check) -> CheckStatus:
    records = [_assess(ctx, check, evidence) for evidence in ctx.proving.get(check.id, ())]
    records.sort(key=lambda record: record.date or dt.date.min, reverse=True)
    due = is_due(check.gate, ctx.gate)
    waiver = ctx.waived.get(check.id)
    if any(record.counts for record in records):
        status = "done"
    elif waiver is not None:
        status = "waived"
    elif not due:
        status = "upcoming"
    elif not records:
        status = "missing"
    else:
        status = _STATUS_BY_RULE.get(records[0].reason_rule, "invalid")
    return CheckStatus(
        id=check.id,
        title=check.title,
        gate=check.gate,
        due_date=review_date(ctx.data.project.release_date, check.gate),
        due=due,
        status=status,
        verifies=check.verifies,
        evidence=tuple(records),
        docname=check.docname,
        file=ctx.doc_path(check.docname),
        line=check.lineno,
        waiver=_waiver_view(waiver) if status == "waived" and waiver is not None else None,
        owner=check.owner,
    )


def _waiver_view(waiver: Waiver) -> dict[str, str]:
    return {"reason": waiver.reason, "approved_by": waiver.approved_by, "expires": str(waiver.expires)}


#: A due check's status, from the rule behind its latest record's rejection.
_STATUS_BY_RULE: dict[Rule | None, str] = {
    Rule.FAILED_EVIDENCE: "failed",
    Rule.STALE_EVIDENCE: "stale",
    Rule.TARGET_MISSED: "failed",
}
