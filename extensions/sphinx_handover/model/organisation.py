"""Who runs the service, from handover.yaml: the roles (``roles``), who decides what
(``raci``), who covers each item of each layer (``coverage``) and whom to call in turn
(``escalation``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..i18n.messages import _
from . import units, yamlsrc
from .data_entry import Entry, Located, items

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
class Role(Located):
    id: str = ""
    name: str = ""
    who: str = ""

    def names(self, person: str) -> bool:
        """Whether :attr:`who` names *person*: one of the people it lists (split at ``/``,
        ``,``, ``、`` or ``;``, without what is in brackets), written whole or as its last
        words (``山本 遥`` in ``北辰 監視センター 山本 遥``), never one word of several
        (``高橋`` is not ``高橋 正樹``); compared without spaces, case or character width."""
        wanted = "".join(_words(person))
        return bool(wanted) and any(wanted in _namings(_words(listed)) for listed in _listed_people(self.who))


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).casefold().split()


def _listed_people(who: str) -> list[str]:
    plain = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", who))
    return [part for part in _PEOPLE_SEPARATOR.split(plain) if part.strip()]


def _namings(words: list[str]) -> set[str]:
    return {"".join(words[-count:]) for count in range(min(2, len(words)), len(words) + 1)}


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|「[^」]*」")
_PEOPLE_SEPARATOR = re.compile(r"[/,、;]")


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


def read_roles(source: yamlsrc.Source, node: yaml.Node | None) -> dict[str, Role]:
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


def read_raci(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[RaciRow, ...]:
    rows = []
    for index, item in items(source, node, "raci"):
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


def read_coverage(
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


def read_escalation(source: yamlsrc.Source, node: yaml.Node | None) -> tuple[EscalationLevel, ...]:
    levels = []
    keys = ("level", "who", "role", "channel", "hours", "within", "last_tested")
    for index, item in items(source, node, "escalation"):
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
