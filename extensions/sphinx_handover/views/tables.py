"""Docutils tables from rows of cells: the one table builder of every view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from docutils import nodes

#: What a cell holds: text, a node, or several nodes.
Cell: TypeAlias = str | nodes.Node | Sequence[nodes.Node]


def table(
    headers: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    classes: list[str],
    widths: Sequence[int],
    row_classes: Sequence[list[str]] = (),
) -> nodes.table:
    """A table; *row_classes*, when given, holds the classes of each body row."""
    table = nodes.table(classes=[*classes, "colwidths-given"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += _row(headers)
    group += head
    body = nodes.tbody()
    classes_of_rows = row_classes or [[] for _ in rows]
    body.extend(_row(row, classes) for row, classes in zip(rows, classes_of_rows, strict=True))
    group += body
    return table


def _row(cells: Sequence[Cell], classes: list[str] | None = None) -> nodes.row:
    row = nodes.row(classes=classes or [])
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += nodes.paragraph(text=cell)
        elif isinstance(cell, (nodes.Inline, nodes.Text)):
            entry += nodes.paragraph("", "", cell)
        elif isinstance(cell, nodes.Node):
            entry += cell
        else:
            entry.extend(cell)
        row += entry
    return row
