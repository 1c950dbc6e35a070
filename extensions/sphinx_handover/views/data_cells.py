"""The pieces every view of handover.yaml's data is made of: values as readers say
them, a dash for what is not given, and the red mark of a problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from docutils import nodes

from ..i18n.labels import duration_text, label
from ..model.organisation import Role
from ..model.units import ServiceHours

NOTHING = "—"
PROBLEM_ROW = "handover-row-problem"


def duration(lang: str, value: dt.timedelta | None) -> str:
    return duration_text(lang, value) if value is not None else NOTHING


def hours(value: ServiceHours | None, missing: str = NOTHING) -> str:
    return value.text if value else missing


def role_name(roles: Mapping[str, Role], role_id: str) -> str:
    role = roles.get(role_id)
    return role.name if role and role.name else role_id


def headers(lang: str, keys: Sequence[str]) -> list[str]:
    return [label(lang, key) for key in keys]


def problem(text: str) -> nodes.paragraph:
    return nodes.paragraph(text=f"⚠ {text}", classes=["handover-problem"])


def problems(found: Sequence[str]) -> list[nodes.Node]:
    return [problem(text) for text in found]


def row_marks(found: Sequence[str]) -> list[str]:
    return [PROBLEM_ROW] if found else []


def ok(text: str) -> nodes.paragraph:
    return nodes.paragraph(text=f"✓ {text}", classes=["handover-ok"])


def small(text: str) -> nodes.paragraph:
    return nodes.paragraph(text=text, classes=["handover-sub"])


def empty(lang: str, section: str) -> nodes.paragraph:
    """Said in place of a view whose section of handover.yaml is not filled in."""
    return nodes.paragraph(text=label(lang, "empty_section").format(section=section), classes=["handover-empty"])
