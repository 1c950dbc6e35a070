"""The gate rules: one small function each, registered in :data:`RULES`.

A rule reads the :class:`~.verdict.GateContext` (needs, handover.yaml, the evidence
assessments and check statuses already derived) and yields problems located at the
need they concern. Rules never log: the Sphinx wiring logs the verdict once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..i18n.labels import label
from ..i18n.messages import _
from ..model.needs import NEED_TYPES, Located
from .rules_table import Rule

if TYPE_CHECKING:
    from .verdict import GateContext, Problem

RuleFunction = Callable[["GateContext"], Iterable["Problem"]]
RULES: list[RuleFunction] = []

#: Evidence problems that make the package itself wrong, whatever the check's review.
_INTEGRITY = {
    Rule.FUTURE_EVIDENCE,
    Rule.MISSING_ARTIFACT,
    Rule.ARTIFACT_OUTSIDE,
    Rule.ARTIFACT_HASH,
    Rule.INVALID_OPTION,
    Rule.MISSING_OPTION,
}


def rule(function: RuleFunction) -> RuleFunction:
    RULES.append(function)
    return function


def run_all(ctx: GateContext) -> Iterator[Problem]:
    for function in RULES:
        yield from function(ctx)


def _at(ctx: GateContext, need: Located, rule_id: Rule, message: str, blocking: bool = True) -> Problem:
    from .verdict import Problem

    return Problem(
        rule=rule_id,
        need_id=need.id,
        file=ctx.doc_path(need.docname),
        line=need.lineno,
        message=message,
        blocking=blocking,
        docname=need.docname,
        need_title=need.title,
        owner=getattr(need, "owner", ""),
    )


def _type_name(ctx: GateContext, need_type: str) -> str:
    """``req`` in English messages, ``要件`` in Japanese ones."""
    return need_type if ctx.data.project.language == "en" else label(ctx.data.project.language, f"type_{need_type}")


@rule
def id_prefix(ctx: GateContext) -> Iterator[Problem]:
    for need in ctx.needs.all():
        prefix = NEED_TYPES[need.type]
        if not need.id.startswith(prefix):
            yield _at(
                ctx,
                need,
                Rule.ID_PREFIX,
                _("{type} id {id!r} must start with {prefix}: rename it, and the links to it").format(
                    type=_type_name(ctx, need.type), id=need.id, prefix=prefix
                ),
            )


@rule
def need_options(ctx: GateContext) -> Iterator[Problem]:
    """Missing or unparseable options, except on evidence (reported with its flaws)."""
    for need in ctx.needs.all():
        if need.type == "evidence":
            continue
        for issue in need.issues:
            yield _at(ctx, need, issue.rule, issue.message)


@rule
def need_sources(ctx: GateContext) -> Iterator[Problem]:
    """Unknown options, missing ids and duplicate ids, recorded as the pages were read."""
    from .verdict import Problem

    for error in ctx.source_errors:
        yield Problem(
            rule=error.rule,
            need_id=error.need_id,
            file=ctx.doc_path(error.docname),
            line=error.line,
            message=error.message,
            docname=error.docname,
        )


@rule
def links(ctx: GateContext) -> Iterator[Problem]:
    """unknown_id and wrong_link_type, for :verifies: and :proves:."""
    expected = [(check, "verifies", check.verifies, "req") for check in ctx.needs.checks.values()] + [
        (ev, "proves", ev.proves, "check") for ev in ctx.needs.evidence.values()
    ]
    for need, option, targets, wanted in expected:
        for target in targets:
            actual = ctx.needs.types_by_id.get(target)
            if actual is None:
                yield _at(
                    ctx,
                    need,
                    Rule.UNKNOWN_ID,
                    _("{id} :{option}: unknown id {target}: correct the id, or write that need").format(
                        id=need.id, option=option, target=target
                    ),
                )
            elif actual != wanted:
                yield _at(
                    ctx,
                    need,
                    Rule.WRONG_LINK_TYPE,
                    _("{id} :{option}: {target} is a {actual}, not a {wanted}: link a {wanted} there").format(
                        id=need.id,
                        option=option,
                        target=target,
                        actual=_type_name(ctx, actual),
                        wanted=_type_name(ctx, wanted),
                    ),
                )


@rule
def uncovered_requirement(ctx: GateContext) -> Iterator[Problem]:
    verified = {req_id for check in ctx.needs.checks.values() for req_id in check.verifies}
    for requirement in ctx.needs.requirements.values():
        if requirement.id not in verified:
            yield _at(
                ctx,
                requirement,
                Rule.UNCOVERED_REQUIREMENT,
                _("requirement {id} is not verified by any check: add a check with :verifies: {id}").format(
                    id=requirement.id
                ),
            )


@rule
def evidence_flaws(ctx: GateContext) -> Iterator[Problem]:
    """Flaws of a record itself: failed, future, artifact, options.

    A failed record blocks only while none of its due checks is done otherwise: a
    failed restore test followed by a passing retest is history, not a gap.
    """
    for evidence in ctx.needs.evidence.values():
        for rule_id, message in ctx.evidence_flaws[evidence.id]:
            blocking = rule_id in _INTEGRITY or _leaves_due_check_open(ctx, evidence.proves)
            yield _at(ctx, evidence, rule_id, message, blocking)


@rule
def stale_evidence(ctx: GateContext) -> Iterator[Problem]:
    for check in ctx.checks.values():
        for record in check.evidence:
            if record.reason_rule is Rule.STALE_EVIDENCE:
                evidence = ctx.needs.evidence[record.id]
                blocking = _leaves_due_check_open(ctx, (check.id,))
                yield _at(ctx, evidence, Rule.STALE_EVIDENCE, record.reason, blocking)


@rule
def missing_evidence(ctx: GateContext) -> Iterator[Problem]:
    """A due check left open with no record that explains why at its own location."""
    for status in ctx.checks.values():
        if status.satisfied or not status.due:
            continue
        if any(record.reason_rule is not None for record in status.evidence):
            continue
        check = ctx.needs.checks[status.id]
        reasons = "; ".join(record.reason for record in status.evidence)
        detail = f" ({reasons})" if reasons else ""
        yield _at(
            ctx,
            check,
            Rule.MISSING_EVIDENCE,
            _(
                "check {id} is due at {gate} ({date}) and has no valid evidence: record it with 'handover evidence add {id} FILE --owner WHO', or a waiver in handover.yaml"
            ).format(id=check.id, gate=check.gate, date=status.due_date)
            + detail,
        )


def _leaves_due_check_open(ctx: GateContext, check_ids: Iterable[str]) -> bool:
    return any(
        (status := ctx.checks.get(check_id)) is not None and status.due and not status.satisfied
        for check_id in check_ids
    )
