"""Rules that keep READY meaning ready: measured targets met, the required checklist
present, runbooks exercised and owned.

They register in the one table (:data:`.rules.RULES`) like every other rule, so their
problems join the verdict, the panel, the JSON report and the exit code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n.messages import _
from ..model.timeline import REVIEWS
from .data_rules import at_yaml
from .need_rules import _at, _leaves_due_check_open, rule
from .placeholders import Marker, is_placeholder
from .rules_table import Rule

if TYPE_CHECKING:
    from ..model.needs import Located, Runbook
    from .verdict import GateContext, Problem

#: Rejections of a record that depend on what it measured (see :mod:`.targets`).
_MEASUREMENT_RULES = (Rule.TARGET_MISSED, Rule.MEASUREMENT_MISSING)

#: Runbooks must be exercised and owned by the final go/no-go review.
RUNBOOKS_BLOCK_FROM = "T-7"

#: Every template marker left blocks from this review on, wherever it is.
PLACEHOLDERS_BLOCK_BY = "T-7"


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
            message = _(
                "required check {id} (policy.required_checks) is not in the package: write the check, or remove it from policy.required_checks"
            ).format(id=required.id)
        yield at_yaml(ctx, Rule.REQUIRED_CHECK_MISSING, required.line or default_line, message)


@rule
def runbooks_exercised(ctx: GateContext) -> Iterator[Problem]:
    limit = ctx.data.policy.max_age_days.get("runbook-exercise", 365)
    blocking = ctx.gate is not None and REVIEWS[ctx.gate] >= REVIEWS[RUNBOOKS_BLOCK_FROM]
    for runbook in ctx.needs.runbooks.values():
        if _waived(ctx, runbook):
            continue
        if runbook.last_exercised is None:
            message = _(
                "runbook {id} has never been exercised (no :last_exercised:); runbooks must be by {review}: exercise it and set :last_exercised: to that day"
            ).format(id=runbook.id, review=RUNBOOKS_BLOCK_FROM)
        elif (age := (ctx.as_of - runbook.last_exercised).days) > limit:
            message = _(
                "runbook {id} was last exercised {age} days ago ({day}); the policy allows {limit} days: exercise it again and update :last_exercised:"
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


@dataclass(frozen=True)
class DueMarker:
    marker: Marker
    #: The page it is on (None: handover.yaml) and the need that holds it, if any.
    docname: str | None
    need: Located | None
    #: The review from which it blocks.
    due: str

    def blocks_at(self, gate: str | None) -> bool:
        return gate is not None and REVIEWS[gate] >= REVIEWS[self.due]


def due_markers(ctx: GateContext) -> list[DueMarker]:
    """When each marker of the site blocks: a marker in a check, or in an evidence record
    or requirement of checks, from the review the (earliest) check is due at; anywhere
    else on a page, from the earliest review of the checks written there or verifying
    its requirements; every marker by T-7 at the latest (handover.yaml's and the
    runbooks' at T-7)."""
    by_line = {(need.docname, need.lineno): need for need in ctx.needs.all()}
    page_reviews: dict[str, list[str]] = {}
    found = []
    for marker, docname in ctx.placeholders:
        need = _holding_need(ctx, marker, docname, by_line)
        if need is not None and need.type == "runbook" and marker.option == "owner":
            continue  # reported as runbook_owner
        reviews = _reviews_of(ctx, need) if need is not None else []
        if not reviews and docname is not None and (need is None or need.type != "runbook"):
            reviews = page_reviews.setdefault(docname, _page_reviews(ctx, docname))
        due = min([*reviews, PLACEHOLDERS_BLOCK_BY], key=REVIEWS.__getitem__)
        found.append(DueMarker(marker, docname, need, due))
    return found


def _holding_need(
    ctx: GateContext, marker: Marker, docname: str | None, by_line: dict[tuple[str, int], Located]
) -> Located | None:
    if docname is None or marker.need_line is None:
        return None
    if marker.need_id:
        for kind in (ctx.needs.checks, ctx.needs.evidence, ctx.needs.requirements, ctx.needs.runbooks):
            if (need := kind.get(marker.need_id)) is not None and need.docname == docname:
                return need
    return by_line.get((docname, marker.need_line))


def _page_reviews(ctx: GateContext, docname: str) -> list[str]:
    """The reviews of the checks written on the page and of those verifying its requirements."""
    requirements = {req.id for req in ctx.needs.requirements.values() if req.docname == docname}
    return [
        check.gate
        for check in ctx.needs.checks.values()
        if check.docname == docname or requirements.intersection(check.verifies)
    ]


def _reviews_of(ctx: GateContext, need: Located) -> list[str]:
    checks = ctx.needs.checks
    if need.type == "check":
        return [checks[need.id].gate]
    if need.type == "evidence":
        return [checks[id_].gate for id_ in ctx.needs.evidence[need.id].proves if id_ in checks]
    if need.type == "req":
        return [check.gate for check in checks.values() if need.id in check.verifies]
    return []


@rule
def placeholders(ctx: GateContext) -> Iterator[Problem]:
    """Unfilled template content: one problem per line once it blocks, and before that
    one per file and review, at the first marker (a fresh package holds hundreds)."""
    later: dict[tuple[Path, str], list[DueMarker]] = {}
    for line_markers in _by_line(due_markers(ctx)):
        first = line_markers[0]
        if first.blocks_at(ctx.gate):
            written = ", ".join(item.marker.text for item in line_markers)
            message = _(
                "unfilled template text {markers}: write the real content, or remove the marker once confirmed"
            ).format(markers=written)
            yield _at_marker(ctx, first, message, blocking=True)
        else:
            later.setdefault((first.marker.path, first.due), []).extend(line_markers)
    for (_path, due), markers in later.items():
        message = _(
            "{count} unfilled template marker(s) in this file, the first here ({marker}); they block from the {review} review"
        ).format(count=len(markers), marker=markers[0].marker.text, review=due)
        yield _at_marker(ctx, markers[0], message, blocking=False)


def _by_line(markers: list[DueMarker]) -> Iterator[list[DueMarker]]:
    line: list[DueMarker] = []
    for item in markers:
        if line and (item.marker.path, item.marker.line) != (line[0].marker.path, line[0].marker.line):
            yield line
            line = []
        line.append(item)
    if line:
        yield line


def _at_marker(ctx: GateContext, item: DueMarker, message: str, blocking: bool) -> Problem:
    from .verdict import Problem

    need = item.need
    return Problem(
        rule=Rule.PLACEHOLDER,
        need_id=need.id if need else None,
        file=item.marker.path.relative_to(ctx.root).as_posix(),
        line=item.marker.line,
        message=message,
        blocking=blocking,
        docname=item.docname,
        need_title=need.title if need else "",
        owner=getattr(need, "owner", "") if need else "",
    )
