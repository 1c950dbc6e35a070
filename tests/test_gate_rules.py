"""Each gate rule, on a small real package: exit code, located message, JSON report.

Every case is run through `handover build` and `handover check`, which must agree.
"""

from __future__ import annotations

import hashlib

import pytest
from conftest import AS_OF, panel_verdict

REQ = """\
# Requirements

```{req} Monitoring is defined
:id: REQ_MON
```
"""

CHECK = """\
# Checks

```{check} Monitoring reviewed
:id: CHK_MON
:verifies: REQ_MON
:gate: T-30
```
"""


def evidence(**options: str) -> str:
    values = {
        "id": "EV_MON",
        "proves": "CHK_MON",
        "date": "2026-11-02",
        "owner": "Sato",
        "artifact": "evidence/monitoring.md",
    }
    values.update(options)
    lines = "\n".join(f":{key}: {value}" for key, value in values.items() if value is not None)
    return f"# Evidence\n\n```{{evidence}} Monitoring review minutes\n{lines}\n```\n"


def build_and_check(cli, root, *extra):
    built = cli("build", root, "--as-of", AS_OF, *extra)
    checked = cli("check", root, "--as-of", AS_OF, *extra)
    assert built.code == checked.code, (built.output, checked.output)
    return built, checked


def assert_reports(result, rule: str, location: str) -> None:
    line = next((line for line in result.err.splitlines() if f"[handover.{rule}]" in line), None)
    assert line is not None, result.err
    assert line.startswith(location + ": ERROR: "), line


def make(package, evidence_page: str | None) -> None:
    package.page("req", REQ)
    package.page("checks", CHECK)
    package.artifact("evidence/monitoring.md", "# Review minutes\nAll alerts reviewed.\n")
    if evidence_page is not None:
        package.page("evidence", evidence_page)


def test_valid_evidence_is_ready(cli, package):
    make(package, evidence())
    built, checked = build_and_check(cli, package.root)
    assert built.code == 0, built.output
    assert "READY" in built.out and "NOT READY" not in built.out
    report = package.report()
    assert report["ready"] is True
    assert report["checks"][0]["status"] == "done"
    assert report["checks"][0]["evidence"][0]["age_days"] == 18


def test_missing_evidence(cli, package):
    make(package, None)
    built, checked = build_and_check(cli, package.root)
    assert built.code == 1
    assert_reports(built, "missing_evidence", "pkg/checks.md:3")
    assert_reports(checked, "missing_evidence", "pkg/checks.md:3")
    problem = package.report()["problems"][0]
    assert problem == {
        "rule": "handover.missing_evidence",
        "need_id": "CHK_MON",
        "file": "checks.md",
        "line": 3,
        "need_title": "Monitoring reviewed",
        "owner": None,
        "message": "check CHK_MON is due at T-30 (2026-11-01) and has no valid evidence: record it with "
        "'handover evidence add CHK_MON FILE --owner WHO', or a waiver in handover.yaml",
        "blocking": True,
    }


@pytest.mark.parametrize(
    ("options", "rule"),
    [
        ({"date": "2026-11-25"}, "future_evidence"),
        ({"result": "fail"}, "failed_evidence"),
        ({"artifact": "evidence/nothing-here.log"}, "missing_artifact"),
        ({"artifact": "../outside.log"}, "artifact_outside"),
        ({"artifact": "/etc/hostname"}, "artifact_outside"),
        ({"sha256": "0" * 64}, "artifact_hash"),
        ({"proves": "REQ_MON"}, "wrong_link_type"),
        ({"proves": "CHK_NOPE"}, "unknown_id"),
        ({"id": "PROOF_MON"}, "id_prefix"),
    ],
)
def test_evidence_rules(cli, package, options, rule):
    make(package, evidence(**options))
    built, checked = build_and_check(cli, package.root)
    assert built.code == 1
    assert_reports(built, rule, "pkg/evidence.md:3")
    assert_reports(checked, rule, "pkg/evidence.md:3")
    assert rule in {p["rule"].removeprefix("handover.") for p in package.report()["problems"]}


