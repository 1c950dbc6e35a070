"""The verdict as JUnit XML, so CI systems show it in their own test view.

One test case per check (failed while it blocks, skipped while it is upcoming); every
other blocking problem (structured data, requirements, build warnings) is a case of a
second suite, so nothing that makes the exit code 1 is missing from the CI's view.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from sphinx_handover import Verdict
from sphinx_handover.rules.verdict import CheckStatus, Problem
from sphinx_handover.secret_scan.redact_values import redact


def write_junit(verdict: Verdict, path: Path) -> None:
    root = ET.Element("testsuites", name=f"handover {verdict.system}")
    checks = _suite(root, f"handover checks at {verdict.gate or 'before T-60'} (as of {verdict.as_of})")
    by_need = _problems_by_need(verdict)
    for check in verdict.checks:
        _check_case(checks, check, verdict, by_need)
    package = _suite(root, "handover package")
    for problem in _other_problems(verdict):
        case = ET.SubElement(package, "testcase", classname="handover.package", name=problem.rule.label)
        _location(case, problem.file, problem.line)
        _failure(case, problem.rule.label, [problem])
    for warning in verdict.build_warnings:
        case = ET.SubElement(package, "testcase", classname="handover.build", name=warning.type)
        _location(case, warning.file, warning.line)
        where = f"{warning.file}:{warning.line}" if warning.line else (warning.file or "")
        failure = ET.SubElement(case, "failure", message=warning.message, type=warning.type)
        failure.text = f"{where}: {warning.message}"
    _count(root)
    _clean_tree(root, verdict.redactions)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ET.tostring(root, encoding="unicode", xml_declaration=True), "utf-8")


#: What XML 1.0 cannot hold at all, escaped or not: control characters but tab and line
#: breaks, lone surrogates, U+FFFE and U+FFFF. A need's title may hold them (a pasted
#: terminal colour code); the file would not parse in the CI system.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean_tree(root: ET.Element, values: tuple[str, ...]) -> None:
    """Every text and attribute of the tree, before it is serialised: secrets redacted
    (the XML writer then escapes [REDACTED] like any text; a replace over the XML would
    miss a secret holding ``&`` or ``<``, escaped there, and could break the markup), and
    characters XML cannot hold replaced by U+FFFD."""

    def clean(text: str) -> str:
        return _NOT_XML.sub("\ufffd", redact(text, values) if values else text)

    for element in root.iter():
        if element.text:
            element.text = clean(element.text)
        if element.tail:
            element.tail = clean(element.tail)
        for name, value in list(element.attrib.items()):
            element.attrib[name] = clean(value)


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name)


def _check_case(suite: ET.Element, check: CheckStatus, verdict: Verdict, by_need: dict[str, list[Problem]]) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"handover.checks.{check.gate}", name=f"{check.id} {check.title}")
    _location(case, check.file, check.line)
    problems = by_need.get(check.id, []) + [p for e in check.evidence for p in by_need.get(e.id, [])]
    blocking = [problem for problem in problems if problem.blocking]
    if check.open or blocking:
        _failure(case, f"handover.{check.status}", blocking)
    elif check.status == "upcoming":
        ET.SubElement(case, "skipped", message=f"due at {check.gate} ({check.due_date})")
    elif check.status == "waived" and check.waiver:
        out = ET.SubElement(case, "system-out")
        out.text = f"waived until {check.waiver['expires']} by {check.waiver['approved_by']}: {check.waiver['reason']}"


def _failure(case: ET.Element, kind: str, problems: Iterable[Problem]) -> None:
    problems = list(problems)
    message = problems[0].message if problems else kind
    failure = ET.SubElement(case, "failure", message=message, type=kind)
    failure.text = "\n".join(f"{p.file}:{p.line}: {p.message} [{p.rule.label}]" for p in problems) or message


def _location(case: ET.Element, file: str | None, line: int | None) -> None:
    if file:
        case.set("file", file)
    if line:
        case.set("line", str(line))


def _problems_by_need(verdict: Verdict) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for problem in verdict.problems:
        if problem.need_id:
            found.setdefault(problem.need_id, []).append(problem)
    return found


def _other_problems(verdict: Verdict) -> list[Problem]:
    """Blocking problems that belong to no check or evidence record."""
    attached = {check.id for check in verdict.checks} | {e.id for check in verdict.checks for e in check.evidence}
    return [p for p in verdict.blocking if p.need_id not in attached]


def _count(root: ET.Element) -> None:
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for case in cases if case.find("failure") is not None),
            "skipped": sum(1 for case in cases if case.find("skipped") is not None),
        }
        suite.attrib.update({key: str(value) for key, value in counts.items()}, errors="0")
        for key in totals:
            totals[key] += counts[key]
    root.attrib.update({key: str(value) for key, value in totals.items()}, errors="0")
