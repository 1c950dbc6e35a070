"""`handover export xlsx`: the handover as one Excel workbook for the reviewers' office.

The package is checked in-process (the check builder, as `handover check` runs it) and
the workbook is written from that build's verdict and handover.yaml data: it cannot
disagree with the site or the JSON report. Every string goes through the verdict's
redaction, and the file is the same bytes for the same input (XlsxWriter stamps the
zip entries 1980-01-01; the document's dates are the as-of date).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import unicodedata
from pathlib import Path

import xlsxwriter
from sphinx.application import Sphinx
from sphinx_handover import Verdict
from sphinx_handover import state as build_state
from sphinx_handover.charts import COLOURS
from sphinx_handover.redact_values import redact
from xlsxwriter.worksheet import Worksheet

from .errors import UserError
from .export_labels import text
from .export_sheets import ExportInput, Marked, Sheet, all_sheets
from .runner import BuildRequest, run

MIN_WIDTH, MAX_WIDTH = 6, 60
A4 = 9  # Excel's paper size code


def export_xlsx(request: BuildRequest, path: Path) -> Verdict:
    """Check the package and write its workbook to *path*; the verdict decides the exit code."""
    if path.is_dir():
        raise UserError(f"{path}: is a folder; --out names the workbook's file, e.g. {path / 'handover.xlsx'}")
    found: list[ExportInput] = []
    verdict = run(request, inspect=lambda app: found.append(_export_input(app)))
    _discard_builder_output(request.out / "check")
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


def _discard_builder_output(folder: Path) -> None:
    """The check builder writes no pages, but sphinx-needs leaves its static files there."""
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)


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
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    writer = _Writer(workbook, source)
    for sheet in all_sheets(source):
        writer.add(sheet)
    workbook.close()
    return buffer.getvalue()


def display_width(value: str) -> int:
    """Columns a text takes: East Asian wide and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in value)


class _Writer:
    def __init__(self, workbook: xlsxwriter.Workbook, source: ExportInput) -> None:
        self.workbook = workbook
        self.verdict = source.verdict
        self.lang = source.verdict.language
        project = source.data.project
        self.system = self.clean(project.system)
        base = {"valign": "top", "text_wrap": True, "border": 1, "border_color": "#d0d5dd"}
        self.header = workbook.add_format({**base, "bold": True, "bg_color": "#f2f4f7"})
        self.text = workbook.add_format(base)
        self.date = workbook.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.number = workbook.add_format({**base, "align": "right"})
        self.marked = {
            status: workbook.add_format({**base, "bold": True, "font_color": "#ffffff", "bg_color": colour})
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

    def clean(self, value: str) -> str:
        return redact(value, self.verdict.redactions)

    def add(self, sheet: Sheet) -> None:
        worksheet = self.workbook.add_worksheet(self.clean(sheet.name))
        widths = [display_width(self.clean(header)) for header in sheet.headers]
        for column, header in enumerate(sheet.headers):
            worksheet.write_string(0, column, self.clean(header), self.header)
        for row, values in enumerate(sheet.rows, start=1):
            for column, value in enumerate(values):
                widths[column] = max(widths[column], self._write(worksheet, row, column, value))
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
        worksheet.freeze_panes(1, sheet.frozen_columns)
        worksheet.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)
        self._print_setup(worksheet, sheet)

    def _write(self, worksheet: Worksheet, row: int, column: int, value: object) -> int:
        """Write one cell; returns the width its longest line needs."""
        if value is None or value == "":
            worksheet.write_blank(row, column, None, self.text)
            return 0
        if isinstance(value, dt.date):
            worksheet.write_datetime(row, column, value, self.date)
            return 10
        if isinstance(value, bool) or not isinstance(value, (int, str, Marked)):
            value = str(value)
        if isinstance(value, int):
            worksheet.write_number(row, column, value, self.number)
            return len(str(value))
        shown = self.clean(value.text if isinstance(value, Marked) else value)
        style = self.marked[value.status] if isinstance(value, Marked) else self.text
        worksheet.write_string(row, column, shown, style)
        return max(display_width(line) for line in shown.splitlines() or [""])

    def _print_setup(self, worksheet: Worksheet, sheet: Sheet) -> None:
        worksheet.set_landscape()
        worksheet.set_paper(A4)
        worksheet.repeat_rows(0)
        worksheet.fit_to_pages(1, 0)  # every column on the page's width, as many pages down as needed
        worksheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        header = f"&L{_header_text(self.system)}&R{_header_text(self.clean(sheet.name))}"
        worksheet.set_header(header[:255])
        worksheet.set_footer(f"&C{text(self.lang, 'page')}")


def _header_text(value: str) -> str:
    """Text for a print header: & starts a code there, so a literal one is doubled."""
    return value.replace("&", "&&")
