"""The service chain of handover.yaml: the SLA's targets per severity (``sla``) and the
agreements that carry them, internal OLAs (``olas``) and suppliers' UCs (``ucs``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from . import units, yamlsrc
from .data_entry import Entry, Located, items


@dataclass(frozen=True)
class SlaTarget(Located):
    severity: str = ""
    definition: str = ""
    first_response: dt.timedelta | None = None
    recovery: dt.timedelta | None = None
    hours: units.ServiceHours | None = None


@dataclass(frozen=True)
class Agreement(Located):
    """An internal OLA or a supplier's underpinning contract (UC)."""

    kind: str = "ola"  # "ola" or "uc"
    name: str = ""
    provider: str = ""
    #: What part of the service it covers; agreements covering the same part share
    #: the hours between them (a weekday OLA plus an out-of-hours UC).
    covers: str = ""
    supports: tuple[str, ...] = ()
    first_response: dt.timedelta | None = None
    recovery: dt.timedelta | None = None
    hours: units.ServiceHours | None = None


def read_sla(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[SlaTarget, ...]:
    targets = []
    for index, item in items(source, node, "sla"):
        entry = Entry(source, item, f"sla[{index}]", ("severity", "definition", "first_response", "recovery", "hours"))
        targets.append(
            SlaTarget(
                line=entry.line(),
                lines=entry.lines(),
                severity=entry.text("severity", required=True),
                definition=entry.text("definition"),
                first_response=entry.duration("first_response"),
                recovery=entry.duration("recovery"),
                hours=entry.hours("hours"),
            )
        )
    return tuple(targets)


def read_agreements(source: yamlsrc.Source, node: yaml.Node | None, kind: str) -> tuple[Agreement, ...]:
    section = "olas" if kind == "ola" else "ucs"
    name_key = "name" if kind == "ola" else "supplier"
    keys: tuple[str, ...] = (name_key, "provider", "covers", "supports", "first_response", "recovery", "hours")
    if kind == "uc":
        keys = tuple(key for key in keys if key != "provider")
    found = []
    for index, item in items(source, node, section):
        entry = Entry(source, item, f"{section}[{index}]", keys)
        found.append(
            Agreement(
                line=entry.line(),
                lines=entry.lines(),
                kind=kind,
                name=entry.text(name_key, required=True),
                provider=entry.text("provider"),
                covers=entry.text("covers"),
                supports=entry.names("supports"),
                first_response=entry.duration("first_response"),
                recovery=entry.duration("recovery"),
                hours=entry.hours("hours"),
            )
        )
    return tuple(found)
