"""A need's fields are read as its block writes them: nothing set elsewhere reaches the gate.

sphinx-needs lets a need's fields be changed after its block: ``needextend`` on any page
(by id or by filter, replacing or appending), dynamic functions in a value, defaults in
conf.py. The reviewer reads the block (``:result: fail``) while the gate would count
what reached sphinx-needs (pass). Each vector below flips a NOT READY package to READY
when the gate reads sphinx-needs' values; each must stay NOT READY, be an input error at
the need's line, and name the field.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF
from test_gate_rules import evidence, make

from sphinx_handover.model.needs import read_needs
from sphinx_handover.rules.rules_table import Rule

AS_OF_DATE = dt.date.fromisoformat(AS_OF)
# The evidence on evidence.md:3 records a failed run, so check CHK_MON is not done.
FAILED = evidence(result="fail")
STALE = evidence(date="2025-01-10")
OTHER_CHECK = "# Other\n\n```{check} Other\n:id: CHK_OTHER\n:verifies: REQ_MON\n:gate: T-30\n```\n"


def _extend(argument: str, *options: str) -> str:
    lines = "\n".join(options)
    return f"# Later\n\n```{{needextend}} {argument}\n{lines}\n```\n"


VECTORS = {
    "needextend by id": (FAILED, {"zz": _extend("EV_MON", ":result: pass")}, "result"),
    "needextend by id in angle brackets": (FAILED, {"zz": _extend("<EV_MON>", ":result: pass")}, "result"),
    "needextend by filter": (STALE, {"zz": _extend('type == "evidence"', ":date: 2026-11-19")}, "date"),
    "needextend on a page read first": (FAILED, {"aa": _extend("EV_MON", ":result: pass")}, "result"),
    "needextend appending a link": (
        evidence(proves="CHK_OTHER"),
        {"other": OTHER_CHECK, "zz": _extend("EV_MON", ":+proves: CHK_MON")},
        "proves",
    ),
    "needextend on the check": (
        evidence(proves="CHK_OTHER"),
        {"other": OTHER_CHECK, "zz": _extend("CHK_MON", ":gate: T+30")},
        "gate",
    ),
    "dynamic function in a value": (
        FAILED.replace(":result: fail", ':status: pass\n:result: [[copy("status")]]'),
        {},
        "result",
    ),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_field_set_elsewhere_is_refused_at_the_need_and_read_as_written(cli, package, name):
    page, others, field = VECTORS[name]
    make(package, page)
    for docname, text in others.items():
        package.page(docname, text)
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 2, result.output
        assert "Traceback" not in result.output
        located = [line for line in result.err.splitlines() if line.endswith("[handover.set_elsewhere]")]
        assert located, result.err
        assert all(f": :{field}: reads " in line for line in located), located
        need_line = "pkg/checks.md:3: " if field == "gate" else "pkg/evidence.md:3: "
        assert any(line.startswith(need_line) for line in located), located
    report = package.report()
    assert report["ready"] is False
    assert report["checks"][0]["status"] != "done"


def test_a_needextend_of_fields_the_gate_does_not_read_is_accepted(cli, package):
    make(package, evidence())
    package.page("zz", _extend("EV_MON", ":tags: reviewed"))
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    assert "set_elsewhere" not in result.err


def test_links_written_in_any_order_read_as_written(cli, package):
    make(package, evidence())
    package.page("other", OTHER_CHECK)
    package.page("evidence", evidence(proves="CHK_OTHER; CHK_MON,CHK_OTHER"))
    result = cli("build", package.root, "--as-of", AS_OF)
    assert "set_elsewhere" not in result.err, result.err


def test_a_default_that_no_block_writes_is_read_as_written():
    # conf.py run by sphinx-build may give a field a default (needs_fields); no block wrote it
    need = {"id": "EV_A", "type": "evidence", "docname": "evidence", "lineno": 3, "title": "A",
            "proves": ["CHK_A"], "date": "2026-11-02", "owner": "Sato", "artifact": "a.md", "result": None}  # fmt: skip
    written = {"id": "EV_A", "proves": "CHK_A", "date": "2026-11-02", "owner": "Sato", "artifact": "a.md"}
    [record] = read_needs([need], AS_OF_DATE, {"EV_A": written}).evidence.values()
    assert record.issues == ()
    need["result"] = "fail"  # a default: not written, so the gate's own default (pass) counts
    [record] = read_needs([need], AS_OF_DATE, {"EV_A": written}).evidence.values()
    assert [issue.rule for issue in record.issues] == [Rule.SET_ELSEWHERE]
    assert record.result == "pass"
    # Without what was written (a caller outside the build), the values are taken as they are.
    [record] = read_needs([need], AS_OF_DATE).evidence.values()
    assert record.issues == () and record.result == "fail"
