"""Shapes of YAML input the other bad-input tests do not use: explicit tags, merge keys,
aliases in signoffs.yaml, a key written twice, plain scalars that look like a timestamp
or a number but are not valid ones, and a sign-off time without its offset.

Each is one located line and exit code 2; none is a traceback, a hang or a record read
with a value YAML silently dropped.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time

import pytest
import yaml
from conftest import AS_OF

from sphinx_handover.model import signoffs

_NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
_LATER_TODAY = (_NOW + dt.timedelta(hours=1)).isoformat()

RECORD = """\
- review: T-30
  decision: go
  by: Kim
  role: owner
  at: '2026-11-20T17:00:00+09:00'
  fingerprint: sha256:{zero}
""".replace("{zero}", "0" * 64)


def _one_located_line(result, where: str, rule: str | None = None) -> str:
    assert "Traceback" not in result.output
    located = [line for line in result.output.splitlines() if where in line]
    assert located, result.output
    if rule is not None:
        assert any(f"[handover.{rule}]" in line for line in located), located
    return located[0]


@pytest.mark.parametrize(
    ("edit", "line", "said"),
    [
        # A tag is refused by the reading, not by a crash in a later, second parse.
        (("by: Kim", "by: !!python/object/apply:os.system ['echo PWNED']"), 3, "YAML tag"),
        (("by: Kim", "by: !!binary S2lt"), 3, "YAML tag"),
        (("by: Kim", "by: !person Kim"), 3, "YAML tag"),
        # YAML keeps the last of two equal keys without a word: the gate would read no-go as go.
        (("  decision: go\n", "  decision: no-go\n  decision: go\n"), 3, "duplicate key 'decision'"),
        (("  by: Kim\n", "  by: Kim\n  ? [a, b]\n  : x\n"), 4, "YAML"),
        # Times: unquoted and invalid (a ValueError in the YAML constructor), or without offset.
        (("'2026-11-20T17:00:00+09:00'", "2026-13-45T17:00:00+09:00"), 1, "at '2026-13-45T17:00:00+09:00'"),
        (("'2026-11-20T17:00:00+09:00'", "2026-02-30"), 1, "at '2026-02-30'"),
        (("'2026-11-20T17:00:00+09:00'", "'2026-11-20T17:00:00'"), 1, "write the date, time and offset"),
        (("'2026-11-20T17:00:00+09:00'", "'yesterday'"), 1, "write the date, time and offset"),
        # A decision not yet taken: far ahead, or an hour ahead.
        (("'2026-11-20T17:00:00+09:00'", "'9999-12-31T23:59:59+14:00'"), 1, "is in the future"),
        (("'2026-11-20T17:00:00+09:00'", f"'{_LATER_TODAY}'"), 1, "is in the future"),
        # A conditional go passes the review: it must say on what.
        (("decision: go", "decision: conditional"), 1, "a conditional decision needs its 'conditions'"),
        (("decision: go", "decision: conditional\n  conditions: ['']"), 1, "must be a condition in words"),
        (("decision: go", "decision: go\n  conditions: [42]"), 1, "must be a condition in words"),
    ],
)
def test_a_bad_shape_in_signoffs_yaml_is_one_located_line(cli, package, edit, line, said):
    (package.root / "signoffs.yaml").write_text(RECORD.replace(*edit), "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    message = _one_located_line(result, f"signoffs.yaml:{line}:", "signoff_invalid")
    assert said in message
    assert "PWNED" not in result.output


def test_a_signoff_made_now_counts_in_any_offset(cli, package):
    # 14 hours ahead of UTC on the clock, not in the future
    kiribati = _NOW.astimezone(dt.timezone(dt.timedelta(hours=14))).isoformat()
    (package.root / "signoffs.yaml").write_text(RECORD.replace("'2026-11-20T17:00:00+09:00'", f"'{kiribati}'"), "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert "signoff_invalid" not in result.output, result.output
    assert "in the future" not in result.output


ALIAS_BOMB = (
    RECORD
    + "  parts:\n    a: &a {x: 1}\n"
    + "".join(
        f"    {chr(98 + i)}: &{chr(98 + i)} {{" + ", ".join(f"k{j}: *{chr(97 + i)}" for j in range(9)) + "}\n"
        for i in range(9)
    )
)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # Nine levels of nine aliases: 387 million values if expanded; refused at once.
        (ALIAS_BOMB, 8),
        (RECORD + "  parts: &p\n    needs: *p\n", 7),  # a mapping that holds itself
        (RECORD + "- <<: {review: T-7}\n", 7),  # a merge key, no alias needed
        (RECORD.replace("- review", "- &r\n  review") + "- <<: *r\n  decision: no-go\n", 8),
    ],
    ids=["alias-bomb", "recursive-alias", "merge-key", "merge-alias"],
)
def test_aliases_and_merge_keys_in_signoffs_yaml_are_refused_without_expanding(tmp_path, text, line):
    # Read by the model alone; the whole build: test_a_yaml_file_of_aliases_anywhere_...
    (tmp_path / "signoffs.yaml").write_text(text, "utf-8")
    with pytest.raises(signoffs.SignoffFileError) as raised:
        signoffs.read(tmp_path)
    assert raised.value.line == line
    assert "aliases" in str(raised.value) or "merge keys" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [ALIAS_BOMB, "r: &r\n  self: *r\n  list: [*r, *r]\n"],
    ids=["alias-bomb", "recursive-alias"],
)
def test_a_yaml_file_of_aliases_anywhere_in_the_package_ends_the_build(package, text):
    """The whole build, in a child process with a timeout: every scan that reads the
    package's YAML (detect-secrets, the multi-line values, the sign-off reader) visits an
    alias once."""
    package.artifact("evidence/inventory.yaml", text)
    (package.root / "signoffs.yaml").write_text(text, "utf-8")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "handover_kit", "check", str(package.root), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert time.monotonic() - started < 120
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr  # signoffs.yaml: aliases refused at their line
    assert "signoffs.yaml:" in result.stderr


@pytest.mark.parametrize("name", ["handover.yaml", "evidence/inventory.yaml"])
def test_detect_secrets_never_expands_a_yaml_files_aliases(tmp_path, name):
    from sphinx_handover.secret_scan.detect_secrets_pass import _scan_file

    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ALIAS_BOMB + "  note: 2026-13-45T10:00:00\n", "utf-8")
    started = time.monotonic()
    assert _scan_file(path) == []
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("value", ["2026-13-45T17:00:00+09:00", "2026-02-30", "9" * 5000])
def test_detect_secrets_reads_a_yaml_file_it_cannot_construct_as_lines(tmp_path, value):
    from sphinx_handover.secret_scan.detect_secrets_pass import _scan_file

    path = tmp_path / "signoffs.yaml"
    path.write_text(f"- at: {value}\n  aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "utf-8")
    assert isinstance(_scan_file(path), list)  # scanned as lines, not a ValueError


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("!!binary RGVtbw==", "YAML tag 'tag:yaml.org,2002:binary'"),
        ("!service Demo", "YAML tag '!service'"),
        ("!!python/name:os.system ''", "YAML tag 'tag:yaml.org,2002:python/name:os.system'"),
        ("!!set {a, b}", "YAML tag 'tag:yaml.org,2002:set'"),
    ],
)
def test_a_tag_in_handover_yaml_is_refused_where_it_is_written(cli, package, value, said):
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8").replace("system: Demo service", f"system: {value}"), "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    assert result.err.strip().startswith("handover: error: pkg/handover.yaml:3:11: ")
    assert said in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",  # looks like a timestamp to YAML, not a valid one
        "2026-13-45 10:00:00",
        "9" * 5000,  # an integer over Python's 4,300-digit conversion limit
    ],
)
def test_text_that_looks_like_a_bad_timestamp_or_number_is_text(cli, package, value):
    # The gate's fingerprint of handover.yaml parsed it a second time with
    # yaml.safe_load, which raises a bare ValueError for these: a traceback (exit 3).
    for bad in (value,):
        with pytest.raises(ValueError):
            yaml.safe_load(f"vendor: {bad}")
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8").replace("vendor: Vendor Ltd.", f"vendor: {value}"), "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF, "--json")
    assert "Traceback" not in result.output
    assert result.code == 0, result.output


@pytest.mark.parametrize(
    ("addition", "line", "said"),
    [
        ("service:\n  hours: 9-18\n", 12, "duplicate key 'service'"),
        ("base: &b\n  hours: x\n", 12, "unknown key 'base'"),
        ("extra:\n  <<: {hours: x}\n", 13, "merge keys"),
    ],
)
def test_a_second_key_or_a_merge_in_handover_yaml_is_located(cli, package, addition, line, said):
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8") + addition, "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    assert result.err.strip().startswith(f"handover: error: pkg/handover.yaml:{line}:"), result.err
    assert said in result.err


def test_a_bom_and_crlf_line_ends_read_as_the_same_file(cli, package):
    for name in ("handover.yaml", "signoffs.yaml"):
        path = package.root / name
        text = path.read_text("utf-8") if path.exists() else textwrap.dedent(RECORD)
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = cli("check", package.root, "--as-of", AS_OF, "--json")
    assert "Traceback" not in result.output
    # Read as the same records: the sign-off is there (stale, since its fingerprint is zeros).
    assert result.code in (0, 1), result.output
    assert "signoff_invalid" not in result.output


@pytest.mark.parametrize("value", ['"Demo\\x1b]0;owned\\x07"', '"Demo\\u009b2J"', '"Demo\\rservice"', '"\\x00"'])
def test_a_control_character_in_a_handover_yaml_text_is_refused(cli, package, value):
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8").replace("system: Demo service", f"system: {value}"), "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    assert result.err.startswith("handover: error: pkg/handover.yaml:3:11: project.system: holds the control character")
    assert "\x1b" not in result.output and "\x9b" not in result.output


def _handover(*args: str, env: dict[str, str] | None = None, close_stdout: bool = False):
    command = [sys.executable, "-c", "import sys; from handover_kit.cli import entrypoint; entrypoint()", *args]
    return subprocess.run(
        command,
        capture_output=not close_stdout,
        stderr=subprocess.PIPE if close_stdout else None,
        text=True,
        errors="replace",
        env={**os.environ, **(env or {})},
        preexec_fn=(lambda: os.close(1)) if close_stdout else None,
        timeout=300,
    )


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"}])
def test_a_terminal_that_cannot_show_japanese_gets_escapes_not_a_traceback(package, env):
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8").replace("Demo service", "受注サービス"), "utf-8")
    result = _handover("check", str(package.root), "--as-of", AS_OF, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "\\u53d7\\u6ce8" in result.stdout


def test_a_closed_stdout_keeps_the_exit_code_and_shows_no_traceback(package):
    result = _handover("check", str(package.root), "--as-of", AS_OF, close_stdout=True)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