def test_stale_evidence_uses_policy_of_its_kind(cli, package):
    make(package, evidence(kind="dry-run", date="2026-08-01"))
    built, checked = build_and_check(cli, package.root)
    assert built.code == 1
    assert_reports(built, "stale_evidence", "pkg/evidence.md:3")
    # Counted at the review the check is due at (T-30, 2026-11-01), not on the as-of date.
    assert "was 92 days old at T-30 (2026-11-01), the review CHK_MON is due at; it accepts at most 90 days" in built.err
    assert package.report()["checks"][0]["status"] == "stale"


def test_max_age_of_the_check_wins(cli, package):
    make(package, evidence(date="2026-10-01"))
    package.page("checks", CHECK.replace(":gate: T-30", ":gate: T-30\n:max_age: 30"))
    built, _ = build_and_check(cli, package.root)
    assert_reports(built, "stale_evidence", "pkg/evidence.md:3")


def test_matching_hash_passes(cli, package):
    make(package, None)
    digest = hashlib.sha256((package.root / "evidence/monitoring.md").read_bytes()).hexdigest()
    package.page("evidence", evidence(sha256=digest))
    built, _ = build_and_check(cli, package.root)
    assert built.code == 0, built.output


def test_symlink_pointing_out_is_outside(cli, package, tmp_path):
    make(package, evidence(artifact="evidence/link.log"))
    outside = tmp_path / "secret.log"
    outside.write_text("outside the package\n", "utf-8")
    (package.root / "evidence/link.log").symlink_to(outside)
    built, _ = build_and_check(cli, package.root)
    assert_reports(built, "artifact_outside", "pkg/evidence.md:3")


def test_uncovered_requirement_and_check_verifying_a_check(cli, package):
    make(package, evidence())
    package.page(
        "more",
        "# More\n\n```{req} Orphan\n:id: REQ_ORPHAN\n```\n\n```{check} Odd\n:id: CHK_ODD\n:verifies: CHK_MON\n:gate: T+30\n```\n",
    )
    built, _ = build_and_check(cli, package.root)
    assert built.code == 1
    assert_reports(built, "uncovered_requirement", "pkg/more.md:3")
    assert_reports(built, "wrong_link_type", "pkg/more.md:7")
    assert "CHK_ODD :verifies: CHK_MON is a check, not a req" in built.err


def test_failed_then_passed_retest_is_history_not_a_gap(cli, package):
    make(
        package,
        evidence(result="fail")
        + "\n```{evidence} Retest\n:id: EV_MON_RETEST\n:proves: CHK_MON\n:date: 2026-11-10\n:owner: Sato\n:artifact: evidence/monitoring.md\n```\n",
    )
    built, _ = build_and_check(cli, package.root)
    assert built.code == 0, built.output
    failed = [p for p in package.report()["problems"] if p["rule"] == "handover.failed_evidence"]
    assert failed and failed[0]["blocking"] is False


def test_check_due_later_is_upcoming_not_blocking(cli, package):
    make(package, None)
    package.page("checks", CHECK.replace(":gate: T-30", ":gate: T-7"))
    built, _ = build_and_check(cli, package.root)
    assert built.code == 0, built.output
    assert package.report()["checks"][0]["status"] == "upcoming"
    assert package.report()["gate"] == "T-30"
    built, _ = build_and_check(cli, package.root, "--gate", "T-7")
    assert built.code == 1
    assert_reports(built, "missing_evidence", "pkg/checks.md:3")


def test_evidence_kind_mismatch_leaves_the_check_open(cli, package):
    make(package, evidence(kind="document"))
    package.page("checks", CHECK.replace(":gate: T-30", ":gate: T-30\n:evidence_kind: restore-test"))
    built, _ = build_and_check(cli, package.root)
    assert_reports(built, "missing_evidence", "pkg/checks.md:3")
    assert "EV_MON is of kind 'document', CHK_MON needs 'restore-test'" in built.err


def test_an_evidence_kind_written_without_a_value_is_refused_not_read_as_any_kind(cli, package):
    """Read as not written, an empty :evidence_kind: would let a record of any kind count
    (a document for a restore test), as an empty :result: would let a failed one pass."""
    make(package, evidence(kind="document"))
    package.page("checks", CHECK.replace(":gate: T-30", ":gate: T-30\n:evidence_kind:"))
    built, _ = build_and_check(cli, package.root)
    assert built.code == 2, built.output
    assert_reports(built, "invalid_option", "pkg/checks.md:3")
    assert "CHK_MON: :evidence_kind: is written without a value: write its value or remove the line" in built.err


