"""The structured sections of handover.yaml, read into one record: the service chain
(:mod:`.service_levels`), the organisation, its coverage and escalation
(:mod:`.organisation`), hypercare's exit KPIs and the waivers (:mod:`.hypercare`).

Malformed input (a wrong type, a bad date or duration, an unknown key) raises a
located :class:`HandoverInputError` where each section is read; what is well-formed
but wrong for the handover (two accountable roles, a hole in the coverage) is left to
the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from . import yamlsrc
from .hypercare import ExitKpi, Waiver, read_exit_kpis, read_waivers
from .organisation import (
    CoverageCell,
    EscalationLevel,
    RaciRow,
    Role,
    read_coverage,
    read_escalation,
    read_raci,
    read_roles,
)
from .service_levels import Agreement, SlaTarget, read_agreements, read_sla


@dataclass(frozen=True)
class Structured:
    sla: tuple[SlaTarget, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    roles: dict[str, Role] = field(default_factory=dict)
    raci: tuple[RaciRow, ...] = ()
    coverage: dict[tuple[str, str], CoverageCell] = field(default_factory=dict)
    coverage_line: int = 0
    escalation: tuple[EscalationLevel, ...] = ()
    exit_kpis: tuple[ExitKpi, ...] = ()
    waivers: tuple[Waiver, ...] = ()


SECTIONS = ("sla", "olas", "ucs", "roles", "raci", "coverage", "escalation", "hypercare", "waivers")


def load(source: yamlsrc.Source, top: dict[str, tuple[yaml.ScalarNode, yaml.Node]]) -> Structured:
    def section(name: str) -> yaml.Node | None:
        return top[name][1] if name in top else None

    agreements = read_agreements(source, section("olas"), "ola") + read_agreements(source, section("ucs"), "uc")
    coverage, coverage_line = read_coverage(source, section("coverage"), top.get("coverage"))
    return Structured(
        sla=read_sla(source, section("sla")),
        agreements=agreements,
        roles=read_roles(source, section("roles")),
        raci=read_raci(source, section("raci")),
        coverage=coverage,
        coverage_line=coverage_line,
        escalation=read_escalation(source, section("escalation")),
        exit_kpis=read_exit_kpis(source, section("hypercare")),
        waivers=read_waivers(source, section("waivers")),
    )
