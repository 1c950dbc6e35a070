"""Sign-offs against the current build: current or stale, and the decision a review needs.

Not a rule of :data:`.rules.RULES`: whether a sign-off is current depends on the verdict
of every other rule (the fingerprint covers ``ready``), so :func:`.verdict.evaluate`
runs :func:`review_signoffs` after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n.messages import _
from ..model import signoffs
from ..model.package_data import HandoverData
from ..model.signoffs import APPROVING, DECIDING_ROWS, Signoff, SignoffFileError
from .data_findings import accountable_roles
from .data_rules import at_file
from .rules_table import Rule
from .signoff_fingerprint import CONTENT_PARTS, changes, current_parts, fingerprint
from .verdict import SignoffStatus

if TYPE_CHECKING:
    from .verdict import GateContext, Problem


@dataclass(frozen=True)
class SignoffReview:
    statuses: tuple[SignoffStatus, ...]
    problems: tuple[Problem, ...]
    #: The parts of the current build and their fingerprint (what ``handover signoff`` records).
    parts: dict[str, Any]


def accountable_role(data: HandoverData, review: str) -> tuple[str | None, str | None]:
    """(the RACI row that decides at *review*, its one accountable role); (None, None)
    when any role may sign off at that review."""
    names = DECIDING_ROWS.get(review)
    if not names:
        return None, None
    rows = {row.decision: row for row in data.structured.raci}
    for name in names:
        if name in rows:
            roles = accountable_roles(rows[name])
            return name, roles[0] if len(roles) == 1 else None
    return names[0], None


def review_signoffs(ctx: GateContext, problems: list[Problem]) -> SignoffReview:
    ready = not any(problem.blocking for problem in problems)
    parts = current_parts(ctx, ready)
    try:
        _text, records = signoffs.read(ctx.root)
    except SignoffFileError as error:
        return SignoffReview(
            (),
            (
                _at(
                    ctx,
                    Rule.SIGNOFF_INVALID,
                    error.line,
                    _("{problem}: correct the record, or restore signoffs.yaml from git").format(problem=str(error)),
                ),
            ),
            parts,
        )
    latest = {record.review: index for index, record in enumerate(records)}
    statuses = tuple(
        _status(ctx, record, parts, latest[record.review] != index) for index, record in enumerate(records)
    )
    found = [problem for status in statuses if (problem := _stale(ctx, status)) is not None]
    found.extend(problem for status in statuses if (problem := _signer(ctx, status)) is not None)
    found.extend(_required(ctx, statuses))
    return SignoffReview(statuses, tuple(found), parts)


def _status(ctx: GateContext, record: Signoff, parts: dict[str, Any], superseded: bool) -> SignoffStatus:
    # At its own review the whole verdict counts; at another, only the content.
    scope = None if record.review == ctx.gate else CONTENT_PARTS
    current = (
        fingerprint(record.parts, scope) == fingerprint(parts, scope)
        if scope
        else record.fingerprint == fingerprint(parts)
    )
    said = () if current else tuple(changes(record.parts, parts, scope or tuple(parts)))
    return SignoffStatus(record, current, superseded, said)


def _stale(ctx: GateContext, status: SignoffStatus) -> Problem | None:
    if status.current or status.superseded:
        return None
    record = status.signoff
    message = _(
        "the {decision} sign-off of {review} by {by} ({role}, {at}) is stale: {changes}; review the changes and sign off again with 'handover signoff'"
    ).format(
        decision=_decision(record.decision),
        review=record.review,
        by=record.by,
        role=record.role,
        at=record.at,
        changes="; ".join(status.changes) or _("the fingerprint differs"),
    )
    return _at(ctx, Rule.SIGNOFF_STALE, record.line, message, blocking=_required_now(ctx, record.review))


def _signer(ctx: GateContext, status: SignoffStatus) -> Problem | None:
    """A sign-off counts only by the person its role names in handover.yaml: signoffs.yaml
    is a file anyone can edit, and a decision is worth what its signer's role is."""
    record = status.signoff
    if status.superseded:
        return None
    role = ctx.data.structured.roles.get(record.role)
    if role is None:
        message = _("the sign-off of {review} names the role {role}, which is not a role of handover.yaml").format(
            review=record.review, role=record.role
        )
    elif not role.names(record.by):
        message = _(
            "the sign-off of {review} is by {by}, whom the role {role} does not name (roles.{role}.who: {who}): "
            "the person the role names signs off; if the role changed hands, correct roles.{role}.who first"
        ).format(review=record.review, by=record.by, role=record.role, who=role.who or "—")
    else:
        return None
    return _at(ctx, Rule.SIGNOFF_SIGNER, record.line, message, blocking=_required_now(ctx, record.review))


def _decision(decision: str) -> str:
    return {"go": _("go"), "no-go": _("no-go"), "conditional": _("conditional go")}.get(decision, decision)


def _required(ctx: GateContext, statuses: tuple[SignoffStatus, ...]) -> list[Problem]:
    review = ctx.gate
    if review is None or not _required_now(ctx, review):
        return []
    mine = [status for status in statuses if status.signoff.review == review and not status.superseded]
    if not mine:
        message = _(
            "policy.signoff_required: the {review} review needs a go sign-off by the accountable role: record it with 'handover signoff --review {review}'"
        ).format(review=review)
        return [_at(ctx, Rule.SIGNOFF_MISSING, ctx.data.policy.signoff_required_line or 1, message, in_yaml=True)]
    record = mine[0].signoff
    _row, role = accountable_role(ctx.data, review)
    if record.decision not in APPROVING:
        message = _(
            "the latest sign-off of {review} is {decision}: the review passes only after a go or conditional sign-off"
        ).format(review=review, decision=record.decision)
    elif role is not None and record.role != role:
        message = _(
            "the sign-off of {review} is by {role}, not by the accountable role {accountable}: the accountable role signs off"
        ).format(review=review, role=record.role, accountable=role)
    else:
        return []
    return [_at(ctx, Rule.SIGNOFF_MISSING, record.line, message)]


def _required_now(ctx: GateContext, review: str) -> bool:
    return review == ctx.gate and review in ctx.data.policy.signoff_required


def _at(
    ctx: GateContext, rule_id: Rule, line: int, message: str, blocking: bool = True, in_yaml: bool = False
) -> Problem:
    path = ctx.data.path if in_yaml else ctx.root / signoffs.FILENAME
    return at_file(ctx, rule_id, path, line, message, blocking)
