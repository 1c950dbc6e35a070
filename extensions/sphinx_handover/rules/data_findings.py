"""What is wrong with handover.yaml's structured data, as plain values.

Pure functions shared by the rules (:mod:`.data_rules`, which word and locate the
problems) and the views (:mod:`.data_render`, which mark them in the tables), so the
site and the verdict can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..i18n.messages import _
from ..model.organisation import EscalationLevel, RaciRow, Role
from ..model.package_data import Policy
from ..model.service_levels import Agreement
from ..model.structured import Structured
from ..model.units import describe_hours

SPEED_MEASURES = ("first_response", "recovery")
DEFAULT_DRILL_AGE_DAYS = 90


def accountable_roles(row: RaciRow) -> list[str]:
    return [role for role, letters in row.assign.items() if "A" in letters]


def has_responsible(row: RaciRow) -> bool:
    return any("R" in letters for letters in row.assign.values())


def unknown_roles(row: RaciRow, roles: Mapping[str, Role]) -> list[str]:
    return [role for role in row.assign if role not in roles]


@dataclass(frozen=True)
class SpeedBreak:
    """An agreement that cannot carry the SLA of a severity it supports."""

    agreement: Agreement
    severity: str
    #: "first_response" or "recovery"; None when the sla does not define the severity.
    measure: str | None
    theirs: dt.timedelta | None = None
    ours: dt.timedelta | None = None


def speed_breaks(data: Structured) -> Iterator[SpeedBreak]:
    targets = {target.severity: target for target in data.sla}
    for agreement in data.agreements:
        for severity in agreement.supports:
            target = targets.get(severity)
            if target is None:
                yield SpeedBreak(agreement, severity, None)
                continue
            for measure in SPEED_MEASURES:
                theirs, ours = getattr(agreement, measure), getattr(target, measure)
                if theirs is not None and ours is not None and theirs > ours:
                    yield SpeedBreak(agreement, severity, measure, theirs, ours)


@dataclass(frozen=True)
class HoursGap:
    """Agreements covering one part of the service whose hours together miss SLA hours."""

    severity: str
    sla_hours: str
    agreements: tuple[Agreement, ...]
    #: The minutes of the week in the SLA hours that none of the agreements covers.
    uncovered: frozenset[int] = frozenset()

    def message(self) -> str:
        names = " + ".join(f"{agreement_label(a)} '{a.hours.text}'" for a in self.agreements if a.hours)
        return _(
            "hours of {names} do not cover the {severity} SLA hours '{hours}' (uncovered: {gaps}): "
            "extend the hours, or add an agreement for that time"
        ).format(names=names, severity=self.severity, hours=self.sla_hours, gaps=self.gaps())

    def gaps(self) -> str:
        """The uncovered hours as handover.yaml writes hours: ``Mon-Fri 00:00-09:00, Mon-Fri 18:00-24:00 and Sat-Sun 00:00-24:00``."""
        spans = describe_hours(self.uncovered)
        text = spans[0] if spans else ""
        for number, span in enumerate(spans[1:], start=2):
            joined = _("{first} and {last}") if number == len(spans) else _("{first}, {next}")
            text = joined.format(first=text, last=span, next=span)
        return text


def hours_gaps(data: Structured) -> Iterator[HoursGap]:
    """Per severity and per part of the service covered, the union of the agreements'
    hours must contain the SLA hours (a weekday OLA and a nights-and-weekends UC may
    share monitoring between them)."""
    for target in data.sla:
        if target.hours is None:
            continue
        groups: dict[str, list[Agreement]] = {}
        for agreement in data.agreements:
            if target.severity in agreement.supports and agreement.hours is not None:
                groups.setdefault(agreement.covers or agreement.name, []).append(agreement)
        for group in groups.values():
            covered = frozenset().union(
                *(agreement.hours.minutes for agreement in group if agreement.hours is not None)
            )
            if not target.hours.minutes <= covered:
                yield HoursGap(target.severity, target.hours.text, tuple(group), target.hours.minutes - covered)


def agreement_label(agreement: Agreement) -> str:
    return f"{agreement.kind.upper()} '{agreement.name}'"


@dataclass(frozen=True)
class DrillStatus:
    """When an escalation level was last tested, against the policy's age limit."""

    level: EscalationLevel
    #: Days since the last test on the as-of date; None when never tested.
    age_days: int | None
    limit_days: int

    @property
    def untested(self) -> bool:
        return self.age_days is None or self.age_days > self.limit_days


def drill_status(level: EscalationLevel, as_of: dt.date, policy: Policy) -> DrillStatus:
    age = (as_of - level.last_tested).days if level.last_tested else None
    return DrillStatus(level, age, policy.max_age_days.get("escalation-drill", DEFAULT_DRILL_AGE_DAYS))
