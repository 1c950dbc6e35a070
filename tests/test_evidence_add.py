"""`handover evidence add` records evidence beside its check with the artifact's SHA-256;
`handover rehash` finds records whose artifact changed and updates their :sha256:."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat

import pytest
from conftest import AS_OF

from handover_kit.authoring.need_blocks import read_page
from handover_kit.authoring.page_write import replace_page
from handover_kit.errors import UserError

ACCEPTANCE = "chapters/10-acceptance.md"

CHECKS = """\
# Checks

```{req} Backups can be restored
:id: REQ_RESTORE
```

```{check} Restore verified
:id: CHK_RESTORE
:verifies: REQ_RESTORE
:gate: T-30
:evidence_kind: restore-test
```

```{check} Monitoring defined
:id: CHK_MON
:verifies: REQ_RESTORE
:gate: T+30
```
"""


@pytest.fixture
def small(package):
    package.page("checks", CHECKS)
    package.artifact("evidence/restore.log", "restore done in 40 minutes\n")
    return package.root


def _add(cli, root, check, artifact, *options):
    return cli("evidence", "add", check, artifact, "--package", root, *options)


def _restore(cli, root, *options, artifact=None):
    artifact = artifact if artifact is not None else root / "evidence" / "restore.log"
    return _add(cli, root, "CHK_RESTORE", artifact, "--owner", "Ops team", "--date", "2026-11-10",
                "--measured-rto", "40m", "--measured-rpo", "5m", *options)  # fmt: skip


def _record(text: str, record_id: str) -> str:
    match = re.search(rf"^```{{evidence}}[^\n]*\n:id: {record_id}\n.*?^```$", text, re.MULTILINE | re.DOTALL)
    assert match, f"no record {record_id}"
    return match.group(0)


def _one_line_error(result) -> str:
    assert result.code == 2, result.output
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("handover: error: "), result.err
    return lines[0]


def test_added_record_builds_and_counts_in_the_report(cli, example_copy, tmp_path):
    root = example_copy()
    artifact = root / "evidence" / "07-bcp" / "restore-retest-2026-11-19.log"
    artifact.write_text("リストア再試験 2026-11-19\nRTO 1h30m / RPO 4m\n", "utf-8")
    result = _add(cli, root, "CHK_RESTORE_TEST", artifact, "--owner", "加藤 千尋(北辰システムズ 基盤チーム)",
                  "--date", "2026-11-19", "--measured-rto", "90m", "--measured-rpo", "4m")  # fmt: skip
    assert result.code == 0, result.output
    where = re.search(
        r"^(\S+):(\d+): added (EV_RESTORE_TEST_2026_11_19) \(proves CHK_RESTORE_TEST\)$", result.out, re.MULTILINE
    )
    assert where, result.out
    assert where[1] == f"ec-order-service/{ACCEPTANCE}"
    lines = (root / ACCEPTANCE).read_text("utf-8").splitlines()
    line = int(where[2])
    assert lines[line - 1].startswith("```{evidence} ")
    # beside its check: after the record already there, before the next check
    assert lines.index(":id: EV_RESTORE_TEST_2026_10") < line - 1 < lines.index(":id: CHK_ACCESS_FLOW")
    expected = hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert expected in result.out

    built = cli("build", root, "--as-of", AS_OF)
    assert built.code == 0, built.output
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    check = next(check for check in report["checks"] if check["id"] == "CHK_RESTORE_TEST")
    record = next(record for record in check["evidence"] if record["id"] == "EV_RESTORE_TEST_2026_11_19")
    assert record["counts"] is True
    assert record["sha256"] == expected
    assert (record["artifact"], record["measured_rto"], record["line"]) == (
        "evidence/07-bcp/restore-retest-2026-11-19.log",
        "1h30m",
        line,
    )


def test_hash_is_sha256_of_the_bytes(cli, small):
    artifact = small / "evidence" / "dump.bin"
    artifact.write_bytes(bytes(range(256)) * 4099)
    result = _add(cli, small, "CHK_MON", artifact, "--owner", "Ops", "--kind", "document", "--date", "2026-11-10")
    assert result.code == 0, result.output
    record = _record((small / "checks.md").read_text("utf-8"), "EV_MON_2026_11_10")
    assert f":sha256: {hashlib.sha256(artifact.read_bytes()).hexdigest()}\n" in record
    assert ":artifact: evidence/dump.bin\n" in record


def test_the_record_is_written_as_given_and_read_back_by_the_build(cli, small):
    result = _restore(cli, small, "--owner", "Ops team #2", "--id", "EV_RESTORE_FIRST", "--title", "First restore")
    assert result.code == 0, result.output
    record = _record((small / "checks.md").read_text("utf-8"), "EV_RESTORE_FIRST")
    assert record.startswith("```{evidence} First restore\n")
    checked = cli("check", small, "--as-of", AS_OF, "--json")
    assert checked.code == 0, checked.output
    report = json.loads(checked.out)
    (evidence,) = next(check for check in report["checks"] if check["id"] == "CHK_RESTORE")["evidence"]
    assert (evidence["owner"], evidence["kind"], evidence["counts"]) == ("Ops team #2", "restore-test", True)


def test_record_beside_a_check_nested_in_a_list_item(cli, package):
    package.page("checks", "# Checks\n\n```{req} R\n:id: REQ_R\n```\n\n- The restore check:\n\n  ```{check} Restore\n"
                           "  :id: CHK_R\n  :verifies: REQ_R\n  :gate: T-30\n  ```\n- another item\n")  # fmt: skip
    package.artifact("evidence/r.log")
    result = _add(cli, package.root, "CHK_R", package.root / "evidence" / "r.log", "--owner", "Ops", "--kind", "document",
                  "--date", "2026-11-10")  # fmt: skip
    assert result.code == 0, result.output
    assert "\n  :id: EV_R_2026_11_10\n" in (package.root / "checks.md").read_text("utf-8")
    checked = cli("check", package.root, "--as-of", AS_OF)
    assert checked.code == 0, checked.output


@pytest.mark.parametrize("where", ["dotdot", "absolute", "symlink", "fifo", "folder", "build output"])
def test_refuses_an_artifact_that_is_not_a_file_of_the_package(cli, small, tmp_path, where):
    outside = tmp_path / "outside.log"
    outside.write_text("not the package's\n", "utf-8")
    artifact = {
        "dotdot": "pkg/../outside.log",
        "absolute": str(outside),
        "symlink": small / "evidence" / "link.log",
        "fifo": small / "evidence" / "pipe.log",
        "folder": small / "evidence",
        "build output": small / "_build" / "old.log",
    }[where]
    if where == "symlink":
        os.symlink(outside, artifact)
    elif where == "fifo":
        os.mkfifo(artifact)
    elif where == "build output":
        artifact.parent.mkdir()
        artifact.write_text("built\n", "utf-8")
    before = (small / "checks.md").read_bytes()
    error = _one_line_error(_restore(cli, small, artifact=artifact))
    assert "an artifact must be a regular file inside the package" in error
    assert (small / "checks.md").read_bytes() == before


def test_an_existing_id_is_refused_and_the_page_is_unchanged(cli, example_copy):
    root = example_copy()
    page = root / ACCEPTANCE
    before = page.read_bytes()
    artifact = root / "evidence" / "07-bcp" / "restore-test-2026-10-28.log"
    result = _add(cli, root, "CHK_RESTORE_TEST", artifact, "--owner", "Ops", "--id", "EV_RESTORE_TEST_2026_10",
                  "--date", "2026-11-10", "--measured-rto", "1h", "--measured-rpo", "5m")  # fmt: skip
    assert "EV_RESTORE_TEST_2026_10: is already used" in _one_line_error(result)
    assert page.read_bytes() == before


def test_a_generated_id_never_takes_a_used_one(cli, small):
    assert _restore(cli, small).code == 0
    assert _restore(cli, small).code == 0
    text = (small / "checks.md").read_text("utf-8")
    assert text.count(":id: EV_RESTORE_2026_11_10\n") == 1
    assert text.count(":id: EV_RESTORE_2026_11_10_2\n") == 1
    assert text.index("EV_RESTORE_2026_11_10\n") < text.index("EV_RESTORE_2026_11_10_2") < text.index("CHK_MON")


INJECTIONS = [
    "Ops\n:result: fail",
    "Ops\r:id: EV_EVIL",
    "Ops\n```\n\n```{evidence} forged",
    "```",
    "Ops ``` team",
    "~~~",
    ":id: EV_EVIL",
    "Ops :result: fail",
    "Ops\u2028:result: fail",
    "Ops\x85team",
    "Ops\x00team",
    "Ops\u202eteam",
    "[[copy('id')]]",
    "   ",
]


@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize("option", ["--owner", "--kind", "--title"])
def test_values_that_would_break_the_directive_are_refused(cli, small, option, value):
    before = (small / "checks.md").read_bytes()
    result = _add(cli, small, "CHK_MON", small / "evidence" / "restore.log", "--owner", "Ops", "--kind", "document",
                  "--date", "2026-11-10", option, value)  # fmt: skip
    _one_line_error(result)
    assert (small / "checks.md").read_bytes() == before


def test_a_backtick_in_the_title_is_refused(cli, small):
    result = _restore(cli, small, "--title", "restore `rm`")
    assert "backtick" in _one_line_error(result)


def test_an_artifact_name_that_would_break_the_directive_is_refused(cli, small):
    artifact = small / "evidence" / "a\n:result: fail.log"
    artifact.write_text("x\n", "utf-8")
    before = (small / "checks.md").read_bytes()
    _one_line_error(_restore(cli, small, artifact=artifact))
    assert (small / "checks.md").read_bytes() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("CHK_RESTROE",), "no check has this id (did you mean CHK_RESTORE?)"),
        (("CHK_RESTORE", "--kind", "document"), "CHK_RESTORE takes evidence of kind restore-test only"),
        (("CHK_MON",), "CHK_MON: names no :evidence_kind:; give --kind"),
        (("CHK_RESTORE", "--measured-rto", "40m"), "a restore-test record needs --measured-rpo"),
        (("CHK_RESTORE", "--measured-rto", "about an hour", "--measured-rpo", "5m"), "is not a duration"),
        (("CHK_RESTORE", "--date", "2999-01-01", "--measured-rto", "1h", "--measured-rpo", "5m"), "is after today"),
        (("CHK_RESTORE", "--id", "EV_bad id", "--measured-rto", "1h", "--measured-rpo", "5m"), "an evidence id is EV_"),
        (("CHK_RESTORE", "--id", "EV_X", "--measured-rto", "1h", "--measured-rpo", "5m"), "an evidence id is EV_"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, small, arguments, message):
    check, *options = arguments
    result = _add(cli, small, check, small / "evidence" / "restore.log", "--owner", "Ops", *options)
    assert message in _one_line_error(result)


def test_record_in_a_named_page(cli, small, package):
    package.page("more-evidence", "# More evidence\n")
    result = _restore(cli, small, "--file", small / "more-evidence.md")
    assert result.code == 0, result.output
    assert "pkg/more-evidence.md:3: added EV_RESTORE_2026_11_10" in result.out
    assert cli("check", small, "--as-of", AS_OF).code == 0


@pytest.mark.parametrize("page", ["evidence/notes.md", "README.md", "missing.md"])
def test_a_named_page_must_be_one_the_build_reads(cli, small, page):
    (small / "evidence" / "notes.md").write_text("# notes\n", "utf-8")
    (small / "README.md").write_text("# readme\n", "utf-8")
    assert "is not a page of the package the build reads" in _one_line_error(
        _restore(cli, small, "--file", small / page)
    )


def test_the_page_keeps_its_mode(cli, small):
    page = small / "checks.md"
    page.chmod(0o640)
    assert _restore(cli, small).code == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o640


def test_a_page_changed_since_it_was_read_is_not_written(small):
    path = small / "checks.md"
    page = read_page(path)
    path.write_text(page.text + "\nsaved by someone else\n", "utf-8")
    with pytest.raises(UserError, match="changed since it was read"):
        replace_page(page, page.text + "\nmine\n")
    assert path.read_text("utf-8").endswith("saved by someone else\n")
    assert [entry.name for entry in small.iterdir() if entry.name.startswith(".checks.md")] == []


def test_rehash_lists_then_fixes_a_changed_artifact(cli, example_copy, tmp_path):
    root = example_copy()
    page = root / ACCEPTANCE
    artifact = root / "evidence" / "07-bcp" / "restore-test-2026-10-28.log"
    old = hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert f":sha256: {old}\n" in page.read_text("utf-8")
    assert cli("rehash", root).code == 0
    with artifact.open("a", encoding="utf-8") as stream:
        stream.write("追記: 立会者の署名\n")
    new = hashlib.sha256(artifact.read_bytes()).hexdigest()
    before = page.read_text("utf-8").splitlines()
    record_line = before.index(":id: EV_RESTORE_TEST_2026_10")  # 0-based: the fence is the line before

    built = cli("build", root, "--as-of", AS_OF)
    assert built.code == 1
    assert f"ファイルの sha256 は {new}、記録の :sha256: は {old} です" in built.err  # both in full
    assert "handover rehash --write" in built.err

    listed = cli("rehash", root)
    assert listed.code == 1, listed.output
    assert (
        f"ec-order-service/{ACCEPTANCE}:{record_line}: EV_RESTORE_TEST_2026_10: evidence/07-bcp/restore-test-2026-10-28.log"
        in listed.out
    )
    assert f"recorded {old}" in listed.out and f"file now {new}" in listed.out
    assert page.read_text("utf-8").splitlines() == before

    written = cli("rehash", root, "--write")
    assert written.code == 0, written.output
    assert "Updated :sha256: of 1 record(s) in 1 file(s)" in written.out
    after = page.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [(f":sha256: {old}", f":sha256: {new}")]

    assert cli("rehash", root).code == 0
    assert cli("build", root, "--as-of", AS_OF).code == 0


def test_rehash_reports_an_artifact_it_cannot_hash(cli, small):
    assert _restore(cli, small).code == 0
    (small / "evidence" / "restore.log").unlink()
    result = cli("rehash", small)
    assert result.code == 1
    assert "EV_RESTORE_2026_11_10: cannot be hashed: artifact 'evidence/restore.log' does not exist" in result.err


def test_rehash_defaults_to_the_current_folder(cli, small, monkeypatch):
    assert _restore(cli, small).code == 0
    (small / "evidence" / "restore.log").write_text("changed\n", "utf-8")
    monkeypatch.chdir(small)
    result = cli("rehash", "--write")
    assert result.code == 0, result.output
    expected = hashlib.sha256(b"changed\n").hexdigest()
    assert f":sha256: {expected}\n" in (small / "checks.md").read_text("utf-8")


def test_the_build_shows_both_hashes_in_full_and_how_to_fix(cli, small):
    assert _restore(cli, small).code == 0
    artifact = small / "evidence" / "restore.log"
    old = hashlib.sha256(artifact.read_bytes()).hexdigest()
    artifact.write_text("restore done in 41 minutes\n", "utf-8")
    new = hashlib.sha256(artifact.read_bytes()).hexdigest()
    checked = cli("check", small, "--as-of", AS_OF)
    assert checked.code == 1
    assert (
        f"pkg/checks.md:14: ERROR: EV_RESTORE_2026_11_10: artifact 'evidence/restore.log' has changed: the file's sha256 "
        f"is {new}, the record's :sha256: is {old}; if the change is intended, run 'handover rehash --write' "
        "[handover.artifact_hash]"
    ) in checked.err


def test_rehash_fills_an_empty_sha256(cli, small):
    page = small / "checks.md"
    page.write_text(
        page.read_text("utf-8")
        + (
            "\n```{evidence} Restore\n:id: EV_RESTORE_BY_HAND\n:proves: CHK_RESTORE\n:date: 2026-11-10\n:owner: Ops\n"
            ":artifact: evidence/restore.log\n:kind: restore-test\n:measured_rto: 40m\n:measured_rpo: 5m\n:sha256:\n```\n"
        ),
        "utf-8",
    )
    assert cli("rehash", small).code == 1
    assert cli("rehash", small, "--write").code == 0
    expected = hashlib.sha256((small / "evidence" / "restore.log").read_bytes()).hexdigest()
    assert f"\n:sha256: {expected}\n```\n" in page.read_text("utf-8")
    assert cli("check", small, "--as-of", AS_OF).code == 0


def test_a_measurement_over_target_is_written_with_a_note(cli, small):
    yaml_path = small / "handover.yaml"
    yaml_path.write_text(
        yaml_path.read_text("utf-8").replace("  hours: 24/7\n", "  hours: 24/7\n  rto: 2h\n  rpo: 15m\n"), "utf-8"
    )
    result = _restore(cli, small, "--measured-rto", "2h30m")
    assert result.code == 0, result.output
    assert "handover: note: measured RTO 2h30m is over the target 2h of CHK_RESTORE" in result.err
    assert "RPO" not in result.err
    checked = cli("check", small, "--as-of", AS_OF)
    assert checked.code == 1 and "[handover.target_missed]" in checked.err


def test_a_page_with_an_over_long_line_is_refused_before_parsing(cli, small, package):
    package.page("long", "# Long\n\n" + "[" * 100_001 + "\n")
    assert "long.md:3: a line of 100001 characters" in _one_line_error(_restore(cli, small))


def test_rehash_never_hashes_a_file_outside_the_package(cli, small, tmp_path):
    assert _restore(cli, small).code == 0
    outside = tmp_path / "outside.log"
    outside.write_text("not the package's\n", "utf-8")
    artifact = small / "evidence" / "restore.log"
    artifact.unlink()
    artifact.symlink_to(outside)
    before = (small / "checks.md").read_bytes()
    result = cli("rehash", small, "--write")
    assert result.code == 1
    assert "cannot be hashed: artifact 'evidence/restore.log' resolves outside the package root" in result.err
    assert hashlib.sha256(outside.read_bytes()).hexdigest() not in result.output
    assert (small / "checks.md").read_bytes() == before
