"""`--summary FILE`: the verdict as Markdown, for a CI's job summary."""

from __future__ import annotations

import datetime as dt
import json

from conftest import AS_OF

from handover_kit.review.summary import MAX_ROWS, render_summary
from sphinx_handover import Verdict
from sphinx_handover.rules.rules_table import Rule
from sphinx_handover.rules.verdict import Problem

SECRET = "Kq7Zp2Lm9x&<b>"


def verdict(*problems: Problem, language: str = "en", redactions: tuple[str, ...] = ()) -> Verdict:
    return Verdict(
        as_of=dt.date(2026, 11, 20),
        gate="T-7",
        release_date=dt.date(2026, 12, 1),
        system="Orders",
        language=language,
        problems=problems,
        checks=(),
        redactions=redactions,
    )


def test_incomplete_example_summary_lists_every_blocking_problem(cli, example_copy, tmp_path):
    root = example_copy("ec-order-service-incomplete")
    summary = tmp_path / "summary.md"
    result = cli("check", root, "--as-of", AS_OF, "--gate", "T-7", "--json", "--summary", summary)
    assert result.code == 1
    report = json.loads(result.out)
    text = summary.read_text("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("### NOT READY") and "T\\-7" not in lines[0]  # '-' needs no escape
    assert lines[2] == "| 項目 | 問題 | 場所 |" and lines[3] == "|---|---|---|"
    rows = lines[4:]
    blocking = [problem for problem in report["problems"] if problem["blocking"]]
    assert len(rows) == len(blocking) + len(report["build_warnings"])
    escalation = next(row for row in rows if row.startswith("| CHK\\_ESCALATION\\_DRILL "))
    assert "\\[handover.missing\\_evidence\\]" in escalation
    assert "| chapters/10-acceptance.md\\:" in escalation


def test_cells_are_redacted_then_escaped():
    problem = Problem(Rule.SECRET, None, "handover.yaml", 3, f"who is {SECRET} | [x](https://evil) @team")
    text = render_summary(verdict(problem, redactions=(SECRET,)))
    assert "Kq7Zp2Lm9x" not in text
    row = text.splitlines()[-1]
    assert (
        row
        == "|  | who is \\[REDACTED\\] \\| \\[x\\](https\\://evil) \\@team \\[handover.secret\\] | handover.yaml\\:3 |"
    )


def test_ready_verdict_has_no_table_and_long_tables_are_cut():
    assert render_summary(verdict()).count("\n") == 2
    many = [Problem(Rule.SECRET, None, "handover.yaml", line, "a secret") for line in range(1, MAX_ROWS + 6)]
    text = render_summary(verdict(*many))
    assert text.count("| handover.yaml\\:") == MAX_ROWS
    assert text.rstrip().endswith("… and 5 more\\: see handover-report.json")
