"""The examples are built by the tests: the complete one passes, and each gate rule,
broken in a copy of it, fails the build and `handover check` alike, naming that rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import AS_OF, panel_verdict

FENCE = re.compile(r"^```\{(\w+)\}[^\n]*\n(?:.*?\n)?```\n", re.M | re.S)


def find_need(root: Path, need_id: str) -> tuple[Path, re.Match]:
    for path in sorted(root.rglob("*.md")):
        for match in FENCE.finditer(path.read_text("utf-8")):
            if re.search(rf"^:id:\s*{need_id}\s*$", match.group(0), re.M):
                return path, match
    raise AssertionError(f"{need_id} not found in {root}")


def option(block: str, name: str) -> str:
    return re.search(rf"^:{name}:\s*(.*)$", block, re.M).group(1).strip()


def edit_need(root: Path, need_id: str, **options: str | None) -> tuple[Path, int]:
    """Set (or with None, remove) options of one need; return its file and line."""
    path, match = find_need(root, need_id)
    block = match.group(0)
    for name, value in options.items():
        if re.search(rf"^:{name}:.*$", block, re.M):
            replacement = "" if value is None else f":{name}: {value}\n"
            block = re.sub(rf"^:{name}:.*\n", lambda _, replacement=replacement: replacement, block, flags=re.M)
        elif value is not None:
            block = block.replace(f":id: {need_id}\n", f":id: {need_id}\n:{name}: {value}\n")
    text = path.read_text("utf-8")
    path.write_text(text[: match.start()] + block + text[match.end() :], "utf-8")
    return path, text[: match.start()].count("\n") + 1


def evidence_of(root: Path, check_id: str) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.md")):
        for match in FENCE.finditer(path.read_text("utf-8")):
            block = match.group(0)
            if match.group(1) == "evidence" and re.search(rf"^:proves:.*\b{check_id}\b", block, re.M):
                found.append(option(block, "id"))
    assert found, f"no evidence for {check_id}"
    return found


def build_and_check(cli, root: Path, *extra: str):
    built = cli("build", root, "--as-of", AS_OF, *extra)
    checked = cli("check", root, "--as-of", AS_OF, *extra)
    assert built.code == checked.code
    return built, checked


@pytest.mark.parametrize("gate", [None, "T-7"])
def test_complete_example_is_ready(cli, example_copy, gate):
    root = example_copy()
    extra = ("--gate", gate) if gate else ()
    built, checked = build_and_check(cli, root, *extra)
    assert built.code == 0, built.output
    assert "ERROR" not in built.err and "WARNING" not in built.err, built.err
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    assert report["ready"] is True and report["problems"] == []
    statuses = {check["id"]: check["status"] for check in report["checks"]}
    assert statuses.pop("CHK_HYPERCARE_EXIT") == "upcoming"
    assert set(statuses.values()) == {"done"}
    assert panel_verdict(root / "_build" / "html" / "index.html") == "READY"
    assert_publishes_only_the_site(root / "_build" / "html")


#: What the site's folder may hold besides pages: Sphinx's search index, its inventory
#: and build stamp, the static assets, the evidence pages and the images of pages.
SITE_FILES = {"searchindex.js", "objects.inv", ".buildinfo"}
SITE_FOLDERS = {"_static", "_evidence", "_images", "_sources", "chapters", "runbooks"}


def assert_publishes_only_the_site(html):
    """Every file of the site is one of its kinds: a record an extension leaves in the
    output folder (sphinx-needs' schema report) is the build's, not the reviewers'."""
    for path in html.rglob("*"):
        relative = path.relative_to(html)
        if path.is_dir():
            assert relative.parts[0] in SITE_FOLDERS, relative
        elif len(relative.parts) == 1:
            assert path.suffix == ".html" or path.name in SITE_FILES, relative
        else:
            assert relative.parts[0] in SITE_FOLDERS, relative
            assert relative.parts[0] != "_sources", relative  # the site serves no raw sources


def _missing(root):
    for evidence_id in evidence_of(root, "CHK_ESCALATION_DRILL"):
        path, match = find_need(root, evidence_id)
        text = path.read_text("utf-8")
        path.write_text(text[: match.start()] + text[match.end() :], "utf-8")
    return find_need_line(root, "CHK_ESCALATION_DRILL")


def find_need_line(root, need_id):
    path, match = find_need(root, need_id)
    return path, path.read_text("utf-8")[: match.start()].count("\n") + 1


def _first_evidence(root, check_id):
    return evidence_of(root, check_id)[0]


def _artifact_path(root, evidence_id):
    _, match = find_need(root, evidence_id)
    return root / option(match.group(0), "artifact")


def _hashed_evidence(root):
    for path in sorted(root.rglob("*.md")):
        for match in FENCE.finditer(path.read_text("utf-8")):
            if match.group(1) == "evidence" and ":sha256:" in match.group(0):
                return option(match.group(0), "id")
    raise AssertionError("the example has no evidence with :sha256:")


def _hash(root):
    evidence_id = _hashed_evidence(root)
    with _artifact_path(root, evidence_id).open("a", encoding="utf-8") as stream:
        stream.write("edited after review\n")
    return find_need_line(root, evidence_id)


def _missing_artifact(root):
    evidence_id = _first_evidence(root, "CHK_KPI_DASHBOARD")
    _artifact_path(root, evidence_id).unlink()
    return find_need_line(root, evidence_id)


def _uncovered(root):
    path = root / "chapters" / "01-service-overview.md"
    text = path.read_text("utf-8")
    path.write_text(text + "\n```{req} 年末セール時のキャパシティ計画\n:id: REQ_CAPACITY_PLAN\n```\n", "utf-8")
    return path, text.count("\n") + 2


BREAKS = {
    "missing_evidence": _missing,
    "stale_evidence": lambda root: edit_need(root, _first_evidence(root, "CHK_RECOVERY_DRYRUN"), date="2026-07-02"),
    "future_evidence": lambda root: edit_need(root, _first_evidence(root, "CHK_CHANGE_PROCESS"), date="2026-12-03"),
    "failed_evidence": lambda root: edit_need(root, _first_evidence(root, "CHK_RESTORE_TEST"), result="fail"),
    "missing_artifact": _missing_artifact,
    "artifact_outside": lambda root: edit_need(
        root, _first_evidence(root, "CHK_LEDGERS"), artifact="../shared/ledger.xlsx"
    ),
    "artifact_hash": _hash,
    "uncovered_requirement": _uncovered,
    "wrong_link_type": lambda root: edit_need(root, _first_evidence(root, "CHK_LEDGERS"), proves="REQ_LEDGERS"),
    "unknown_id": lambda root: edit_need(root, "CHK_KEYS_CERTS", verifies="REQ_KEYS_CERTS, REQ_CERT_RENEWAL"),
}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_each_rule_broken_in_a_copy_fails(cli, example_copy, tmp_path, rule):
    root = example_copy()
    path, line = BREAKS[rule](root)
    location = f"{path.relative_to(tmp_path).as_posix()}:{line}"
    built, checked = build_and_check(cli, root, "--gate", "T-7")
    assert built.code == 1, built.output
    for result in (built, checked):
        assert f"{location}: ERROR: " in result.err, (location, result.err)
        assert f"[handover.{rule}]" in result.err


def test_incomplete_example_reports_its_documented_problems(cli, example_copy):
    """Its README's table (rule, need id, file:line) is exactly what the gate reports."""
    root = example_copy("ec-order-service-incomplete")
    row = re.compile(r"^\|\s*\d+\s*\|\s*`handover\.(\w+)`\s*\|\s*([A-Z0-9_]+|-)[^|]*\|\s*`([^`:]+):(\d+)`", re.M)
    documented = {
        (rule, None if need_id == "-" else need_id, file, int(line))
        for rule, need_id, file, line in row.findall((root / "README.md").read_text("utf-8"))
    }
    assert len(documented) == 22
    built, checked = build_and_check(cli, root, "--gate", "T-7")
    assert built.code == 1
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    found = {(p["rule"].removeprefix("handover."), p["need_id"], p["file"], p["line"]) for p in report["problems"]}
    assert found == documented
    # No.22, the stale sign-off, is the one that does not block (no policy.signoff_required).
    assert [p["rule"] for p in report["problems"] if not p["blocking"]] == ["handover.signoff_stale"]
    assert report["build_warnings"] == []
    assert panel_verdict(root / "_build" / "html" / "index.html") == "NOT READY"
    index = (root / "_build" / "html" / "index.html").read_text("utf-8")
    assert "担当：中村 由美（運用リーダー）" in index  # the owner of CHK_ESCALATION_DRILL, beside it


DATA_BREAKS = {
    "raci_accountable": (
        "{service_owner: A, ops_lead: R, ops_staff: I, vendor_pm: C, maintenance_team: C, platform_team: C, security: C}",
        "{service_owner: A, ops_lead: A, ops_staff: I, vendor_pm: C, maintenance_team: C, platform_team: C, security: C}",
        "  - decision: major_incident_recovery_policy",
    ),
    "raci_responsible": (
        "    title: 本番リリースの可否判断\n    assign: {service_owner: A, ops_lead: R,",
        "    title: 本番リリースの可否判断\n    assign: {service_owner: A, ops_lead: C,",
        "  - decision: release_go_no_go",
    ),
    "unknown_role": (
        "ops_lead: A/R, ops_staff: R, vendor_pm: I",
        "ops_lead: A/R, ops_staf: R, vendor_pm: I",
        "ops_staf: R",
    ),
    "coverage_hole": (
        "    capacity: {who: EC事業部（販促計画の共有）",
        "    capacity: {who: 未定",
        "    capacity: {who: 未定",
    ),
    "coverage_na_reason": (
        "    bcp_backup: {na: アプリはイメージから再作成でき、バックアップ対象はDBと設定（基盤側）}",
        "    bcp_backup: {na: ''}",
        "    bcp_backup: {na: ''}",
    ),
    "sla_chain": (
        "    supports: [S2]\n    first_response: 30m\n    recovery: 4h",
        "    supports: [S2]\n    first_response: 30m\n    recovery: 6h",
        "    recovery: 6h",
    ),
    "contact_untested": (
        "    channel: 電話\n    hours: 24時間365日\n    within: 30m\n    last_tested: 2026-11-12",
        "    channel: 電話\n    hours: 24時間365日\n    within: 30m\n    last_tested: 2026-05-01",
        "    last_tested: 2026-05-01",
    ),
    "waiver_expired": (
        "waivers: []",
        "waivers:\n  - check: CHK_KPI_DASHBOARD\n    reason: 新監視基盤への移行待ち\n    approved_by: service_owner\n    expires: 2026-11-10",
        "    expires: 2026-11-10",
    ),
    "waiver_invalid": (
        "waivers: []",
        "waivers:\n  - check: CHK_DASHBOARD\n    reason: 新監視基盤への移行待ち\n    approved_by: service_owner\n    expires: 2026-12-10",
        "  - check: CHK_DASHBOARD",
    ),
}


@pytest.mark.parametrize("rule", sorted(DATA_BREAKS))
def test_each_data_rule_broken_in_a_copy_fails_at_its_yaml_line(cli, example_copy, tmp_path, rule):
    root = example_copy()
    old, new, located = DATA_BREAKS[rule]
    path = root / "handover.yaml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, "utf-8")
    line = text[: text.index(located)].count("\n") + 1
    built, checked = build_and_check(cli, root)
    assert built.code == 1
    for result in (built, checked):
        assert f"ec-order-service/handover.yaml:{line}: ERROR: " in result.err, result.err
        assert f"[handover.{rule}]" in result.err


def test_hypercare_exit_at_t_plus_30_in_a_copy(cli, example_copy):
    root = example_copy()
    path = root / "handover.yaml"
    text = path.read_text("utf-8").replace(
        'threshold: "<= 2h"\n      measured:', 'threshold: "<= 2h"\n      measured: 3h10m'
    )
    path.write_text(text, "utf-8")
    built, checked = build_and_check(cli, root, "--gate", "T+30")
    line = text[: text.index("measured: 3h10m")].count("\n") + 1
    for result in (built, checked):
        assert (
            f"ec-order-service/handover.yaml:{line}: ERROR: ハイパーケアの終了基準「MTTR（S1・S2）」の実測値 3h10m が"
            in result.err
        )
        assert "<= 2h を満たしていません" in result.err
        assert "[handover.hypercare_exit]" in result.err