def test_plain_sphinx_build_fails_on_the_same_problem(package):
    from sphinx.cmd.build import build_main

    make(package, None)
    out = package.root / "_build" / "plain"
    code = build_main(["-q", "-W", "-D", f"handover_as_of={AS_OF}", str(package.root), str(out)])
    assert code == 1
    assert (out / "index.html").is_file()


def test_parallel_build_gives_the_same_verdict(package):
    from sphinx.cmd.build import build_main

    make(package, None)
    # Enough documents for Sphinx to read in two processes, the first chunk (sorted names)
    # without needs: merging it used to leave sphinx-needs' index of documents without
    # its "all" key, and the next reader failed (KeyError: 'all').
    for number in range(30):
        package.page(f"a{number:02}", f"# Extra {number}\n\nText.\n")
    out = package.root / "_build" / "parallel"
    code = build_main(["-q", "-j", "2", "-D", f"handover_as_of={AS_OF}", str(package.root), str(out)])
    assert code == 1
    report = __import__("json").loads((out / "handover-report.json").read_text("utf-8"))
    assert [p["rule"] for p in report["problems"]] == ["handover.missing_evidence"]
    assert panel_verdict(out / "index.html") == "NOT READY"


def test_sphinx_needs_purges_only_documents_read_before(package, tmp_path):
    """The guard of needs_purge.py is in place with the installed sphinx-needs: if an
    upgrade registers its purge differently, this fails rather than the guard quietly
    doing nothing (a fresh read of 10,000 needs would be a fifth slower)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace
    from sphinx_needs.directives.need import purge_needs

    make(package, evidence())
    # In a namespace, as every build: the directives it registers must not leak into later tests.
    with docutils_namespace():
        app = Sphinx(
            package.root, package.root, tmp_path / "out", tmp_path / "doctrees", "html", status=None, warning=None
        )
    handlers = [listener.handler for listener in app.events.listeners["env-purge-doc"]]
    assert purge_needs not in handlers
    assert [handler.__name__ for handler in handlers].count("purge_needs_of_documents_read") == 1


def test_needs_of_a_changed_or_removed_page_are_forgotten(cli, package):
    make(package, evidence())
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    # Changed: the need moves to another id; the old one must not linger as a duplicate.
    package.page("evidence", evidence(id="EV_MON_2"))
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert [record["id"] for record in package.report()["checks"][0]["evidence"]] == ["EV_MON_2"]
    # Removed: the page and its record are gone, so the check has no evidence.
    (package.root / "evidence.md").unlink()
    package.pages.remove("evidence")
    package.page("req", REQ)  # rewrites the index without the removed page
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1 and "[handover.missing_evidence]" in result.err
    assert package.report()["checks"][0]["evidence"] == []


def test_an_artifact_replaced_after_a_build_is_checked_again_by_the_next(cli, package):
    # The gate resolves and hashes each artifact once per build; never across builds.
    make(package, None)
    digest = hashlib.sha256((package.root / "evidence/monitoring.md").read_bytes()).hexdigest()
    package.page("evidence", evidence(sha256=digest))
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    package.artifact("evidence/monitoring.md", "# Review minutes\nRewritten after the review.\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    assert_reports(built, "artifact_hash", "pkg/evidence.md:3")


def test_records_naming_one_artifact_are_each_checked_against_their_own_hash(package):
    from sphinx_handover.model.artifacts import ArtifactFiles

    make(package, None)
    digest = hashlib.sha256((package.root / "evidence/monitoring.md").read_bytes()).hexdigest()
    files = ArtifactFiles(package.root)
    assert files.check("evidence/monitoring.md", "0" * 64).problem[0].value == "artifact_hash"
    assert files.check("evidence/monitoring.md", digest).problem is None
    assert files.check("evidence/monitoring.md").problem is None
    assert files.check("evidence/missing.md", digest).problem[0].value == "missing_artifact"
