"""What a restore test or dry run measured, held against the targets it must meet, and
the day on which a record's age is counted.

A restore log that shows a missed RTO is no evidence that backups can be restored in
time, so a record over its target does not count (``target_missed``). A kind that
exists to measure (restore-test, dry-run: ``policy.required_measurements``) proves
nothing without its measurements (``measurement_missing``). Targets are the check's
own ``:target_rto:`` / ``:target_rpo:`` (a part of the service with its own target),
else ``service.rto`` / ``service.rpo`` of handover.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..i18n.labels import duration_text, has_label, label
from ..i18n.messages import _
from ..model.needs import Check, Evidence
from ..model.package_data import HandoverData
from ..model.timeline import review_date
from ..model.units import format_duration
from .rules_table import Rule

_LABELS = {"rto": "RTO", "rpo": "RPO"}


@dataclass(frozen=True)
class Targets:
    rto: dt.timedelta | None
    rpo: dt.timedelta | None

    def of(self, measure: str) -> dt.timedelta | None:
        return self.rto if measure == "rto" else self.rpo


def targets_for(check: Check, data: HandoverData) -> Targets:
    """The check's own targets where it states them, else the service's."""
    return Targets(check.target_rto or data.service.rto, check.target_rpo or data.service.rpo)


def measured(evidence: Evidence, measure: str) -> dt.timedelta | None:
    return evidence.measured_rto if measure == "rto" else evidence.measured_rpo


def measurement_problem(check: Check, evidence: Evidence, data: HandoverData) -> tuple[Rule, str] | None:
    """Why *evidence* cannot prove *check* for what it measured, or None.

    The kind that decides which measurements are required is the check's
    ``:evidence_kind:`` (what the check asks for), else the record's own ``:kind:``.
    """
    kind = check.evidence_kind or evidence.kind
    required = data.policy.required_measurements.get(kind, ())
    lacking = [_LABELS[measure] for measure in required if measured(evidence, measure) is None]
    if lacking:
        options = ", ".join(f":measured_{name.lower()}:" for name in lacking)
        return Rule.MEASUREMENT_MISSING, _(
            "{id} is a {kind} without its measured {what} ({options}): it does not count for {check}; add {options}"
        ).format(id=evidence.id, kind=_kind_text(data, kind), what=" / ".join(lacking), options=options, check=check.id)
    targets = targets_for(check, data)
    for measure in ("rto", "rpo"):
        value, target = measured(evidence, measure), targets.of(measure)
        if value is not None and target is not None and value > target:
            return Rule.TARGET_MISSED, _(
                "{id} measured {label} {value}, over the target {target} of {check}: it does not count; fix the cause and repeat it within the target"
            ).format(
                id=evidence.id,
                label=_LABELS[measure],
                value=_duration(data, value),
                target=_duration(data, target),
                check=check.id,
            )
    return None


def _kind_text(data: HandoverData, kind: str) -> str:
    """An evidence kind as the site names it: ``dry-run`` in English, ``ドライラン`` in Japanese."""
    key = f"value_kind_{kind}"
    return (
        label(data.project.language, key)
        if data.project.language != "en" and has_label(data.project.language, key)
        else kind
    )


def _duration(data: HandoverData, value: dt.timedelta) -> str:
    """``2h20m`` in English messages, ``2時間20分`` in Japanese ones."""
    return format_duration(value) if data.project.language == "en" else duration_text(data.project.language, value)


def age_counted_on(check: Check, data: HandoverData, as_of: dt.date) -> dt.date:
    """The day a record's age is counted for *check*.

    At the review the check is due at (or the as-of date, if earlier): evidence valid
    at its review stays valid through hypercare. A check with ``:freshness:
    continuous`` (restore tests that must stay current after go-live) counts on the
    as-of date, always.
    """
    if check.freshness == "continuous":
        return as_of
    return min(as_of, review_date(data.project.release_date, check.gate))


def stale_reason(check: Check, evidence: Evidence, data: HandoverData, as_of: dt.date, limit: int | None) -> str:
    """Why the record is too old for *check* ("" when it is not), its age counted on the
    day :func:`age_counted_on` gives."""
    if not limit or evidence.date is None:
        return ""
    counted_on = age_counted_on(check, data, as_of)
    age = (counted_on - evidence.date).days
    if age <= limit:
        return ""
    if counted_on == as_of:
        return _(
            "{id} is {age} days old on {as_of}; {check} accepts at most {limit} days: repeat it and record the new run"
        ).format(id=evidence.id, age=age, as_of=as_of, check=check.id, limit=limit)
    return _(
        "{id} was {age} days old at {review} ({date}), the review {check} is due at; it accepts at most {limit} days: repeat it and record the new run"
    ).format(id=evidence.id, age=age, review=check.gate, date=counted_on, check=check.id, limit=limit)
