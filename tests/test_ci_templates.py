"""The CI files `handover new` writes: valid for their platforms, and they run as written.

Each template is validated against the platform's published schema (vendored by
check-jsonschema, so offline), and its shell commands are run as the platform would run
them, against a scaffolded package at the repository root and in a subfolder. Only the
installs are left out (Graphviz is on the test machine; `handover` is on PATH from this
virtualenv), and the pip line is checked to be the package's requirement file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from handover_kit.authoring import scaffold
from sphinx_handover._version import __version__

GITHUB = ".github/workflows/handover.yml"
GITLAB = ".gitlab-ci.yml"
SCHEMAS = {GITHUB: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}
REQUIREMENTS = "requirements-handover.txt"
PIP_LINE = f'pip install -r "$PACKAGE_DIR/{REQUIREMENTS}"'
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    answers = scaffold.Answers("en", "Orders", "Vendor Ltd.", "Customer Ltd.", dt.date(2026, 12, 20), "24/7")
    return scaffold.render(answers)


def repository(tmp_path: Path, rendered: dict[str, str], subfolder: str) -> Path:
    """A repository holding the package at *subfolder* ("" for its root), with the CI
    files moved to the root and PACKAGE_DIR set, as the files' comments tell a user."""
    repo = tmp_path / "repo"
    package = repo / subfolder if subfolder else repo
    scaffold.create(package, rendered)
    if subfolder:
        for name in (GITHUB, GITLAB):
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            text = (package / name).read_text("utf-8")
            assert text.count('PACKAGE_DIR: "."') == 1
            (repo / name).write_text(text.replace('PACKAGE_DIR: "."', f'PACKAGE_DIR: "{subfolder}"'), "utf-8")
            (package / name).unlink()
        shutil.rmtree(package / ".github")
    return repo


def validate(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("subfolder", ["", "docs/handover"])
def test_templates_validate_against_the_platforms_schemas(tmp_path, rendered, subfolder):
    repo = repository(tmp_path, rendered, subfolder)
    for name, schema in SCHEMAS.items():
        done = validate(repo / name, schema)
        assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_catches_a_broken_file(tmp_path):
    broken = tmp_path / "handover.yml"
    broken.write_text("on: push\njobs:\n  handover:\n    steps: []\n", "utf-8")  # no runs-on
    assert validate(broken, SCHEMAS[GITHUB]).returncode == 1


def test_requirement_file_is_one_line_pinning_this_version(rendered):
    lines = [line for line in rendered[REQUIREMENTS].splitlines() if line.strip() and not line.startswith("#")]
    assert lines == [f"handover-kit=={__version__}"]
    assert "git+https://" in rendered[REQUIREMENTS]  # says how to install it from elsewhere


def test_triggers_push_pull_requests_and_a_weekly_schedule(rendered):
    github = yaml.safe_load(rendered[GITHUB])
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    _minute, _hour, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    gitlab = yaml.safe_load(rendered[GITLAB])
    conditions = [rule["if"] for rule in gitlab["workflow"]["rules"] if rule.get("when") != "never"]
    assert any("merge_request_event" in condition for condition in conditions)
    assert any("$CI_COMMIT_BRANCH" in condition for condition in conditions)  # pushes and schedules
    assert "Pipeline schedules" in rendered[GITLAB]  # where to add the weekly run


def test_reports_are_published_where_each_platform_shows_them(rendered):
    gitlab = yaml.safe_load(rendered[GITLAB])["handover"]["artifacts"]
    assert gitlab["when"] == "always"
    assert gitlab["reports"]["junit"] == "_build/handover-junit.xml"
    assert "_build/html" in gitlab["paths"]
    steps = yaml.safe_load(rendered[GITHUB])["jobs"]["handover"]["steps"]
    summary = next(step for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact"))
    assert summary["if"] == upload["if"] == "always()"
    assert "_build/html" in upload["with"]["path"].split()


def github_commands(text: str) -> list[tuple[str, bool]]:
    """(command, runs after a failure) for each `run:` step."""
    steps = yaml.safe_load(text)["jobs"]["handover"]["steps"]
    return [(step["run"], step.get("if") == "always()") for step in steps if "run" in step]


def gitlab_commands(text: str) -> list[tuple[str, bool]]:
    job = yaml.safe_load(text)["handover"]
    return [(command, False) for command in job.get("before_script", []) + job["script"]]


def run_steps(commands: list[tuple[str, bool]], repo: Path, env: dict[str, str]) -> list[int]:
    """Run each command with bash -e, as the platform would: after a failure, only the
    steps that run always. The installs are skipped: the pip line must be the package's
    requirement file."""
    codes: list[int] = []
    failed = False
    installs = [command for command, _ in commands if "pip install" in command]
    assert installs == [PIP_LINE]
    for command, always in commands:
        if "pip install" in command or "apt-get" in command or (failed and not always):
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        codes.append(done.returncode)
        failed = failed or done.returncode != 0
    return codes


@pytest.mark.parametrize("platform", ["github", "gitlab"])
@pytest.mark.parametrize("subfolder", ["", "docs/handover"])
def test_build_steps_run_as_written(tmp_path, rendered, platform, subfolder):
    repo = repository(tmp_path, rendered, subfolder)
    name = GITHUB if platform == "github" else GITLAB
    text = (repo / name).read_text("utf-8")
    variables = yaml.safe_load(text)["env" if platform == "github" else "variables"]
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", "utf-8")
    env = {
        **os.environ,
        **variables,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(step_summary),
    }
    commands = github_commands(text) if platform == "github" else gitlab_commands(text)
    codes = run_steps(commands, repo, env)
    assert codes[0] == 1  # the build: a fresh package is NOT READY, and the job fails
    package = repo / subfolder if subfolder else repo
    assert (package / "handover.yaml").is_file()
    out = repo / "_build"
    for produced in ("html/index.html", "handover-report.json", "handover-junit.xml", "handover-summary.md"):
        assert (out / produced).is_file(), produced
    summary = (out / "handover-summary.md").read_text("utf-8")
    assert summary.startswith("### NOT READY\\: Orders")
    assert "| Item | Problem | Where |" in summary
    if platform == "github":
        assert codes == [1, 0]  # the summary step runs after the failed build
        assert step_summary.read_text("utf-8") == "earlier step\n" + summary
