"""The command as people expect it (issue 16 item 4): answers on the command line,
prompts in the package's language, the package found from a subfolder, the user's umask,
shell-quoted hints, `check --out`, `add runbook` with a Japanese title."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import pytest
import yaml
from conftest import AS_OF
from test_gate_rules import evidence, make

from handover_kit.authoring import add, questions


def test_new_takes_language_and_any_answer_on_the_command_line(cli, tmp_path):
    result = cli(
        "new",
        "pkg",
        "--no-input",
        "--language",
        "en",
        "--set",
        "system_name=Billing: *core*",
        "--set",
        "release_date=2027-03-01",
        "--set",
        "vendor=A=B Ltd.",
    )
    assert result.code == 0, result.err
    data = yaml.safe_load((tmp_path / "pkg" / "handover.yaml").read_text("utf-8"))
    assert data["project"]["language"] == "en"
    assert data["project"]["system"] == "Billing: *core*"
    assert data["project"]["vendor"] == "A=B Ltd."
    assert str(data["project"]["release_date"]) == "2027-03-01"


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("system=X", "--set system: unknown answer (did you mean 'system_name'?"),
        ("release_date=2027-02-30", "--set release_date: please give a date from 1970 to 9000 as YYYY-MM-DD"),
        # the reviews are days before and after it: no release date near year 1 or 9999
        ("release_date=0001-01-01", "--set release_date: please give a date from 1970 to 9000 as YYYY-MM-DD"),
        ("language=fr", "--set language: please answer one of: ja, en"),
        ("vendor", "--set 'vendor': write KEY=VALUE"),
        ("customer=a\tb", "--set customer: an answer must be one line"),
    ],
)
def test_a_bad_set_is_one_line_and_nothing_is_written(cli, tmp_path, setting, said):
    result = cli("new", "pkg", "--no-input", "--set", setting)
    assert result.code == 2
    assert result.err.startswith(f"handover: error: {said}"), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "pkg").exists()


def test_the_answers_keys_are_the_questions():
    assert questions.KEYS == ("language", "system_name", "vendor", "customer", "release_date", "service_hours")


def test_prompts_follow_the_chosen_language(capsys):
    prompts = []
    replies = iter(["ja", "", "", "", "2027-13-01", "2027-01-15", ""])
    answers = questions.collect({}, interactive=True, ask=lambda prompt: prompts.append(prompt) or next(replies))
    assert answers.language == "ja" and answers.system_name == "サンプルシステム"
    assert prompts[1] == "システム名 [サンプルシステム]: "
    assert "1970〜9000年の日付を YYYY-MM-DD で答えてください" in capsys.readouterr().out
    english = []
    questions.collect({"language": "en"}, interactive=True, ask=lambda prompt: english.append(prompt) or "")
    assert english[0] == "System name [Example Service]: "


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o755), (0o027, 0o750)])
def test_the_package_keeps_the_users_umask(cli, tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        assert cli("new", "pkg", "--no-input").code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "pkg").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "pkg" / "chapters").stat().st_mode) == mode


def test_the_next_hint_is_shell_quoted_and_in_the_packages_language(cli, tmp_path):
    result = cli("new", "my pkg; rm -rf x", "--no-input", "--language", "en")
    assert result.code == 0, result.err
    assert result.out.strip().endswith("then run: handover build 'my pkg; rm -rf x'")
    result = cli("new", "$(id)", "--no-input", "--language", "ja")
    assert result.code == 0, result.err
    assert result.out.strip().endswith("実行してください：handover build '$(id)'")


def test_build_and_check_find_the_package_from_a_subfolder(cli, package, monkeypatch):
    make(package, evidence())
    (package.root / "chapters").mkdir()
    monkeypatch.chdir(package.root / "chapters")
    result = cli("check", "--as-of", AS_OF)
    assert result.code == 0, result.err
    result = cli("build", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert "report: ../_build/handover-report.json" in result.out
    assert (package.root / "_build" / "html" / "index.html").is_file()


def test_outside_any_package_says_what_to_do(cli, tmp_path):
    result = cli("check")
    assert result.code == 2
    assert "not inside a handover package (handover.yaml not found here or in a folder above)" in result.err


def test_check_out_writes_the_report_and_no_html(cli, package, tmp_path):
    make(package, evidence())
    out = tmp_path / "out"
    assert cli("check", package.root, "--as-of", AS_OF, "--out", out).code == 0
    assert (out / "handover-report.json").is_file()
    assert not list(out.rglob("*.html")) and not (out / "check").exists()
    assert cli("check", package.root, "--as-of", AS_OF).code == 0
    assert not list((package.root / "_build").rglob("*.html"))


@pytest.fixture
def ja_package(cli, tmp_path):
    assert cli("new", "pkg", "--no-input", "--language", "ja", "--set", "release_date=2026-12-01").code == 0
    return tmp_path / "pkg"


def test_add_runbook_takes_a_japanese_title_and_updates_the_table(cli, ja_package, monkeypatch):
    monkeypatch.chdir(ja_package / "runbooks")
    result = cli("add", "runbook", "証明書更新 *手順*", "--slug", "cert-renewal")
    assert result.code == 0, result.err
    page = (ja_package / "runbooks" / "cert-renewal.md").read_text("utf-8")
    assert page.startswith("# 証明書更新 \\*手順\\*\n")
    assert "```{runbook} 証明書更新 *手順*\n:id: RB_CERT_RENEWAL\n" in page
    chapter = (ja_package / add.RUNBOOK_CHAPTER).read_text("utf-8")
    assert "| RB_CERT_RENEWAL | 証明書更新 \\*手順\\* | 【要記入】 | 【要記入】 |\n" in chapter
    assert "/runbooks/cert-renewal\n" in chapter
    result = cli("add", "runbook", "障害連絡")
    assert result.code == 0, result.err
    assert "the file is runbook-01.md; --slug NAME chooses the name" in result.err
    assert (ja_package / "runbooks" / "runbook-01.md").is_file()
    built = cli("check", "--as-of", "2026-11-20")
    assert "WARNING" not in built.err and "ERROR: RB_CERT" not in built.err, built.err


def test_add_runbook_warns_of_a_near_duplicate(cli, ja_package):
    result = cli("add", "runbook", "Batch re-run", "--package", ja_package)
    assert result.code == 0, result.err
    assert (
        "handover: warning: pkg/runbooks/batch-rerun.md: already exists with a name close to batch-re-run.md"
        in result.err
    )


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("a`b", "a title cannot hold a backtick"),
        ("two\nlines", "a title must be one line"),
        ("x [[copy('id')]]", "a title cannot hold '[['"),
        ("   ", "the runbook needs a title"),
    ],
)
def test_add_runbook_refuses_a_title_that_would_break_the_directive(cli, ja_package, title, said):
    chapter = (ja_package / add.RUNBOOK_CHAPTER).read_text("utf-8")
    result = cli("add", "runbook", title, "--package", ja_package)
    assert result.code == 2 and said in result.err, result.err
    assert (ja_package / add.RUNBOOK_CHAPTER).read_text("utf-8") == chapter


def test_add_runbook_refuses_a_bad_slug(cli, ja_package):
    result = cli("add", "runbook", "証明書更新", "--slug", "Cert_Renewal", "--package", ja_package)
    assert result.code == 2 and "--slug 'Cert_Renewal': use lower-case Latin letters" in result.err


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.8, 1.5])
def test_ctrl_c_at_any_moment_of_the_start_is_one_line_not_a_traceback(package, delay):
    make(package, evidence())
    command = [sys.executable, "-m", "handover_kit", "check", str(package.root), "--as-of", AS_OF]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)  # Python is loading Sphinx, or the command has started
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    if process.returncode != 0:  # not over before the signal came
        # 130, or ended by the signal itself (-2) as Python may end after an interrupt: a
        # shell reports both as 130
        assert process.returncode in (130, -signal.SIGINT), (process.returncode, err)
        assert err.strip().splitlines()[-1].startswith("handover: error: interrupted"), err
