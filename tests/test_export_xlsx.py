"""`handover export xlsx`: the workbook read back with openpyxl, against the JSON report
of the same package, as a reviewer's spreadsheet would show it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES
from openpyxl import load_workbook

from handover_kit.cli import main
from handover_kit.export.labels import text
from handover_kit.export.xlsx import display_width, wrapped_lines
from sphinx_handover.i18n.labels import label, status_label

SHEET_KEYS = (
    "sheet_cover",
    "sheet_checklist",
    "sheet_problems",
    "sheet_requirements",
    "sheet_raci",
    "sheet_coverage",
    "sheet_sla",
    "sheet_escalation",
    "sheet_hypercare",
    "sheet_waivers",
    "sheet_signoffs",
)
SECRET = "Kq7Zp2Lm9xVw"


def _copy(name: str, target: Path) -> Path:
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("_build"))
    return target


def _export_and_report(root: Path, *options: str) -> tuple[int, Path, dict]:
    workbook = root.parent / f"{root.name}.xlsx"
    code = main(["export", "xlsx", str(root), "--out", str(workbook), *options])
    main(["check", str(root), "--out", str(root.parent / f"{root.name}-check"), *options])
    report = json.loads((root.parent / f"{root.name}-check" / "handover-report.json").read_text("utf-8"))
    return code, workbook, report


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """Each example exported once (and checked once for its JSON report)."""
    folder = tmp_path_factory.mktemp("examples")
    return {
        "ready": _export_and_report(_copy("ec-order-service", folder / "ready"), "--as-of", AS_OF),
        "incomplete": _export_and_report(_copy("ec-order-service-incomplete", folder / "incomplete")),
    }


def _rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


@pytest.mark.parametrize("name", ["ready", "incomplete"])
def test_workbook_matches_the_report(examples, name):
    code, path, report = examples[name]
    lang = report["language"]
    assert code == report["exit_code"] == (0 if name == "ready" else 1)
    book = load_workbook(path)
    assert book.sheetnames == [text(lang, key) for key in SHEET_KEYS]

    cover = {row[0]: row[1] for row in _rows(book[text(lang, "sheet_cover")])}
    assert cover[text(lang, "verdict")] == label(lang, "ready" if report["ready"] else "not_ready")
    assert cover[text(lang, "cover_as_of")].date().isoformat() == report["as_of"]
    assert cover[label(lang, "review")] == report["gate"]
    for status in ("done", "missing", "failed", "stale", "invalid", "waived", "upcoming"):
        assert cover[text(lang, "count_of").format(status=status_label(lang, status))] == report["counts"][status]

    checklist = book[text(lang, "sheet_checklist")]
    assert _headers(checklist)[:6] == [
        text(lang, key) for key in ("check_id", "title", "owner_column", "review", "review_date", "status")
    ]
    rows = _rows(checklist)
    assert list(dict.fromkeys(row[0] for row in rows)) == [check["id"] for check in report["checks"]]
    for check in report["checks"]:
        mine = [row for row in rows if row[0] == check["id"]]
        assert {row[5] for row in mine} == {status_label(lang, check["status"])}
        assert mine[0][4].date().isoformat() == check["due_date"]
        shown = [row[6] for row in mine if row[6] != label(lang, "no_evidence")]
        assert shown == [record["id"] for record in check["evidence"]]
        for row, record in zip(mine, check["evidence"], strict=False):
            assert row[8] == record["age_days"]
            assert (row[13] or None) == record["reason"]
            assert (row[12] or None) == record["sha256"]

    # Requirements are named as the dashboard's chapter chart names them (one vocabulary).
    from sphinx_handover.views.charts import requirement_state_names

    states = {row[4] for row in _rows(book[text(lang, "sheet_requirements")])}
    assert states <= {*requirement_state_names(lang).values(), text(lang, "req_no_check")}, states

    problems = _rows(book[text(lang, "sheet_problems")])
    assert len(problems) == len(report["problems"]) + len(report["build_warnings"])
    assert sum(row[1] == text(lang, "yes") for row in problems) == report["counts"]["blocking"] + len(
        report["build_warnings"]
    )
    assert [row[0] for row in problems[: len(report["problems"])]] == [p["rule"] for p in report["problems"]]


def test_the_incomplete_example_marks_its_untested_contacts(examples):
    _, path, report = examples["incomplete"]
    lang = report["language"]
    escalation = load_workbook(path)[text(lang, "sheet_escalation")]
    untested = [row for row in escalation.iter_rows(min_row=2) if row[-1].value == label(lang, "never_tested")]
    assert untested and all(row[-1].fill.fgColor.rgb == "FFB42318" for row in untested)


def test_a_spreadsheet_a_reviewer_can_print(examples):
    _, path, report = examples["ready"]
    lang = report["language"]
    book = load_workbook(path)
    cover, *tables = book.worksheets
    assert cover.freeze_panes == "A2" and cover.auto_filter.ref is None  # a form, not a list to filter
    assert cover["A2"].font.b and not cover["B2"].font.b
    for sheet in tables:
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
    for sheet in book.worksheets:
        assert sheet.freeze_panes in ("A2", "B2"), sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # 1 is the default
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # Calibri has no Japanese glyphs: the workbook is in the font Japanese Excel uses.
        assert {cell.font.name for row in sheet.iter_rows() for cell in row} == {"游ゴシック"}, sheet.title
        assert sheet["A1"].font.charset == 128
    checklist = book[text(lang, "sheet_checklist")]
    due = checklist.cell(row=2, column=5)
    assert isinstance(due.value, dt.datetime) and due.number_format == "yyyy-mm-dd"
    assert checklist.cell(row=2, column=6).fill.fgColor.rgb == "FF067647"  # done, as the site shows it
    assert checklist.cell(row=2, column=6).font.color.rgb == "FFFFFFFF"
    title_width = checklist.column_dimensions["B"].width
    assert title_width >= min(28, max(display_width(row[1]) for row in _rows(checklist)))
    for row in checklist.iter_rows(min_row=2):
        # Wrapped text is never cut: each row is as tall as its longest cell needs.
        needed = max(
            wrapped_lines(str(cell.value or ""), checklist.column_dimensions[cell.column_letter].width) for cell in row
        )
        assert checklist.row_dimensions[row[0].row].height >= needed * 18.75, row[0].value


def test_wide_characters_count_double():
    assert display_width("EC受注サービス") == 2 + 2 * 6
    assert display_width("ＡＢ（１）") == 10
    assert wrapped_lines("受注" * 20, 11) == 8 and wrapped_lines("a\nb", 11) == 2


def test_raci_letters_are_centred(examples):
    _, path, _ = examples["ready"]
    raci = load_workbook(path)["RACI"]
    letters = [
        cell for row in raci.iter_rows(min_row=2, min_col=2, max_col=raci.max_column - 1) for cell in row if cell.value
    ]
    assert letters and {cell.alignment.horizontal for cell in letters} == {"center"}
    assert {cell.value for cell in letters} <= {"R", "A", "C", "I", "A/R", "R/A"}


def test_a_light_status_colour_gets_dark_text(examples):
    _, path, report = examples["incomplete"]
    lang = report["language"]
    checklist = load_workbook(path)[text(lang, "sheet_checklist")]
    upcoming = [row[5] for row in checklist.iter_rows(min_row=2) if row[5].value == status_label(lang, "upcoming")]
    assert upcoming and {cell.fill.fgColor.rgb for cell in upcoming} == {"FF98A2B3"}
    assert {cell.font.color.rgb for cell in upcoming} == {"FF101828"}  # white on that grey is unreadable


def test_re_export_is_byte_identical_and_lists_the_sign_offs(tmp_path):
    root = _copy("ec-order-service", tmp_path / "pkg")
    (root / "signoffs.yaml").unlink()  # the example's own T-30 go: this test records one
    signed = [
        "signoff",
        str(root),
        "--review",
        "T-30",
        "--decision",
        "go",
        "--by",
        "高橋 正樹",
        "--role",
        "service_owner",
    ]
    assert main([*signed, "--as-of", AS_OF]) == 0
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["export", "xlsx", str(root), "--out", str(first), "--as-of", AS_OF]) == 0
    assert main(["export", "xlsx", str(root), "--out", str(second), "--as-of", AS_OF]) == 0
    assert first.read_bytes() == second.read_bytes()
    book = load_workbook(first)
    assert book.properties.created == dt.datetime(2026, 11, 20)
    (row,) = _rows(book[text("ja", "sheet_signoffs")])
    assert row[:4] == ["T-30", "Go", "高橋 正樹", "サービスオーナー"]
    assert row[5] == text("ja", "signoff_current") and re.fullmatch(r"[0-9a-f]{64}", row[7])


def test_a_planted_secret_never_reaches_the_workbook_and_a_hole_is_marked(tmp_path):
    root = _copy("ec-order-service", tmp_path / "pkg")
    data = root / "handover.yaml"
    yaml_text = re.sub(r"(who: [^},\n]+)", rf"\1 パスワード:{SECRET}", data.read_text("utf-8"), count=1)
    data.write_text(re.sub(r"(capacity: \{who: )[^,]+", r"\1未定", yaml_text, count=1), "utf-8")
    chapter = root / "chapters/02-organization-raci.md"
    chapter.write_text(chapter.read_text("utf-8").replace("```{req} ", f"```{{req}} password={SECRET}2 ", 1), "utf-8")
    path = tmp_path / "out.xlsx"
    assert main(["export", "xlsx", str(root), "--out", str(path), "--as-of", AS_OF]) == 1
    book = load_workbook(path)
    values = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "handover.secret" in values
    assert not [value for value in values if SECRET in value]
    with zipfile.ZipFile(path) as archive:
        assert not [name for name in archive.namelist() if SECRET.encode() in archive.read(name)]
    coverage = book[text("ja", "sheet_coverage")]
    holes = [
        cell for row in coverage.iter_rows(min_row=2) for cell in row if str(cell.value).startswith(label("ja", "hole"))
    ]
    assert len(holes) == 1 and holes[0].fill.fgColor.rgb == "FFB42318"
    assert label("ja", "hole_who") in holes[0].value


def test_out_must_name_a_file(cli, example_copy):
    root = example_copy()
    result = cli("export", "xlsx", root, "--out", root.parent)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"handover: error: {root.parent}: is a folder; --out names the file to write, e.g. {root.parent / 'handover.xlsx'}"
    ]


@pytest.mark.parametrize(
    ("verb", "option", "target"),
    [
        (("export", "xlsx"), "--out", "index.md"),
        (("export", "pdf"), "--out", "handover.yaml"),
        (("export", "xlsx"), "--out", "chapters/new.xlsx"),
        (("check",), "--junit", "chapters/01-service-overview.md"),
        (("build",), "--summary", "conf.py"),
        (("check",), "--summary", "evidence/summary.md"),
    ],
)
def test_a_file_written_beside_the_verdict_never_lands_among_the_packages_own(cli, example_copy, verb, option, target):
    """A user's file is never overwritten: --out index.md replaced the index page with a
    workbook. Inside the package only its _build takes what handover writes."""
    root = example_copy()
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    relative = Path(os.path.relpath(root))  # as typed: the package and the file relative to here
    assert cli(*verb, relative, option, relative / target).code == 2
    result = cli(*verb, root, option, root / target)
    assert result.code == 2, result.output
    assert result.err.strip().splitlines() == [
        f"handover: error: {root / target}: {option} names a file inside the package, which would replace or add "
        f"to its own files; write it outside the package or under {root.name}/_build"
    ]
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before
    # A link from outside into the package is the package too.
    link = root.parent / "link.xlsx"
    link.symlink_to(root / "index.md")
    assert cli(*verb, root, option, link).code == 2
    assert (root / "index.md").read_bytes() == before[root / "index.md"]
    link.unlink()


def test_an_english_package_gets_english_sheets(cli, package):
    result = cli("export", "xlsx", package.root)
    assert result.code == 0, result.err
    assert "workbook: " in result.out
    book = load_workbook(package.root / "_build" / "handover.xlsx")
    assert book.sheetnames[:3] == ["Cover", "Checklist", "Open problems"]
    assert _headers(book["RACI"]) == ["Decision", "Problems"]
    assert {book["Cover"]["A1"].font.name, book["Checklist"]["B2"].font.name} == {"Calibri"}
    assert not (package.root / "_build" / "check").exists()
