"""`--junit FILE`: the verdict as JUnit XML, one test case per check."""

from __future__ import annotations

import junitparser
from conftest import AS_OF


def test_incomplete_example_as_junit(cli, example_copy, tmp_path):
    root = example_copy("ec-order-service-incomplete")
    report = tmp_path / "junit.xml"
    result = cli("check", root, "--as-of", AS_OF, "--gate", "T-7", "--junit", report)
    assert result.code == 1
    xml = junitparser.JUnitXml.fromfile(str(report))
    suites = list(xml)
    checks = suites[0]
    cases = list(checks)
    assert len(cases) == 13 and checks.tests == 13
    by_id = {case.name.split()[0]: case for case in cases}
    escalation = by_id["CHK_ESCALATION_DRILL"]
    assert not escalation.is_passed and not escalation.is_skipped
    failure = escalation.result[0]
    assert "chapters/10-acceptance.md:" in failure.text and "[handover.missing_evidence]" in failure.text
    assert by_id["CHK_HYPERCARE_EXIT"].is_skipped
    assert by_id["CHK_MONITORING"].is_passed
    restore = by_id["CHK_RESTORE_TEST"].result[0]
    assert "[handover.failed_evidence]" in restore.text
    package = suites[1]
    rules = {case.name for case in package}
    # problems that belong to no check: a requirement nobody verifies, evidence proving a
    # requirement, escalation levels never tested (five of them, in handover.yaml), a
    # required check not written, a runbook never exercised, one without an owner, and
    # template text left in chapter 4
    assert rules == {
        "handover.uncovered_requirement",
        "handover.wrong_link_type",
        "handover.contact_untested",
        "handover.required_check_missing",
        "handover.runbook_unexercised",
        "handover.runbook_owner",
        "handover.placeholder",
    }
    untested = [case for case in package if case.name == "handover.contact_untested"]
    assert len(untested) == 5 and all(case.result[0].text.startswith("handover.yaml:") for case in untested)
    assert xml.failures == sum(1 for case in cases if not case.is_passed and not case.is_skipped) + 11


def test_ready_example_has_no_failures(cli, example_copy, tmp_path):
    root = example_copy()
    report = tmp_path / "out" / "junit.xml"
    assert cli("build", root, "--as-of", AS_OF, "--junit", report).code == 0
    xml = junitparser.JUnitXml.fromfile(str(report))
    assert xml.failures == 0 and xml.errors == 0
    assert xml.tests == 13 and xml.skipped == 1


def test_characters_xml_cannot_hold_do_not_break_the_file(cli, package, tmp_path):
    """A need's title or owner may hold what XML 1.0 cannot (a pasted terminal colour
    code, a vertical tab, a bell): the file must still parse in the CI system."""
    from test_gate_rules import REQ, make

    make(package, None)
    package.page("req", REQ)
    package.page(
        "checks",
        "# Checks\n\n```{check} Monitoring \x0b reviewed \x1b[31m ]]> <x> &\n:id: CHK_MON\n:verifies: REQ_MON\n"
        ":gate: T-30\n:owner: Sa\x07to\n```\n",
    )
    report = tmp_path / "junit.xml"
    assert cli("check", package.root, "--as-of", AS_OF, "--junit", report).code == 1
    xml = junitparser.JUnitXml.fromfile(str(report))
    [case] = [case for suite in xml for case in suite if case.name.startswith("CHK_MON")]
    assert case.name == "CHK_MON Monitoring \ufffd reviewed \ufffd[31m ]]> <x> &"
