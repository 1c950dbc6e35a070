"""READY means ready (issue 14, items 2-5): measured RTO / RPO against their targets,
evidence age counted at the check's review, the required checklist, runbooks exercised
and owned. Real builds of copies of the complete example and of small packages."""

from __future__ import annotations

import json
import re

from conftest import AS_OF
from test_examples import edit_need, find_need_line

RESTORE = "EV_RESTORE_TEST_2026_10"
DRYRUN = "EV_RECOVERY_DRYRUN_2026_11"


def check(cli, root, *extra: str):
    result = cli("check", root, "--as-of", AS_OF, *extra)
    assert "Traceback" not in result.output
    return result


def report_of(cli, root, *extra: str) -> dict:
    return json.loads(check(cli, root, "--json", *extra).out)


def location(tmp_path, path, line) -> str:
    return f"{path.relative_to(tmp_path).as_posix()}:{line}"


def yaml_line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- item 3: measured values against targets ----------------------------------------


def test_restore_test_over_its_rto_does_not_count(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, RESTORE, measured_rto="2h30m")
    built = cli("build", root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    expected = (
        f"{location(tmp_path, path, line)}: ERROR: {RESTORE} の RTO の実測値 2時間30分 は CHK_RESTORE_TEST の"
        "目標値 2時間 を超えているため、エビデンスとして数えません。原因を直し、目標値以内で再実施してください"
        " [handover.target_missed]"
    )
    assert expected in built.err, built.err
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    status = next(item for item in report["checks"] if item["id"] == "CHK_RESTORE_TEST")
    assert status["status"] == "failed"
    assert status["evidence"][0]["counts"] is False
    assert (status["evidence"][0]["measured_rto"], status["evidence"][0]["measured_rpo"]) == ("2h30m", "3m12s")


def test_record_without_its_measurements_does_not_count(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, RESTORE, measured_rpo=None)
    result = check(cli, root)
    assert result.code == 1
    assert f"{location(tmp_path, path, line)}: ERROR: " in result.err
    assert ":measured_rpo:" in result.err and "[handover.measurement_missing]" in result.err


def test_a_dry_run_needs_its_measured_rto_by_default(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, DRYRUN, measured_rto=None)
    result = check(cli, root, "--gate", "T-7")
    assert result.code == 1
    assert f"{location(tmp_path, path, line)}: ERROR: " in result.err
    assert "[handover.measurement_missing]" in result.err


def test_policy_can_drop_a_required_measurement(cli, example_copy):
    root = example_copy()
    edit_need(root, DRYRUN, measured_rto=None)
    yaml_path = root / "handover.yaml"
    text = yaml_path.read_text("utf-8").replace(
        "    escalation-drill: 90\n", "    escalation-drill: 90\n  required_measurements:\n    dry-run: []\n"
    )
    yaml_path.write_text(text, "utf-8")
    assert check(cli, root, "--gate", "T-7").code == 0


def test_a_check_with_its_own_target(cli, example_copy, tmp_path):
    root = example_copy()
    edit_need(root, "CHK_RESTORE_TEST", target_rto="1h30m")
    path, line = find_need_line(root, RESTORE)
    result = check(cli, root)
    assert result.code == 1
    assert f"{location(tmp_path, path, line)}: ERROR: " in result.err
    assert "1時間42分" in result.err and "1時間30分" in result.err and "[handover.target_missed]" in result.err


def test_a_bad_duration_is_an_input_error(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, RESTORE, measured_rto="about two hours")
    result = check(cli, root)
    assert result.code == 2
    assert f"{location(tmp_path, path, line)}: ERROR: " in result.err and "[handover.invalid_option]" in result.err


def test_chapter_one_shows_targets_and_latest_measurements(cli, example_copy):
    root = example_copy()
    assert cli("build", root, "--as-of", AS_OF).code == 0
    html = (root / "_build" / "html" / "chapters" / "01-service-overview.html").read_text("utf-8")
    view = html[html.index("handover-targets") :]
    text = re.sub(r"<[^>]+>", " ", view[: view.index("</table>")])
    for shown in ("RTO（目標復旧時間）", "2時間", "1時間42分", "3分12秒", "22分50秒", RESTORE, DRYRUN, "99.9%"):
        assert shown in text, shown


# --- item 4: freshness counted at the check's review -------------------------------


FRESH_CHECK = """\
# Checks

```{req} Restores work
:id: REQ_RESTORE
```

```{check} Restore tested
:id: CHK_RESTORE
:verifies: REQ_RESTORE
:gate: T-30
:max_age: 90
%s
```

```{evidence} Restore test
:id: EV_RESTORE
:proves: CHK_RESTORE
:date: 2026-09-02
:owner: Sato
:artifact: evidence/restore.log
```
"""

IN_HYPERCARE = "2026-12-11"  # T0 + 10 days: the record is 100 days old, it was 60 at T-30


def test_evidence_valid_at_its_review_stays_valid_through_hypercare(cli, package):
    package.artifact("evidence/restore.log")
    package.page("checks", FRESH_CHECK % "")
    result = cli("check", package.root, "--as-of", IN_HYPERCARE, "--json")
    assert result.code == 0, result.output
    record = json.loads(result.out)["checks"][0]["evidence"][0]
    assert record["age_days"] == 100 and record["counts"] is True


def test_a_check_that_must_stay_fresh_goes_stale_after_go_live(cli, package):
    package.artifact("evidence/restore.log")
    package.page("checks", FRESH_CHECK % ":freshness: continuous")
    result = cli("check", package.root, "--as-of", IN_HYPERCARE)
    assert result.code == 1
    assert (
        "pkg/checks.md:15: ERROR: EV_RESTORE is 100 days old on 2026-12-11; CHK_RESTORE accepts at most 90 days: repeat it and record the new run [handover.stale_evidence]"
        in result.err
    )


# --- item 2: the required checklist ---------------------------------------------------


def _delete_check_and_its_evidence(root, check_id: str) -> None:
    from test_examples import evidence_of, find_need

    for need_id in [*evidence_of(root, check_id), check_id]:
        path, match = find_need(root, need_id)
        text = path.read_text("utf-8")
        path.write_text(text[: match.start()] + text[match.end() :], "utf-8")


def test_a_deleted_template_check_is_reported_at_the_policy_line(cli, example_copy, tmp_path):
    root = example_copy()
    _delete_check_and_its_evidence(root, "CHK_KPI_DASHBOARD")
    line = yaml_line((root / "handover.yaml").read_text("utf-8"), "policy:")
    result = check(cli, root)
    assert result.code == 1
    assert f"ec-order-service/handover.yaml:{line}: ERROR: 必須の受入チェック CHK_KPI_DASHBOARD" in result.err
    assert "[handover.required_check_missing]" in result.err


def test_required_checks_listed_in_handover_yaml(cli, example_copy):
    root = example_copy()
    _delete_check_and_its_evidence(root, "CHK_KPI_DASHBOARD")
    yaml_path = root / "handover.yaml"
    listed = "  required_checks:\n    - CHK_MONITORING\n    - CHK_KPI_DASHBOARD\n"
    text = yaml_path.read_text("utf-8").replace("    escalation-drill: 90\n", "    escalation-drill: 90\n" + listed)
    yaml_path.write_text(text, "utf-8")
    result = check(cli, root)
    assert result.code == 1
    assert f"handover.yaml:{yaml_line(text, '- CHK_KPI_DASHBOARD')}: ERROR: " in result.err
    # Taking it off the list, a change reviewed in handover.yaml, is what makes it optional.
    yaml_path.write_text(text.replace("    - CHK_KPI_DASHBOARD\n", ""), "utf-8")
    assert "required_check_missing" not in check(cli, root).err


# --- item 5: runbooks exercised and owned ---------------------------------------------


def test_an_unexercised_runbook_blocks_at_t7_not_at_t30(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, "RB_BATCH_RERUN", last_exercised=None)
    at_t7 = check(cli, root, "--gate", "T-7")
    assert at_t7.code == 1
    assert f"{location(tmp_path, path, line)}: ERROR: " in at_t7.err and "[handover.runbook_unexercised]" in at_t7.err
    at_t30 = report_of(cli, root, "--gate", "T-30")
    assert at_t30["ready"] is True
    assert [p["blocking"] for p in at_t30["problems"] if p["rule"] == "handover.runbook_unexercised"] == [False]


def test_a_runbook_exercised_too_long_ago_blocks(cli, example_copy):
    root = example_copy()
    edit_need(root, "RB_BATCH_RERUN", last_exercised="2025-10-01")
    result = check(cli, root, "--gate", "T-7")
    assert result.code == 1 and "[handover.runbook_unexercised]" in result.err


def test_a_waiver_stands_in_for_a_runbook_exercise(cli, example_copy):
    root = example_copy()
    edit_need(root, "RB_BATCH_RERUN", last_exercised=None)
    yaml_path = root / "handover.yaml"
    waiver = (
        "waivers:\n  - check: RB_BATCH_RERUN\n    reason: 再実行の訓練は 2026-12-10 に予定\n"
        "    approved_by: service_owner\n    expires: 2026-12-15\n"
    )
    yaml_path.write_text(yaml_path.read_text("utf-8").replace("waivers: []\n", waiver), "utf-8")
    assert check(cli, root, "--gate", "T-7").code == 0


def test_a_placeholder_owner_blocks(cli, example_copy, tmp_path):
    root = example_copy()
    path, line = edit_need(root, "RB_BATCH_RERUN", owner="【要記入：担当チーム】")
    result = check(cli, root, "--gate", "T-7")
    assert result.code == 1
    assert f"{location(tmp_path, path, line)}: ERROR: " in result.err and "[handover.runbook_owner]" in result.err


def test_chapter_one_follows_a_new_measurement_on_an_incremental_build(cli, example_copy):
    root = example_copy()
    assert cli("build", root, "--as-of", AS_OF).code == 0
    edit_need(root, RESTORE, measured_rto="1h55m")
    assert cli("build", root, "--as-of", AS_OF).code == 0
    html = (root / "_build" / "html" / "chapters" / "01-service-overview.html").read_text("utf-8")
    view = html[html.index("handover-targets") :]
    assert "1時間55分" in view[: view.index("</table>")]


def test_bad_policy_values_are_located_input_errors(cli, example_copy):
    root = example_copy()
    yaml_path = root / "handover.yaml"
    original = yaml_path.read_text("utf-8")
    for added, problem in (
        ("  required_checks: CHK_MONITORING\n", "policy.required_checks must be a list"),
        (
            "  required_measurements:\n    dry-run: [rtoo]\n",
            "policy.required_measurements.dry-run: 'rtoo' is not one of rto, rpo",
        ),
    ):
        yaml_path.write_text(
            original.replace("    escalation-drill: 90\n", "    escalation-drill: 90\n" + added), "utf-8"
        )
        result = check(cli, root)
        assert result.code == 2 and problem in result.err and "handover.yaml:" in result.err, result.err
    yaml_path.write_text(original, "utf-8")
    edit_need(root, "CHK_RESTORE_TEST", freshness="always")
    result = check(cli, root)
    assert result.code == 2 and "[handover.invalid_option]" in result.err
