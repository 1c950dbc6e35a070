"""The escalation path: a diagram of the levels, laid out by Graphviz and written into
the page as inline SVG (:mod:`.graphviz_fallback`; shown as DOT source without Graphviz),
and the same levels as a table for screen readers and printing. Levels never tested, or
tested too long ago (the ``contact_untested`` rule), are drawn and marked in the warning
colour.

The DOT colours are the light scheme's; the SVG's boxes, lines and text also carry
classes (``handover-level``, ``handover-level-untested``, ``handover-escalate``) by which
handover.css gives them the reader's scheme, light or dark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

from docutils import nodes
from sphinx.ext.graphviz import graphviz as graphviz_node

from ..i18n.labels import duration_text, label
from ..integration.state import BuildState
from ..model.organisation import Role
from ..rules.data_findings import DrillStatus, drill_status
from . import data_cells as cells
from .dot_source import TextDigraph
from .graphviz_fallback import INLINE_SVG
from .tables import Cell, table

WARNING_COLOUR = "#b42318"
_FONT = {"fontname": "sans-serif", "fontsize": "11"}
_LEVEL = {
    "shape": "box",
    # Room around the lines: dot measures the text with its own font, the browser draws it
    # with the page's, which can run wider (the lines nearly touched the border).
    "margin": "0.3,0.15",
    "style": "rounded,filled",
    "fillcolor": "#ffffff",
    "color": "#475467",
    "class": "handover-level",
    **_FONT,
}
_UNTESTED_LEVEL = {
    "color": WARNING_COLOUR,
    "fontcolor": WARNING_COLOUR,
    "fillcolor": "#fdecea",
    "penwidth": "2",
    "class": "handover-level handover-level-untested",
}
_EDGE = {"color": "#475467", "class": "handover-escalate", **_FONT}


def escalation(build: BuildState) -> list[nodes.Node]:
    data, lang = build.data.structured, build.data.project.language
    if not data.escalation:
        return [cells.empty(lang, "escalation")]
    levels = sorted(data.escalation, key=lambda level: level.level)
    drills = [drill_status(level, build.as_of, build.data.policy) for level in levels]
    return [
        _diagram(lang, drills, data.roles),
        nodes.rubric(text=label(lang, "escalation_levels")),
        _levels_table(lang, drills, data.roles),
    ]


def _diagram(lang: str, drills: Sequence[DrillStatus], roles: Mapping[str, Role]) -> graphviz_node:
    """User text enters the DOT source only as text (:class:`.dot_source.TextDigraph`)."""
    graph = TextDigraph(
        "escalation",
        graph_attr={"rankdir": "TB", "bgcolor": "transparent"},
        node_attr=_LEVEL,
        edge_attr=_EDGE,
    )
    for index, drill in enumerate(drills):
        attributes = _UNTESTED_LEVEL if drill.untested else {}
        graph.node(f"level{index}", _level_label(lang, drill, roles), **attributes)
    for index, (upper, _) in enumerate(pairwise(drills)):
        within = upper.level.within
        after = label(lang, "escalate_after").format(within=duration_text(lang, within)) if within else ""
        graph.edge(f"level{index}", f"level{index + 1}", label=after)
    node = graphviz_node(classes=["handover-escalation-graph", INLINE_SVG])
    node["code"] = graph.source
    node["options"] = {}
    node["alt"] = label(lang, "escalation_alt")
    return node


def _level_label(lang: str, drill: DrillStatus, roles: Mapping[str, Role]) -> str:
    level = drill.level
    role = cells.role_name(roles, level.role) if level.role else ""
    lines = [
        label(lang, "level_name").format(level=level.level),
        level.who,
        role if role != level.who else "",
        " · ".join(part for part in (level.channel, cells.hours(level.hours, "")) if part),
        label(lang, "within_text").format(within=duration_text(lang, level.within)) if level.within else "",
        _last_test_line(lang, drill),
    ]
    return "\n".join(line for line in lines if line)


def _levels_table(lang: str, drills: Sequence[DrillStatus], roles: Mapping[str, Role]) -> nodes.table:
    keys = ("level", "who", "role", "channel", "service_hours", "within", "last_tested")
    rows = [
        [
            str(drill.level.level),
            drill.level.who,
            _role(lang, roles, drill.level.role),
            drill.level.channel or cells.NOTHING,
            cells.hours(drill.level.hours),
            cells.duration(lang, drill.level.within),
            cells.problem(_last_test(lang, drill)) if drill.untested else _last_test(lang, drill),
        ]
        for drill in drills
    ]
    row_classes = [[cells.PROBLEM_ROW] if drill.untested else [] for drill in drills]
    widths = (8, 22, 14, 16, 12, 10, 18)
    return table(cells.headers(lang, keys), rows, ["handover-data", "handover-escalation"], widths, row_classes)


def _role(lang: str, roles: Mapping[str, Role], role_id: str) -> Cell:
    if not role_id:
        return cells.NOTHING
    if role_id not in roles:
        return [nodes.paragraph(text=role_id), cells.problem(label(lang, "undefined_role"))]
    return cells.role_name(roles, role_id)


def _last_test(lang: str, drill: DrillStatus) -> str:
    if drill.age_days is None:
        return label(lang, "never_tested")
    if drill.untested:
        too_old = label(lang, "tested_long_ago").format(days=drill.age_days, limit=drill.limit_days)
        return f"{drill.level.last_tested}: {too_old}"
    return str(drill.level.last_tested)


def _last_test_line(lang: str, drill: DrillStatus) -> str:
    line = _last_test(lang, drill)
    if drill.age_days is not None:
        line = label(lang, "last_tested_text").format(date=line)
    return f"⚠ {line}" if drill.untested else line
