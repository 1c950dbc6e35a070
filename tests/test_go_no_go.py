"""The printable go / no-go sheet ({handover-go-no-go}) in a package as `handover new`
writes it: verdict, review, open items, approval boxes for the accountable roles, and its
own print stylesheet on that page only."""

from __future__ import annotations

import re

import pytest
from conftest import AS_OF


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_new_package_has_a_printable_go_no_go_sheet(cli, tmp_path, language):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"language: {language}\nrelease_date: '2026-12-01'\n", "utf-8")
    assert cli("new", "pkg", "--no-input", "--answers", answers).code == 0
    result = cli("build", "pkg", "--as-of", AS_OF)
    assert result.code == 1  # a fresh package is not ready
    html = tmp_path / "pkg" / "_build" / "html"
    page = (html / "go-no-go.html").read_text("utf-8")
    sheet = page[page.index('class="handover-go-no-go') :]
    assert "NOT READY" in sheet
    assert "T-30" in sheet and "2026-11-20" in sheet
    approvals = sheet[sheet.index("handover-gng-approvals") :]
    rows = re.findall(r"<tr[ >].*?</tr>", approvals, flags=re.DOTALL)
    assert len(rows) >= 2  # the header and the accountable role of the release go / no-go
    assert ("Service owner" if language == "en" else "サービスオーナー") in rows[1]
    assert "handover-gng-open" in sheet  # the blocking items
    # A problem of handover.yaml is named by its entry and owned, as on the dashboard,
    # never by a file:line a reviewer cannot read.
    open_items = sheet[sheet.index("handover-gng-open") : sheet.index("handover-gng-approvals")]
    assert "handover.yaml:" not in open_items
    assert ".md:" not in open_items  # a page's problem is named by the page's title
    assert ("Coverage: " if language == "en" else "契約カバレッジ：") in open_items
    assert re.search(r"handover-gng-fingerprint\">[^<]*SHA-256[^<]*[0-9a-f]{64}</p>", sheet)
    assert 'href="_static/handover-go-no-go.css' in page
    assert "handover-go-no-go.css" not in (html / "index.html").read_text("utf-8")
    assert (html / "_static" / "handover-go-no-go.css").is_file()
    # No inline style or script (the site's Content-Security-Policy); the column widths of
    # <col> are docutils' own, as in every table of the site.
    assert "<style" not in sheet and not re.search(r"<(?!col )[a-z]+ [^>]*style=", sheet)
    assert 'href="go-no-go.html"' in (html / "index.html").read_text("utf-8")


def test_a_recorded_sign_off_fills_its_approval_box(cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("language: en\nrelease_date: '2026-12-01'\n", "utf-8")
    assert cli("new", "pkg", "--no-input", "--answers", answers).code == 0
    data = tmp_path / "pkg" / "handover.yaml"  # the role names who signs off
    data.write_text(
        data.read_text("utf-8").replace('who: "[FILL IN: name, Customer Ltd.]"', "who: Dana Reviewer"), "utf-8"
    )
    signed = cli(
        "signoff",
        "pkg",
        "--review",
        "T-30",
        "--decision",
        "conditional",
        "--condition",
        "restore test by T-7",
        "--by",
        "Dana Reviewer",
        "--role",
        "service_owner",
        "--as-of",
        AS_OF,
    )
    assert signed.code == 0, signed.err
    cli("build", "pkg", "--as-of", AS_OF)
    page = (tmp_path / "pkg" / "_build" / "html" / "go-no-go.html").read_text("utf-8")
    # A go at T-30 approves that review: it is said above the table, not in the release's row.
    said = re.sub(r"<[^>]+>", "", page)
    assert "Sign-off of the T-30 review (Service owner): conditional Go: Dana Reviewer (recorded, current)." in said
    approvals = page[page.index("handover-gng-approvals") :]
    assert "recorded" not in approvals and "\u2611" not in approvals

    t7 = "2026-11-25"  # release 2026-12-01: the T-7 review
    assert cli("signoff", "pkg", "--review", "T-7", "--decision", "go", "--by", "Dana Reviewer",
               "--role", "service_owner", "--as-of", t7).code == 0  # fmt: skip
    cli("build", "pkg", "--as-of", t7)
    page = (tmp_path / "pkg" / "_build" / "html" / "go-no-go.html").read_text("utf-8")
    approvals = re.sub(r"<[^>]+>", "", page[page.index("handover-gng-approvals") :])
    assert "Go: Dana Reviewer (recorded, current)" in approvals
    assert "\u2611 Go \u2610 No-Go \u2610 conditional Go" in approvals
