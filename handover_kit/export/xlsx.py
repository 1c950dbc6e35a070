"""`handover export xlsx`: the handover as one Excel workbook for the reviewers' office.

The package is checked in-process (the check builder, as `handover check` runs it) and
the workbook is written from that build's verdict and handover.yaml data: it cannot
disagree with the site or the JSON report. Every string goes through the verdict's
redaction and is written as text, never as a formula: one that a spreadsheet would take
for one (=, +, -, @, their full-width forms) also carries Excel's quote prefix, so it
stays text when a reviewer edits the cell. The exporter writes no formulas and no
hyperlinks of its own. The file is the same bytes for the same input (XlsxWriter stamps the
zip entries 1980-01-01; the document's dates are the as-of date).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import unicodedata
from pathlib import Path

import xlsxwriter
from sphinx.application import Sphinx
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sphinx_handover import Verdict
from sphinx_handover.integration import state as build_state
from sphinx_handover.secret_scan.redact_values import redact
from sphinx_handover.views.charts import COLOURS

from ..builder_output import discard_builder_output
from ..errors import UserError
from ..runner import BuildRequest, run
from .cells import ExportInput, Marked, Sheet, formula_like
from .labels import text
from .sheets import all_sheets

MIN_WIDTH, MAX_WIDTH = 6, 40
HEADER_WRAP = 12
A4 = 9  # Excel's paper size code


def export_xlsx(request: BuildRequest, path: Path) -> Verdict:
    """Check the package and write its workbook to *path*; the verdict decides the exit code."""
    found: list[ExportInput] = []
    verdict = run(request, inspect=lambda app: found.append(_export_input(app)))
    discard_builder_output(request.out / "check")
    if not found:
        raise UserError(f"{request.package}: the build ended before the handover gate ran")
    _write_atomically(path, workbook_bytes(found[0]))
    return verdict


def _export_input(app: Sphinx) -> ExportInput:
    build = build_state.of(app)
    assert build.verdict is not None and build.needs is not None
    requirements = tuple(
        (req.id, req.title, Path(os.path.relpath(app.env.doc2path(req.docname), app.srcdir)).as_posix())
        for req in build.needs.requirements.values()
    )
    return ExportInput(build.verdict, build.data, requirements)


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so the rename cannot cross file systems; a reader never sees half a file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def workbook_bytes(source: ExportInput) -> bytes:
    buffer = io.BytesIO()
    options = {"in_memory": True, "default_format_properties": font(source.verdict.language)}
    workbook = xlsxwriter.Workbook(buffer, options)
    writer = _Writer(workbook, source)
    for sheet in all_sheets(source):
        writer.add(sheet)
    workbook.close()
    return buffer.getvalue()


def display_width(value: str) -> int:
    """Columns a text takes: East Asian wide and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in value)


def wrapped_lines(value: str, width: int) -> int:
    """Lines a wrapped cell of *width* columns shows *value* on (a column keeps one for its
    padding; a character is nine tenths of a column on average, a wide one 1.8 columns)."""
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(0.9 * display_width(line) / room)) for line in value.split("\n"))


def _header_width(width: int) -> int:
    """A long header may take two lines, rather than widen a column of short values."""
    return width if width <= HEADER_WRAP else max(HEADER_WRAP, math.ceil(width / 2) + 4)


#: The workbook's font, as the customer's Excel has it. XlsxWriter's default, Calibri,
#: has no Japanese glyphs: Excel would draw them in a fallback font with other widths
#: than the columns were sized for. 游ゴシック is the default font of Japanese Excel
#: (2016 and later, Windows and Mac); charset 128 is Shift_JIS, as Excel itself writes it.
FONTS = {"ja": {"font_name": "游ゴシック", "font_size": 11, "font_charset": 128}}
LATIN_FONT = {"font_name": "Calibri", "font_size": 11}
#: Points a line of text takes in a row, per language's font (Excel's own row heights).
LINE_HEIGHT = {"ja": 18.75}
LATIN_LINE_HEIGHT = 15.0


def font(lang: str) -> dict[str, object]:
    return FONTS.get(lang, LATIN_FONT)


