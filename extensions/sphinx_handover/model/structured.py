"""The structured sections of handover.yaml: service levels, organisation, coverage,
escalation, hypercare exit KPIs and waivers.

Malformed input (a wrong type, a bad date or duration, an unknown key) raises a
located :class:`HandoverInputError` here; what is well-formed but wrong for the
handover (two accountable roles, a hole in the coverage) is left to the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from ..i18n.messages import _
from . import units, yamlsrc

LAYERS = ("platform", "application", "business_operations")
ITEMS = (
    "monitoring",
    "first_response",
    "bug_fix",
    "minor_change",
    "patch_vulnerability",
    "accounts",
    "bcp_backup",
    "change_management",
    "capacity",
)
MAINTENANCE = ("corrective", "preventive", "adaptive", "perfective")
UNDECIDED = {"", "tbd", "未定", "?", "？", "要確認"}
RACI_LETTERS = "RACI"


@dataclass(frozen=True)
class Located:
    line: int
    #: field name -> line, to point at the exact value a rule is about.
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


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


@dataclass(frozen=True)
class Role(Located):
    id: str = ""
    name: str = ""
    who: str = ""


@dataclass(frozen=True)
class RaciRow(Located):
    decision: str = ""
    title: str = ""
    #: role id -> letters (a subset of "RACI")
    assign: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CoverageCell(Located):
    layer: str = ""
    item: str = ""
    who: str = ""
    contracted: bool | None = None
    sla: str = ""
    maintenance: str = ""
    #: None: applicable; "" : marked N/A without a reason; text: the reason.
    na_reason: str | None = None
    #: What is undecided, for the rules and the table ("" when nothing is).
    hole: str = ""


@dataclass(frozen=True)
class EscalationLevel(Located):
    level: int = 0
    who: str = ""
    role: str = ""
    channel: str = ""
    hours: units.ServiceHours | None = None
    within: dt.timedelta | None = None
    last_tested: dt.date | None = None


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


class Entry:
    """One mapping of the file, read field by field with located errors."""

    def __init__(self, source: yamlsrc.Source, node: yaml.Node, what: str, keys: Iterable[str]) -> None:
        self.source, self.node, self.what = source, node, what
        self.entries = yamlsrc.mapping(source, node, what, keys)

    def line(self) -> int:
        return self.source.line_of(self.node)

    def lines(self) -> dict[str, int]:
        return {key: self.source.line_of(value) for key, (_, value) in self.entries.items()}

    def has(self, key: str) -> bool:
        return key in self.entries

    def text(self, key: str, *, required: bool = False) -> str:
        if key not in self.entries:
            if required:
                raise self.source.error(self.node, f"{self.what}: missing required key {key!r}")
            return ""
        return yamlsrc.text(self.source, self.entries[key][1], f"{self.what}.{key}", allow_empty=not required)

    def duration(self, key: str) -> dt.timedelta | None:
        value = self.text(key)
        if not value:
            return None
        parsed = units.parse_duration(value)
        if parsed is None:
            raise self.source.error(
                self.entries[key][1], f"{self.what}.{key}: {value!r} is not a duration (e.g. 30m, 4h, 1h30m, 2d)"
            )
        return parsed

    def hours(self, key: str) -> units.ServiceHours | None:
        value = self.text(key)
        if not value:
            return None
        parsed = units.parse_hours(value)
        if parsed is None:
            raise self.source.error(
                self.entries[key][1],
                f"{self.what}.{key}: {value!r} is not service hours (e.g. 24x7, Mon-Fri 09:00-18:00, 平日 9:00-18:00)",
            )
        return parsed

    def date(self, key: str) -> dt.date | None:
        return yamlsrc.date(self.source, self.entries[key][1], f"{self.what}.{key}") if self.text(key) else None

    def names(self, key: str) -> tuple[str, ...]:
        if key not in self.entries:
            return ()
        node = self.entries[key][1]
        if isinstance(node, yaml.ScalarNode):
            return tuple(part.strip() for part in yamlsrc.scalar_text(node).split(",") if part.strip())
        items = yamlsrc.sequence(self.source, node, f"{self.what}.{key}")
        return tuple(yamlsrc.text(self.source, item, f"{self.what}.{key}") for item in items)


def load(source: yamlsrc.Source, top: dict[str, tuple[yaml.ScalarNode, yaml.Node]]) -> Structured:
    def section(name: str) -> yaml.Node | None:
        return top[name][1] if name in top else None

    agreements = _agreements(source, section("olas"), "ola") + _agreements(source, section("ucs"), "uc")
    coverage, coverage_line = _coverage(source, section("coverage"), top.get("coverage"))
    return Structured(
        sla=_sla(source, section("sla")),
        agreements=agreements,
        roles=_roles(source, section("roles")),
        raci=_raci(source, section("raci")),
        coverage=coverage,
        coverage_line=coverage_line,
        escalation=_escalation(source, section("escalation")),
        exit_kpis=_hypercare(source, section("hypercare")),
        waivers=_waivers(source, section("waivers")),
    )


def _items(source: yamlsrc.Source, node: yaml.Node | None, what: str) -> list[tuple[int, yaml.Node]]:
    if node is None or (isinstance(node, yaml.ScalarNode) and not yamlsrc.scalar_text(node)):
        return []
    return list(enumerate(yamlsrc.sequence(source, node, what)))


def _sla(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[SlaTarget, ...]:
    targets = []
    for index, item in _items(source, node, "sla"):
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


def _agreements(source: yamlsrc.Source, node: yaml.Node | None, kind: str) -> tuple[Agreement, ...]:
    section = "olas" if kind == "ola" else "ucs"
    name_key = "name" if kind == "ola" else "supplier"
    keys = (name_key, "provider", "covers", "supports", "first_response", "recovery", "hours")
    if kind == "uc":
        keys = tuple(key for key in keys if key != "provider")
    found = []
    for index, item in _items(source, node, section):
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


def _roles(source: yamlsrc.Source, node: yaml.Node | None) -> dict[str, Role]:
    if node is None:
        return {}
    roles = {}
    for role_id, (key_node, value) in yamlsrc.mapping(source, node, "roles").items():
        entry = Entry(source, value, f"roles.{role_id}", ("name", "who"))
        roles[role_id] = Role(
            line=source.line_of(key_node),
            lines=entry.lines(),
            id=role_id,
            name=entry.text("name"),
            who=entry.text("who"),
        )
    return roles


def _raci(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[RaciRow, ...]:
    rows = []
    for index, item in _items(source, node, "raci"):
        entry = Entry(source, item, f"raci[{index}]", ("decision", "title", "assign"))
        assign: dict[str, str] = {}
        lines = entry.lines()
        if entry.has("assign"):
            for role_id, (key_node, value) in yamlsrc.mapping(source, entry.entries["assign"][1], "assign").items():
                letters = yamlsrc.text(source, value, f"raci[{index}].assign.{role_id}").upper()
                letters = letters.replace("/", "").replace(",", "").replace(" ", "")
                if not letters or any(letter not in RACI_LETTERS for letter in letters):
                    raise source.error(value, f"raci[{index}].assign.{role_id}: {letters!r} is not R, A, C or I")
                assign[role_id] = letters
                lines[f"role:{role_id}"] = source.line_of(key_node)
        rows.append(
            RaciRow(
                line=entry.line(),
                lines=lines,
                decision=entry.text("decision", required=True),
                title=entry.text("title"),
                assign=assign,
            )
        )
    return tuple(rows)


def _coverage(
    source: yamlsrc.Source, node: yaml.Node | None, key: tuple[yaml.ScalarNode, yaml.Node] | None
) -> tuple[dict[tuple[str, str], CoverageCell], int]:
    if node is None or key is None:
        return {}, 0
    cells: dict[tuple[str, str], CoverageCell] = {}
    for layer, (_layer_key, layer_node) in yamlsrc.mapping(source, node, "coverage", LAYERS).items():
        for item, (item_key, cell) in yamlsrc.mapping(source, layer_node, f"coverage.{layer}", ITEMS).items():
            cells[(layer, item)] = _cell(source, layer, item, source.line_of(item_key), cell)
    return cells, source.line_of(key[0])


def _cell(source: yamlsrc.Source, layer: str, item: str, line: int, node: yaml.Node) -> CoverageCell:
    what = f"coverage.{layer}.{item}"
    if isinstance(node, yaml.ScalarNode):
        value = yamlsrc.scalar_text(node)
        if value.lower() in UNDECIDED:
            return CoverageCell(
                line=line, layer=layer, item=item, hole=_("undecided ({value})").format(value=value or _("empty"))
            )
        raise source.error(node, f"{what}: give a mapping (who, contracted, sla, maintenance) or na: REASON")
    entry = Entry(source, node, what, ("who", "contracted", "sla", "maintenance", "na"))
    if entry.has("na"):
        return CoverageCell(line=line, lines=entry.lines(), layer=layer, item=item, na_reason=entry.text("na"))
    who, contracted_text = entry.text("who"), entry.text("contracted")
    contracted = _yes_no(contracted_text)
    if contracted_text and contracted is None and contracted_text.lower() not in UNDECIDED:
        raise source.error(entry.entries["contracted"][1], f"{what}.contracted: {contracted_text!r} is not yes or no")
    maintenance = entry.text("maintenance")
    if maintenance and maintenance not in MAINTENANCE:
        raise source.error(
            entry.entries["maintenance"][1],
            f"{what}.maintenance: {maintenance!r} is not one of {', '.join(MAINTENANCE)}"
            + yamlsrc.did_you_mean(maintenance, MAINTENANCE),
        )
    hole = ""
    if who.lower() in UNDECIDED:
        hole = _("nobody named (who)")
    elif contracted is None:
        hole = _("contract status undecided (contracted)")
    return CoverageCell(
        line=line,
        lines=entry.lines(),
        layer=layer,
        item=item,
        who=who,
        contracted=contracted,
        sla=entry.text("sla"),
        maintenance=maintenance,
        hole=hole,
    )


def _yes_no(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in {"yes", "true", "y", "はい", "有", "あり"}:
        return True
    if lowered in {"no", "false", "n", "いいえ", "無", "なし"}:
        return False
    return None


def _escalation(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[EscalationLevel, ...]:
    levels = []
    keys = ("level", "who", "role", "channel", "hours", "within", "last_tested")
    for index, item in _items(source, node, "escalation"):
        entry = Entry(source, item, f"escalation[{index}]", keys)
        level = (
            yamlsrc.positive_int(source, entry.entries["level"][1], f"escalation[{index}].level")
            if entry.has("level")
            else index + 1
        )
        levels.append(
            EscalationLevel(
                line=entry.line(),
                lines=entry.lines(),
                level=level,
                who=entry.text("who", required=True),
                role=entry.text("role"),
                channel=entry.text("channel"),
                hours=entry.hours("hours"),
                within=entry.duration("within"),
                last_tested=entry.date("last_tested"),
            )
        )
    return tuple(levels)


def _hypercare(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[ExitKpi, ...]:
    if node is None:
        return ()
    section = Entry(source, node, "hypercare", ("exit_kpis",))
    kpis = []
    for index, item in _items(source, section.entries.get("exit_kpis", (None, None))[1], "hypercare.exit_kpis"):
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


def _waivers(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[Waiver, ...]:
    waivers = []
    for index, item in _items(source, node, "waivers"):
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
