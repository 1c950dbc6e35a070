"""Rules that keep READY meaning ready: measured targets met, the required checklist
present, runbooks exercised and owned.

They register in the one table (:data:`.rules.RULES`) like every other rule, so their
problems join the verdict, the panel, the JSON report and the exit code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .data_rules import at_yaml
from .messages import _
from .rules import _at, _leaves_due_check_open, rule
from .rules_table import Rule
from .timeline import REVIEWS

if TYPE_CHECKING:
    from .model import Runbook
    from .verdict import GateContext, Problem

#: Rejections of a record that depend on what it measured (see :mod:`.targets`).
_MEASUREMENT_RULES = (Rule.TARGET_MISSED, Rule.MEASUREMENT_MISSING)

#: Runbooks must be exercised and owned by the final go/no-go review.
RUNBOOKS_BLOCK_FROM = "T-7"

#: The markers the templates leave for the author: [FILL IN], [FILL IN: team],
#: [CONFIRM], 【要記入】, 【要記入：担当チーム】, 【要確認】.
_PLACEHOLDER = re.compile(r"\[\s*(FILL IN|CONFIRM)\b[^\]]*\]|【\s*(要記入|要確認)[^】]*】", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.search(text))


@rule
def measured_targets(ctx: GateContext) -> Iterator[Problem]:
    """A record over target, or one lacking its measurements, at the record's line;
    it blocks while the check it was meant to prove has no other valid record."""
    for check in ctx.checks.values():
        for record in check.evidence:
            if record.reason_rule in _MEASUREMENT_RULES:
                evidence = ctx.needs.evidence[record.id]
                blocking = _leaves_due_check_open(ctx, (check.id,))
                yield _at(ctx, evidence, record.reason_rule, record.reason, blocking)


@rule
def required_checks(ctx: GateContext) -> Iterator[Problem]:
    """Deleting a checklist item (check and evidence) must not make a package READY:
    what is required is listed in handover.yaml, reviewed in git like any change."""
    policy = ctx.data.policy
    default_line = ctx.data.lines.get("policy", 1)
    for required in policy.required_checks:
        if required.id in ctx.needs.checks:
            continue
        if policy.required_checks_line is None:
            message = _(
                "required check {id} (the template's checklist, the default of policy.required_checks) is not in "
                "the package: restore it, or list the checks this package requires in policy.required_checks"
            ).format(id=required.id)
        else:
            message = _("required check {id} (policy.required_checks) is not in the package").format(id=required.id)
        yield at_yaml(ctx, Rule.REQUIRED_CHECK_MISSING, required.line or default_line, message)


@rule
def runbooks_exercised(ctx: GateContext) -> Iterator[Problem]:
    limit = ctx.data.policy.max_age_days.get("runbook-exercise", 365)
    blocking = ctx.gate is not None and REVIEWS[ctx.gate] >= REVIEWS[RUNBOOKS_BLOCK_FROM]
    for runbook in ctx.needs.runbooks.values():
        if _waived(ctx, runbook):
            continue
        if runbook.last_exercised is None:
            message = _("runbook {id} has never been exercised (no :last_exercised:); runbooks must be by {review}").format(
                id=runbook.id, review=RUNBOOKS_BLOCK_FROM
            )
        elif (age := (ctx.as_of - runbook.last_exercised).days) > limit:
            message = _(
                "runbook {id} was last exercised {age} days ago ({day}); the policy allows {limit} days"
            ).format(id=runbook.id, age=age, day=runbook.last_exercised, limit=limit)
        else:
            continue
        yield _at(ctx, runbook, Rule.RUNBOOK_UNEXERCISED, message, blocking)


@rule
def runbook_owners(ctx: GateContext) -> Iterator[Problem]:
    blocking = ctx.gate is not None and REVIEWS[ctx.gate] >= REVIEWS[RUNBOOKS_BLOCK_FROM]
    for runbook in ctx.needs.runbooks.values():
        if is_placeholder(runbook.owner):
            message = _("runbook {id} has no owner yet (:owner: {owner}): name the team that keeps it").format(
                id=runbook.id, owner=runbook.owner
            )
            yield _at(ctx, runbook, Rule.RUNBOOK_OWNER, message, blocking)


def _waived(ctx: GateContext, runbook: Runbook) -> bool:
    """A waiver in handover.yaml whose ``check:`` names the runbook, valid on the as-of date."""
    return runbook.id in ctx.waived