def _text_colour(background: str) -> str:
    """White on a dark status colour, near-black on a light one (the upcoming grey)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= 4.5 else "#101828"


class _Writer:
    def __init__(self, workbook: xlsxwriter.Workbook, source: ExportInput) -> None:
        self.workbook = workbook
        self.verdict = source.verdict
        self.lang = source.verdict.language
        self.line_height = LINE_HEIGHT.get(self.lang, LATIN_LINE_HEIGHT)
        project = source.data.project
        self.system = self.clean(project.system)
        #: Each format's properties, to derive its quote-prefixed twin (_inert).
        self.properties: dict[Format, dict[str, object]] = {}
        self.quoted: dict[Format, Format] = {}
        base = {"valign": "top", "text_wrap": True, "border": 1, "border_color": "#d0d5dd"}
        self.header = self._format(
            {**base, "bold": True, "bg_color": "#e4e7ec", "bottom": 2, "bottom_color": "#667085"}
        )
        self.text = self._format(base)
        self.label = self._format({**base, "bold": True, "bg_color": "#f2f4f7"})
        self.date = self._format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.number = self._format({**base, "align": "right"})
        self.centred = self._format({**base, "bold": True, "align": "center"})
        self.marked = {
            status: self._format({**base, "bold": True, "font_color": _text_colour(colour), "bg_color": colour})
            for status, colour in COLOURS.items()
        }
        midnight = dt.datetime.combine(self.verdict.as_of, dt.time())
        workbook.set_properties(
            {
                "title": self.clean(f"{project.system}: {text(self.lang, 'sheet_checklist')}"),
                "subject": self.clean(self.verdict.gate or ""),
                "company": self.clean(project.vendor),
                "created": midnight,
            }
        )

    def _format(self, properties: dict[str, object]) -> Format:
        style = self.workbook.add_format(properties)
        self.properties[style] = properties
        return style

    def _inert(self, style: Format) -> Format:
        """*style* with Excel's quote prefix: the cell shows its text as it is, and stays
        text when a reviewer edits it (Enter on "=..." would make it a formula)."""
        if style not in self.quoted:
            self.quoted[style] = self.workbook.add_format({**self.properties[style], "quote_prefix": True})
        return self.quoted[style]

    def clean(self, value: str) -> str:
        return redact(value, self.verdict.redactions)

    def add(self, sheet: Sheet) -> None:
        worksheet = self.workbook.add_worksheet(self.clean(sheet.name))
        headers = [self.clean(header) for header in sheet.headers]
        rows = [[self._cell(value) for value in values] for values in sheet.rows]
        widths = [_header_width(self._width(header, bold=True)) for header in headers]
        for cells in rows:
            for column, (shown, _) in enumerate(cells):
                widths[column] = max(widths[column], self._width(shown, bold=False))
        widths = [
            min(max(width + 2, MIN_WIDTH), sheet.narrow.get(column, MAX_WIDTH)) for column, width in enumerate(widths)
        ]
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, width)
        self._row(worksheet, 0, [(header, self.header) for header in headers], widths)
        for row, cells in enumerate(rows, start=1):
            if sheet.centred:
                cells = [
                    (shown, self.centred if column in sheet.centred and style is self.text else style)
                    for column, (shown, style) in enumerate(cells)
                ]
            self._row(worksheet, row, cells, widths, label=sheet.form)
        worksheet.freeze_panes(1, sheet.frozen_columns)
        if not sheet.form:
            worksheet.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)
        self._print_setup(worksheet, sheet)

    def _width(self, shown: object, bold: bool) -> int:
        if isinstance(shown, dt.date):
            return 10
        lines = str(shown).splitlines() or [""]
        # Bold glyphs are wider: a tenth more room, so a header or a status is not cut.
        return math.ceil(max(display_width(line) for line in lines) * (1.1 if bold else 1))

    def _cell(self, value: object) -> tuple[object, Format]:
        """What a cell shows and its format (a status colour, a date, a number)."""
        if value is None or value == "":
            return "", self.text
        if isinstance(value, dt.date):
            return value, self.date
        if isinstance(value, bool) or not isinstance(value, (int, str, Marked)):
            value = str(value)
        if isinstance(value, int):
            return value, self.number
        if isinstance(value, Marked):
            return self.clean(value.text), self.marked[value.status]
        return self.clean(value), self.text

    def _row(
        self, worksheet: Worksheet, row: int, cells: list[tuple[object, Format]], widths: list[int], label: bool = False
    ) -> None:
        """Write one row, as tall as its most wrapped cell: Excel does not grow a row for
        wrapped text when it opens a file, and a cut line is a cut sentence."""
        lines = 1
        for column, (shown, style) in enumerate(cells):
            if label and column == 0:
                style = self.label
            if isinstance(shown, dt.date):
                worksheet.write_datetime(row, column, shown, style)
            elif isinstance(shown, int):
                worksheet.write_number(row, column, shown, style)
            elif shown == "":
                worksheet.write_blank(row, column, None, style)
            else:
                # The one place a text reaches a cell: always a string, never a formula
                # (write() would take "=..." for one), marked as text if it looks like one.
                shown = str(shown)
                worksheet.write_string(row, column, shown, self._inert(style) if formula_like(shown) else style)
                lines = max(lines, wrapped_lines(shown, widths[column]))
        worksheet.set_row(row, round(lines * self.line_height + 2.25, 2))

    def _print_setup(self, worksheet: Worksheet, sheet: Sheet) -> None:
        worksheet.set_landscape()
        worksheet.set_paper(A4)
        worksheet.repeat_rows(0)
        worksheet.fit_to_pages(1, 0)  # every column on the page's width, as many pages down as needed
        worksheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        worksheet.center_horizontally()
        header = f"&L{_header_text(self.system)}&R{_header_text(self.clean(sheet.name))}"
        worksheet.set_header(header[:255])
        worksheet.set_footer(f"&C{text(self.lang, 'page')}")


def _header_text(value: str) -> str:
    """Text for a print header: & starts a code there, so a literal one is doubled."""
    return value.replace("&", "&&")
