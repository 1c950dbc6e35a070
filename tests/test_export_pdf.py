"""`handover export pdf`: the go / no-go sheet printed by WeasyPrint (the `pdf` extra),
read back with pdftotext."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import AS_OF

from handover_kit.export.pdf import MISSING

needs_weasyprint = pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is None, reason="WeasyPrint (handover-kit[pdf]) is not installed"
)


def test_without_the_extra_says_what_to_install(cli, package, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    result = cli("export", "pdf", package.root)
    assert result.code == 2
    assert result.err.strip().splitlines() == [f"handover: error: {MISSING}"]


@needs_weasyprint
def test_a_package_without_the_sheet_is_told_how_to_add_it(cli, package):
    result = cli("export", "pdf", package.root)
    assert result.code == 2
    assert "no page shows the go / no-go sheet" in result.err and "go-no-go.md" in result.err


@needs_weasyprint
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_incomplete_example_prints_its_verdict_and_every_open_item(cli, example_copy, tmp_path):
    root = example_copy("ec-order-service-incomplete")
    (root / "go-no-go.md").write_text("# Go/No-Go 判定シート\n\n```{handover-go-no-go}\n```\n", "utf-8")
    index = root / "index.md"
    index.write_text(
        re.sub(r"^traceability$", "traceability\ngo-no-go", index.read_text("utf-8"), count=1, flags=re.MULTILINE),
        "utf-8",
    )
    pdf = tmp_path / "sheet.pdf"
    result = cli("export", "pdf", root, "--as-of", AS_OF, "--out", pdf)
    assert result.code == 1, result.err  # written, and the verdict is NOT READY
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "NOT READY" in text and "承認欄" in text and "Go/No-Go 判定シート" in text
    joined = re.sub(r"\s+", "", text)  # ids wrap inside narrow table cells
    blocking = {p["need_id"] for p in report["problems"] if p["blocking"] and p["need_id"]}
    assert blocking and all(need_id in joined for need_id in blocking)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    # The list of open items starts under its heading on the first page (furo's print rules
    # would keep the whole table together and push it to the next, leaving half a page blank).
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    assert [need_id for need_id in blocking if need_id in re.sub(r"\s+", "", first.stdout)]
    # The boxes to tick stay on one line in each approval row.
    assert len(re.findall(r"☐ Go\s+☐ No-Go", text)) == text.count("☐ Go") >= 1
