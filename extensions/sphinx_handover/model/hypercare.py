"""How the handover may close otherwise than on evidence alone, from handover.yaml: the
KPIs that end hypercare (``hypercare.exit_kpis``) and the waivers of checks
(``waivers``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from . import units, yamlsrc
from .data_entry import Entry, Located, items


@dataclass(frozen=True)
class ExitKpi(Located):
    kpi: str = ""
    title: str = ""
    threshold: units.Threshold | None = None
    measured: units.Measure | None = None


@dataclass(frozen=True)
class Waiver(Located):
    check: str = ""
    reason: str = ""
    approved_by: str = ""
    expires: dt.date | None = None


def read_exit_kpis(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[ExitKpi, ...]:
    if node is None:
        return ()
    section = Entry(source, node, "hypercare", ("exit_kpis",))
    kpis = []
    for index, item in items(source, section.entries.get("exit_kpis", (None, None))[1], "hypercare.exit_kpis"):
        what = f"hypercare.exit_kpis[{index}]"
        entry = Entry(source, item, what, ("kpi", "title", "threshold", "measured"))
        threshold_text, measured_text = entry.text("threshold", required=True), entry.text("measured")
        threshold = units.parse_threshold(threshold_text)
        if threshold is None:
            raise source.error(
                entry.entries["threshold"][1],
                f"{what}.threshold: {threshold_text!r} is not a threshold (e.g. <= 2h, >= 95%, <= 0)",
            )
        measured = units.parse_measure(measured_text) if measured_text else None
        if measured_text and (measured is None or measured.unit != threshold.limit.unit):
            raise source.error(
                entry.entries["measured"][1],
                f"{what}.measured: {measured_text!r} is not a {threshold.limit.unit} like the threshold {threshold}",
            )
        kpis.append(
            ExitKpi(
                line=entry.line(),
                lines=entry.lines(),
                kpi=entry.text("kpi", required=True),
                title=entry.text("title"),
                threshold=threshold,
                measured=measured,
            )
        )
    return tuple(kpis)


def read_waivers(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[Waiver, ...]:
    waivers = []
    for index, item in items(source, node, "waivers"):
        entry = Entry(source, item, f"waivers[{index}]", ("check", "reason", "approved_by", "expires"))
        waivers.append(
            Waiver(
                line=entry.line(),
                lines=entry.lines(),
                check=entry.text("check", required=True),
                reason=entry.text("reason"),
                approved_by=entry.text("approved_by"),
                expires=entry.date("expires"),
            )
        )
    return tuple(waivers)
