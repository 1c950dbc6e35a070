"""`handover new`: the generated package, its build, and that nothing is ever lost."""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import panel_verdict

from handover_kit.authoring import scaffold

CHAPTERS = [
    "01-service-overview",
    "02-organization-raci",
    "03-runbooks",
    "04-ledgers",
    "05-security",
    "06-change-release",
    "07-bcp-backup",
    "08-kpi-reporting",
    "09-hypercare",
    "10-acceptance",
]
RUNBOOKS = [
    "monitoring-alert",
    "incident-recovery",
    "backup-restore",
    "deploy-rollback",
    "access-request",
    "batch-rerun",
]
CHECKLIST_A_TO_H = [
    "CHK_MONITORING",
    "CHK_RECOVERY_DRYRUN",
    "CHK_RESTORE_TEST",
    "CHK_ACCESS_FLOW",
    "CHK_INCIDENT_COMMS",
    "CHK_KPI_DASHBOARD",
    "CHK_SLA_CHAIN",
    "CHK_ESCALATION_DRILL",
]


def need_lines(path: Path, directive: str) -> dict[str, int]:
    """need id -> line of its opening fence, read from the file itself."""
    lines = path.read_text("utf-8").splitlines()
    found = {}
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^```\{{{directive}\}}", line):
            for option in lines[number : number + 8]:
                if match := re.match(r"^:id:\s*(\S+)", option):
                    found[match.group(1)] = number
                    break
    return found


@pytest.fixture
def answers_file(tmp_path):
    def write(**answers: str) -> Path:
        path = tmp_path / "answers.yaml"
        path.write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
        return path

    return write


@pytest.mark.parametrize("language", ["ja", "en"])
def test_fresh_package_lists_every_checklist_item_as_missing(cli, tmp_path, answers_file, language):
    answers = answers_file(
        language=language, system_name="受注基盤" if language == "ja" else "Orders", release_date="2026-12-01"
    )
    created = cli("new", "fresh", "--no-input", "--answers", answers)
    assert created.code == 0, created.output
    package = tmp_path / "fresh"
    for chapter in CHAPTERS:
        assert (package / "chapters" / f"{chapter}.md").is_file()
    for runbook in RUNBOOKS:
        assert (package / "runbooks" / f"{runbook}.md").is_file()
    assert (package / "evidence" / "README.md").is_file()

    built = cli("build", "fresh", "--gate", "T-7", "--as-of", "2026-11-20")
    assert built.code == 1, built.output
    acceptance = package / "chapters" / "10-acceptance.md"
    checks = need_lines(acceptance, "check")
    assert set(CHECKLIST_A_TO_H) <= set(checks)
    for check_id in CHECKLIST_A_TO_H:
        said = (
            f"受入チェック {check_id} は" if language == "ja" else f"check {check_id} is due"
        )  # the package's language
        expected = f"fresh/chapters/10-acceptance.md:{checks[check_id]}: ERROR: {said}"
        assert expected in built.err, built.err
        assert "[handover.missing_evidence]" in built.err
    assert panel_verdict(package / "_build" / "html" / "index.html") == "NOT READY"
    index = (package / "_build" / "html" / "index.html").read_text("utf-8")
    for check_id in CHECKLIST_A_TO_H:
        assert check_id in index
    # Besides the missing evidence, only the decisions the template leaves open on
    # purpose: coverage holes, a weekday UC under a 24x7 SLA, untested contacts, and
    # runbooks not yet owned or exercised (they block from T-7), and the template text
    # still to fill in, counted on every chapter.
    report = (package / "_build" / "handover-report.json").read_text("utf-8")
    rules = set(re.findall(r'"rule": "(handover\.\w+)"', report))
    assert rules == {
        "handover.missing_evidence",
        "handover.coverage_hole",
        "handover.sla_chain",
        "handover.contact_untested",
        "handover.runbook_unexercised",
        "handover.runbook_owner",
        "handover.placeholder",
    }
    assert '"build_warnings": []' in report
    left = {item["file"]: item for item in json.loads(report)["placeholders"]}
    for chapter in CHAPTERS:
        assert left[f"chapters/{chapter}.md"]["blocking"] > 0, chapter

    # The structured data shows in the chapters, with the template's holes flagged.
    html = package / "_build" / "html" / "chapters"
    shown = {
        "01-service-overview": ["handover-sla", "handover-agreements", "handover-row-problem"],
        "02-organization-raci": ["handover-raci"],
        "04-ledgers": ["handover-coverage", "handover-badge-hole", '<div class="handover-escalation-graph" role="img"'],
        "09-hypercare": ["handover-hypercare"],
        "10-acceptance": ["handover-timeline", "handover-badge-now"],
    }
    for chapter, markers in shown.items():
        page = (html / f"{chapter}.html").read_text("utf-8")
        for marker in markers:
            assert marker in page, (chapter, marker)

    checked = cli("check", "fresh", "--gate", "T-7", "--as-of", "2026-11-20")
    assert checked.code == 1
    assert sorted(l for l in checked.err.splitlines() if "ERROR" in l) == sorted(
        l for l in built.err.splitlines() if "ERROR" in l
    )


def test_answers_are_recorded_in_handover_yaml(cli, tmp_path, answers_file):
    answers = answers_file(
        language="en",
        system_name="Billing",
        vendor="Acme",
        customer="Globex",
        release_date="2027-03-01",
        service_hours="Mon-Fri 9-18",
    )
    assert cli("new", "pkg", "--answers", answers, "--no-input").code == 0
    data = yaml.safe_load((tmp_path / "pkg" / "handover.yaml").read_text("utf-8"))
    assert data["project"] == {
        "system": "Billing",
        "vendor": "Acme",
        "customer": "Globex",
        "release_date": __import__("datetime").date(2027, 3, 1),
        "language": "en",
    }
    assert data["service"]["hours"] == "Mon-Fri 9-18"
    index = (tmp_path / "pkg" / "index.md").read_text("utf-8")
    # The review dates are not frozen into the pages: the site computes them (tests/test_dates.py).
    assert "Billing" in index and "{handover-date}`T-30`" in index and "2027-01-30" not in index


def test_interactive_prompts(tmp_path, monkeypatch, capsys):
    from handover_kit.authoring import questions

    replies = iter(["en", "Payments", "", "", "2026-13-01", "2027-01-15", ""])
    answers = questions.collect({}, interactive=True, ask=lambda prompt: next(replies))
    assert answers.language == "en"
    assert answers.system_name == "Payments"
    assert answers.vendor == "Vendor Ltd."
    assert str(answers.release_date) == "2027-01-15"
    assert "YYYY-MM-DD" in capsys.readouterr().out


def test_refuses_a_non_empty_directory_and_keeps_its_files(cli, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.md").write_text("mine\n", "utf-8")
    result = cli("new", target, "--no-input")
    assert result.code == 2
    assert (
        result.err.strip() == f"handover: error: {target}: directory is not empty; handover new never overwrites files"
    )
    assert [p.name for p in target.iterdir()] == ["notes.md"]
    assert (target / "notes.md").read_text("utf-8") == "mine\n"


def test_an_empty_directory_is_filled(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert cli("new", "empty", "--no-input").code == 0
    assert (tmp_path / "empty" / "handover.yaml").is_file()


class _Interrupt:
    """Raises KeyboardInterrupt at the *at*-th file-system call of the scaffolder (0: never)."""

    CALLS = (
        (tempfile, "mkdtemp"),
        (Path, "mkdir"),
        (Path, "open"),
        (Path, "rmdir"),
        (os, "rename"),
    )

    def __init__(self, monkeypatch, at: int) -> None:
        self.at, self.calls = at, 0
        for owner, name in self.CALLS:
            monkeypatch.setattr(owner, name, self._wrap(getattr(owner, name)))

    def _wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.at:
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        return call


@pytest.mark.parametrize("target_existed", [False, True], ids=["new-folder", "empty-folder"])
def test_interrupting_new_at_any_point_leaves_nothing(tmp_path, monkeypatch, target_existed):
    files = scaffold.render(scaffold.Answers("ja", "S", "V", "C", datetime.date(2026, 12, 1), "24/365"))

    def attempt(parent: Path, at: int) -> None:
        parent.mkdir()
        if target_existed:
            (parent / "pkg").mkdir()  # an existing empty target must be left as it was, too
        with monkeypatch.context() as patch:
            interrupt = _Interrupt(patch, at)
            try:
                scaffold.create(parent / "pkg", files)
            finally:
                attempt.calls = interrupt.calls

    attempt(tmp_path / "complete", at=0)
    total = attempt.calls
    assert total > len(files)  # at least one call per file: each point below is a real one
    for at in range(1, total + 1):
        parent = tmp_path / f"run-{at}"
        with pytest.raises(KeyboardInterrupt):
            attempt(parent, at)
        left = sorted(path.relative_to(parent).as_posix() for path in parent.rglob("*"))
        assert left == (["pkg"] if target_existed else []), f"interrupted at call {at} of {total}: {left}"


def test_bad_answers_file_is_a_located_error(cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("language: en\nrelease_date: 2026-02-30\n", "utf-8")
    result = cli("new", "pkg", "--answers", answers, "--no-input")
    assert result.code == 2
    assert result.err.strip() == (
        f"handover: error: {answers}:2:15: release_date: '2026-02-30' is not a valid date (YYYY-MM-DD)"
    )
    answers.write_text("langauge: en\n", "utf-8")
    result = cli("new", "pkg", "--answers", answers, "--no-input")
    assert "did you mean 'language'?" in result.err
    assert not (tmp_path / "pkg").exists()


def test_template_tree_is_complete_in_both_languages():
    for language in ("ja", "en"):
        files = scaffold.render(
            scaffold.Answers(language, "S", "V", "C", __import__("datetime").date(2026, 12, 1), "24/365")
        )
        assert "conf.py" in files and "handover.yaml" in files and "index.md" in files
        assert not any(name.endswith(".jinja") for name in files)
        # GitHub Actions' own ${{ ... }} expressions are the only double braces left.
        rendered = "".join(text for name, text in files.items() if not name.startswith(".github/"))
        assert "{{" not in rendered and "{%" not in rendered


def test_ctrl_c_during_new_exits_130_and_says_so(cli, tmp_path, monkeypatch):
    def interrupted_rename(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "rename", interrupted_rename)
    result = cli("new", "pkg", "--no-input")
    assert result.code == 130
    assert result.err.strip() == "handover: error: interrupted; nothing was left half-written"
    assert list(tmp_path.iterdir()) == []
