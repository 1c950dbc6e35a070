"""``{handover-targets}``: chapter 1's quality targets from handover.yaml (service hours,
availability, RTO, RPO), with the values the latest valid restore test or dry run
measured beside RTO and RPO.

A reader sees the promise and what was shown of it on one row; both come from the
build (handover.yaml and the verdict), so moving a target or adding a test updates the
page on the next build. Only records that count are shown (one over target does not),
and only records of checks held to the service's target (a check with its own
``:target_rto:`` measures another part of the service).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docutils import nodes

from ..i18n.labels import date_text, duration_text
from ..integration.state import BuildState
from . import data_cells as cells
from .tables import Cell, table

_LABELS = {
    "en": {
        "target": "Target",
        "value": "Value",
        "measured": "Measured (latest valid test)",
        "hours": "Service hours",
        "availability": "Availability",
        "rto": "RTO (recovery time objective)",
        "rpo": "RPO (recovery point objective)",
        "not_measured": "no valid measurement yet",
        "seconds": "{n}s",
        "record": "{kind}: {id}, {date}",
        "kind_restore-test": "restore test",
        "kind_dry-run": "dry run",
    },
    "ja": {
        "target": "項目",
        "value": "目標値",
        "measured": "実測値（直近の有効な試験）",
        "hours": "運用時間",
        "availability": "稼働率",
        "rto": "RTO（目標復旧時間）",
        "rpo": "RPO（目標復旧地点）",
        "not_measured": "有効な実測値はまだありません",
        "seconds": "{n}秒",
        "record": "{kind}：{id}、{date}",
        "kind_restore-test": "リストア試験",
        "kind_dry-run": "ドライラン",
    },
}


def _label(lang: str, key: str) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key]


@dataclass(frozen=True)
class Measurement:
    value: dt.timedelta
    evidence_id: str
    date: dt.date
    kind: str


def latest_measurements(build: BuildState) -> dict[tuple[str, str], Measurement]:
    """(measure "rto"/"rpo", evidence kind) -> the latest counting record of that kind
    that measured it: a restore test and a dry run measure different things, so the
    reader sees each."""
    found: dict[tuple[str, str], Measurement] = {}
    if build.verdict is None or build.needs is None:
        return found
    for status in build.verdict.checks:
        check = build.needs.checks.get(status.id)
        for record in status.evidence:
            evidence = build.needs.evidence.get(record.id)
            if check is None or evidence is None or not record.counts or evidence.date is None:
                continue
            for measure, own_target, value in (
                ("rto", check.target_rto, evidence.measured_rto),
                ("rpo", check.target_rpo, evidence.measured_rpo),
            ):
                if value is None or own_target is not None:
                    continue
                key = (measure, evidence.kind or check.evidence_kind)
                known = found.get(key)
                if known is None or (evidence.date, evidence.id) > (known.date, known.evidence_id):
                    found[key] = Measurement(value, evidence.id, evidence.date, key[1])
    return found


def targets(build: BuildState) -> list[nodes.Node]:
    lang, service = build.data.project.language, build.data.service
    measured = latest_measurements(build)
    rows: list[list[Cell]] = [
        # No record measures them: the cell says so as every empty cell of the site does.
        [_label(lang, "hours"), service.hours or cells.NOTHING, cells.NOTHING],
        [_label(lang, "availability"), service.availability or cells.NOTHING, cells.NOTHING],
    ]
    for measure, target in (("rto", service.rto), ("rpo", service.rpo)):
        of_measure = sorted((m for (name, _), m in measured.items() if name == measure), key=lambda m: (m.kind, m.date))
        rows.append([_label(lang, measure), cells.duration(lang, target), _measured_cell(lang, of_measure)])
    headers = [_label(lang, key) for key in ("target", "value", "measured")]
    return [table(headers, rows, ["handover-data", "handover-targets"], (30, 30, 40))]


def _measured_cell(lang: str, measurements: list[Measurement]) -> Cell:
    if not measurements:
        return cells.small(_label(lang, "not_measured"))
    found: list[nodes.Node] = []
    for measurement in sorted(measurements, key=lambda m: (m.kind != "restore-test", m.kind)):
        found.append(nodes.paragraph(text=_duration(lang, measurement.value)))
        record = _label(lang, "record").format(
            kind=_LABELS.get(lang, _LABELS["en"]).get(f"kind_{measurement.kind}", measurement.kind or "-"),
            id=measurement.evidence_id,
            date=date_text(lang, measurement.date),
        )
        found.append(cells.small(record))
    return found


def _duration(lang: str, value: dt.timedelta) -> str:
    """As the reader says it, seconds included (a restore log states ``3分12秒``)."""
    seconds = int(value.total_seconds()) % 60
    whole_minutes = value - dt.timedelta(seconds=seconds)
    text = duration_text(lang, whole_minutes) if whole_minutes else ""
    if seconds:
        text = (
            f"{text} {_label(lang, 'seconds').format(n=seconds)}".strip()
            if lang != "ja"
            else text + _label(lang, "seconds").format(n=seconds)
        )
    return text or duration_text(lang, value)
