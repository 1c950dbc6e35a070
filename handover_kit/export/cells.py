"""What the workbook's sheets are made of: the cell values (a Marked cell shows a
status colour), the Sheet as rows of them with its layout hints, and the ExportInput
every sheet is read from (one build's verdict and its handover.yaml data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sphinx_handover.i18n.labels import status_label
from sphinx_handover.model.package_data import HandoverData
from sphinx_handover.rules.verdict import Verdict


@dataclass(frozen=True)
class Marked:
    """A cell shown in a status colour (a key of sphinx_handover.views.charts.COLOURS)."""

    text: str
    status: str


Cell = str | int | dt.date | Marked | None


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    #: Columns kept in view when scrolling sideways (the id column).
    frozen_columns: int = 0
    #: The widest some columns get, by index (their text wraps beyond it), where the
    #: writer's general limit would leave a printed page too small to read.
    narrow: dict[int, int] = field(default_factory=dict)
    #: A form of label / value rows (the cover): no filter, its first column in bold.
    form: bool = False
    #: Columns of one or two letters (RACI), centred under their header.
    centred: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ExportInput:
    verdict: Verdict
    data: HandoverData
    #: (id, title, file) of each requirement, in page order.
    requirements: tuple[tuple[str, str, str], ...]


def status_cell(lang: str, status: str) -> Marked:
    return Marked(status_label(lang, status), status)


#: What a spreadsheet application reads as the start of a formula when a cell is typed
#: or a CSV is opened: = + - @ (a DDE call, =cmd|' /C calc'!A0, is one), their
#: full-width forms (a Japanese input method types them) and a tab or carriage return.
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\t\r")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet would take *value* for a formula: it starts with one of
    FORMULA_START, itself or after leading white space (Excel skips it)."""
    return value[:1] in FORMULA_START or value.lstrip()[:1] in FORMULA_START
