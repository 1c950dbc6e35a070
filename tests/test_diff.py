"""handover diff: what changed between two reports, in a reviewer's words."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from handover_kit.review.diff import compare

AS_OF = "2026-11-20"


def _report(cli, package: Path, tmp_path: Path) -> Path:
    result = cli("check", package, "--as-of", AS_OF, "--json")
    path = tmp_path / f"{package.name}.json"
    path.write_text(result.out, "utf-8")
    return path


def _ids(items: list[dict], change: str | None = None) -> set[str]:
    return {item["id"] for item in items if change is None or item["change"] == change}


def test_the_two_examples_differ_exactly_as_the_incomplete_readme_says(cli, example_copy, tmp_path):
    complete = _report(cli, example_copy(), tmp_path)
    incomplete = _report(cli, example_copy("ec-order-service-incomplete"), tmp_path)
    result = cli("diff", complete, incomplete, "--json")
    assert result.code == 1, result.err
    changes = json.loads(result.out)
    # README No.2-7 take the valid evidence of six checks; No.1 and the T-7 checks are not yet due at T-30.
    assert {(item["id"], item["old"], item["new"]) for item in changes["checks_status"]} == {
        ("CHK_RESTORE_TEST", "done", "failed"),
        ("CHK_RACI_AGREED", "done", "invalid"),
        ("CHK_LEDGERS", "done", "invalid"),
        ("CHK_CHANGE_PROCESS", "done", "invalid"),
        ("CHK_RECOVERY_DRYRUN", "done", "upcoming"),
        ("CHK_KPI_DASHBOARD", "done", "upcoming"),
        ("CHK_ESCALATION_DRILL", "done", "upcoming"),
    }
    assert [(item["id"], item["change"]) for item in changes["requirements"]] == [("REQ_CAPACITY_PLAN", "added")]
    # No.10 (an unknown id in :verifies:) and the retest written into check (c)'s text.
    assert {(item["id"], item["change"]) for item in changes["checks"]} == {
        ("CHK_KEYS_CERTS", "edited"),
        ("CHK_RESTORE_TEST", "edited"),
    }
    evidence = changes["evidence"]
    assert _ids(evidence, "added") == {"EV_BATCH_RERUN_DRYRUN_2026_11", "EV_RESTORE_RETEST_2026_11", "EV_LEDGER_DRAFT"}
    assert _ids(evidence, "removed") == {"EV_CALL_TREE_TEST_2026_11"}
    assert _ids(evidence, "invalidated") == {
        "EV_RESTORE_TEST_2026_10",
        "EV_RECOVERY_DRYRUN_2026_11",
        "EV_KPI_DASHBOARD_2026_11",
        "EV_RACI_SIGNOFF",
        "EV_LEDGER_REVIEW",
        "EV_CHANGE_PROCESS_APPROVAL",
    }
    assert _ids(evidence, "replaced") >= {"EV_RACI_SIGNOFF", "EV_RESTORE_TEST_2026_10"}
    # policy.required_checks gained CHK_CAPACITY_PLAN (No.17); no escalation level has last_tested (No.11-15).
    assert {(item["section"], item["change"]) for item in changes["handover_yaml"]} == {
        ("policy", "changed"),
        ("escalation", "changed"),
    }
    assert changes["signoffs_stale"] == []

    text = cli("diff", complete, incomplete)
    assert "  CHK_RESTORE_TEST ((c) バックアップ・リストアの実機検証): done → failed" in text.out
    assert "  contacts and escalation: changed" in text.out
    same = cli("diff", complete, complete)
    assert (same.code, same.out) == (0, "No changes.\n")


def test_a_report_of_schema_1_or_no_report_is_one_line(cli, tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"schema_version": 1}), "utf-8")
    result = cli("diff", "old.json", "old.json")
    assert result.code == 2
    assert result.err.splitlines() == [
        "handover: error: old.json: report schema_version 1; handover diff reads schema 2: build it again with this handover-kit"
    ]
    missing = cli("diff", "none.json", "old.json")
    assert missing.code == 2 and missing.err.splitlines() == ["handover: error: none.json: no such report"]


def _signed(current: bool) -> dict:
    return {
        "review": "T-7",
        "decision": "go",
        "by": "Kim",
        "role": "owner",
        "at": "2026-11-25T09:00:00+00:00",
        "fingerprint": "f" * 64,
        "current": current,
        "superseded": False,
        "changes": [] if current else ["needs edited: REQ_A"],
    }


def test_a_signoff_that_went_stale_is_listed():
    empty = {"checks": [], "needs": {}, "content": {"needs": {}, "data": {}, "artifacts": {}}}
    changes = compare({**empty, "signoffs": [_signed(True)]}, {**empty, "signoffs": [_signed(False)]})
    assert changes["signoffs_stale"] == [
        {
            "review": "T-7",
            "decision": "go",
            "by": "Kim",
            "role": "owner",
            "at": "2026-11-25T09:00:00+00:00",
            "changes": ["needs edited: REQ_A"],
        }
    ]
    assert (
        compare({**empty, "signoffs": [_signed(False)]}, {**empty, "signoffs": [_signed(False)]})["signoffs_stale"]
        == []
    )


def _git(where: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(where), "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def test_two_git_revisions_of_a_package(cli, example_copy, tmp_path):
    package = example_copy()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", package.name)
    _git(tmp_path, "commit", "-q", "-m", "T-30 review")
    handover = package / "handover.yaml"
    handover.write_text(handover.read_text("utf-8").replace("    recovery: 2h\n", "    recovery: 3h\n", 1), "utf-8")
    artifact = package / "evidence/03-runbooks/alert-runbook-check-2026-11-10.txt"
    artifact.write_text(artifact.read_text("utf-8") + "re-checked\n", "utf-8")
    _git(tmp_path, "commit", "-q", "-am", "SLA and one artifact changed")

    result = cli("diff", "--git", "HEAD~1", "HEAD", "--package", package, "--as-of", AS_OF, "--json")
    assert result.code == 1, result.err
    changes = json.loads(result.out)
    assert changes["handover_yaml"] == [{"section": "sla", "change": "changed"}]
    # The record has no :sha256:, so it still counts: replaced, not invalidated.
    assert changes["evidence"] == [
        {
            "id": "EV_ALERT_RUNBOOK_LINKS",
            "change": "replaced",
            "artifact": "evidence/03-runbooks/alert-runbook-check-2026-11-10.txt",
        }
    ]
    assert changes["checks_status"] == changes["requirements"] == changes["checks"] == []
    # The example's own T-30 go covered the first revision: it went stale with these changes.
    [stale] = changes["signoffs_stale"]
    assert (stale["review"], stale["decision"], stale["by"], stale["role"]) == (
        "T-30",
        "go",
        "高橋 正樹",
        "service_owner",
    )
    assert stale["changes"] == [
        "handover.yaml で変更された項目：sla",
        "差し替えられたエビデンスのファイル：evidence/03-runbooks/alert-runbook-check-2026-11-10.txt",
    ]
    unknown = cli("diff", "--git", "nosuchrev", "HEAD", "--package", package)
    assert unknown.code == 2 and unknown.err.startswith("handover: error: revision 'nosuchrev': git archive failed")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (json.dumps({"schema_version": 2}), "not a report as handover writes it ('checks' is no list of checks)"),
        (json.dumps({"schema_version": 2, "checks": "x"}), "'checks' is no list of checks"),
        (json.dumps({"schema_version": 2, "checks": [{"id": "CHK_A"}]}), "a check lacks id, title, status or evidence"),
        ("[" * 100_000 + "]" * 100_000, "not a JSON report: maximum recursion depth exceeded"),
        ('{"schema_version": ' + "2" * 5000 + "}", "not a JSON report: Exceeds the limit"),
    ],
    ids=["no checks", "checks a string", "a check without its fields", "nested deep", "a number of 5000 digits"],
)
def test_a_report_of_another_shape_is_one_line(cli, tmp_path, text, said):
    """A report is a file anyone can edit: what diff cannot compare is one line, exit 2."""
    (tmp_path / "odd.json").write_text(text, "utf-8")
    result = cli("diff", "odd.json", "odd.json")
    assert result.code == 2 and "Traceback" not in result.output
    [line] = result.err.splitlines()
    assert line.startswith("handover: error: odd.json: ") and said in line, line
