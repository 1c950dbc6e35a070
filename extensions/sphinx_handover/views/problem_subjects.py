"""What a problem found in handover.yaml is about, in a reviewer's words.

A need's problem names its need, the need's owner and the page it is on. A problem of
handover.yaml has only a line; this finds the entry written there (an escalation level,
a RACI row, a coverage cell, an OLA or UC, an exit KPI, a waiver), its name, the person
or role the data names for it, and the directive whose table shows it, so the panel
can say "Escalation level 3: Ito, maintenance on call" and link to that table.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx

from ..i18n.labels import label
from ..integration import state
from ..model.data_entry import Located
from ..model.structured import Structured
from ..rules.verdict import Problem


@dataclass(frozen=True)
class Subject:
    name: str
    owner: str
    #: The directive of the table that shows the entry (``handover-escalation``...).
    view: str


def subject_of(app: Sphinx, problem: Problem, language: str) -> Subject | None:
    """The entry of handover.yaml a problem located there is about, if any."""
    build = state.of(app)
    if not problem.line or problem.file != build.data.path.relative_to(build.root).as_posix():
        return None
    return subject_at(build.data.structured, language, problem.line)


def subject_at(data: Structured, language: str, line: int) -> Subject | None:
    """The entry of handover.yaml written at *line*, if the data views show one there."""
    for level in data.escalation:
        if _at(level, line):
            name = label(language, "subject_escalation").format(level=level.level, who=level.who)
            return Subject(name, _role_who(data, language, level.role) or level.who, "handover-escalation")
    for row in data.raci:
        if _at(row, line):
            accountable = [role for role, letters in row.assign.items() if "A" in letters.upper()]
            owner = _role_who(data, language, accountable[0]) if len(accountable) == 1 else ""
            return Subject(
                label(language, "subject_raci").format(name=row.title or row.decision), owner, "handover-raci"
            )
    for cell in data.coverage.values():
        if _at(cell, line):
            name = label(language, "subject_coverage").format(
                layer=label(language, f"layer_{cell.layer}"), item=label(language, f"item_{cell.item}")
            )
            return Subject(name, "" if cell.hole else cell.who, "handover-coverage")
    for agreement in data.agreements:
        if _at(agreement, line):
            name = f"{agreement.kind.upper()} {agreement.name}"
            return Subject(name, agreement.provider, "handover-sla-chain")
    for kpi in data.exit_kpis:
        if _at(kpi, line):
            return Subject(label(language, "subject_kpi").format(name=kpi.title or kpi.kpi), "", "handover-hypercare")
    for waiver in data.waivers:
        if _at(waiver, line):
            name = label(language, "subject_waiver").format(check=waiver.check)
            return Subject(name, _role_who(data, language, waiver.approved_by), "handover-checklist")
    return None


def _at(entry: Located, line: int) -> bool:
    return entry.line == line or line in entry.lines.values()


def _role_who(data: Structured, language: str, role_id: str) -> str:
    role = data.roles.get(role_id)
    if role is None:
        return ""
    if role.who and role.name:
        return label(language, "role_who").format(name=role.name, who=role.who)
    return role.who or role.name
