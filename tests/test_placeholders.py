"""[handover.placeholder]: template text left unfilled blocks, at its line, from the review
it belongs to; author guides are neither published nor counted."""

from __future__ import annotations

import json
import re

import pytest
from conftest import AS_OF, HANDOVER_YAML, panel_verdict
from test_gate_rules import REQ, evidence, make


def problems(package, rule="handover.placeholder"):
    return [p for p in package.report()["problems"] if p["rule"] == rule]


def located(result, rule="placeholder"):
    return [line.split(": ERROR: ")[0] for line in result.err.splitlines() if f"[handover.{rule}]" in line]


MARKERS = [
    "[FILL IN]",
    "[FILL IN: owner]",
    "[ CONFIRM ]",
    "[confirm: the value]",
    "【要記入】",
    "【要記入：担当チーム】",
    "【 要確認 】",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_form_in_a_due_check_blocks_at_its_line(cli, package, marker):
    make(package, evidence())
    checks = package.root / "checks.md"
    checks.write_text(
        checks.read_text("utf-8").replace(":gate: T-30\n", f":gate: T-30\n\nReviewed by {marker}.\n"), "utf-8"
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    assert located(built) == [f"{package.root.name}/checks.md:8"]
    [problem] = problems(package)
    assert problem["need_id"] == "CHK_MON" and problem["blocking"] is True
    assert marker in problem["message"]


@pytest.mark.parametrize(
    "text", ["[FILL](https://example.com)", "CONFIRMED on 2026-11-02", "[FILLING IN]", "要記入欄は削除済み"]
)
def test_text_that_only_looks_like_a_marker_is_not_one(cli, package, text):
    make(package, evidence())
    package.page("notes", f"# Notes\n\n{text}\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert problems(package) == []


def test_a_marker_waits_for_the_review_its_check_is_due_at(cli, package):
    """A check due at T-7: its marker is reported at T-30 without blocking, and blocks at T-7."""
    make(package, evidence())
    package.page(
        "later",
        """\
        # Later

        ```{check} Escalation drill
        :id: CHK_DRILL
        :verifies: REQ_MON
        :gate: T-7
        :owner: [FILL IN: owner]
        ```
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 0, built.output
    [problem] = problems(package)
    assert problem["blocking"] is False and problem["line"] == 7 and "T-7" in problem["message"]
    assert package.report()["placeholders"] == [{"file": "later.md", "count": 1, "blocking": 0, "blocks_from": "T-7"}]
    at_t7 = cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    assert at_t7.code == 1
    assert f"{package.root.name}/later.md:7" in located(at_t7)


def test_markers_in_evidence_and_page_text_follow_the_checks_they_belong_to(cli, package):
    """Evidence of a T-30 check and the text of a page whose requirement a T-30 check
    verifies block at T-30; a page with no check waits for T-7, as does handover.yaml."""
    make(package, evidence(owner="【要記入：氏名】"))
    (package.root / "req.md").write_text(REQ + "\nThe dashboards are [CONFIRM].\n", "utf-8")
    package.page("glossary", "# Glossary\n\n| Term | Meaning |\n|---|---|\n| SLO | [FILL IN] |\n")
    yaml_text = HANDOVER_YAML.replace("  hours: 24/7\n", "  hours: 24/7  # [CONFIRM] with the contract\n")
    (package.root / "handover.yaml").write_text(yaml_text, "utf-8")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1
    name = package.root.name
    assert located(built) == [f"{name}/evidence.md:7", f"{name}/req.md:7"]
    later = {(p["file"], p["line"]) for p in problems(package) if not p["blocking"]}
    assert later == {
        ("glossary.md", 5),
        ("handover.yaml", yaml_text.splitlines().index("  hours: 24/7  # [CONFIRM] with the contract") + 1),
    }
    at_t7 = cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    assert len(located(at_t7)) == 4


def test_markers_in_included_files_and_code_count_and_downloads_do_not(cli, package):
    make(package, evidence())
    package.artifact("parts/contacts.md", "Night duty: 【要確認】\n")
    package.artifact("evidence/template-for-customers.md", "Dear [FILL IN: customer name],\n")
    package.page(
        "contacts",
        """\
        # Contacts

        ```{include} parts/contacts.md
        ```

        ```text
        psql -h [FILL IN: host]
        ```

        {download}`Letter template <evidence/template-for-customers.md>`
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    assert built.code == 1
    assert sorted((p["file"], p["line"]) for p in problems(package)) == [("contacts.md", 7), ("parts/contacts.md", 1)]


def test_an_author_guide_is_not_published_and_its_markers_do_not_count(cli, package):
    make(package, evidence())
    package.page(
        "chapter",
        """\
        # Chapter

        ```{handover-guide} Author guide
        Write one row per data store; replace each [FILL IN] with the real value.
        ```

        Published text.
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    assert built.code == 0, built.output
    assert problems(package) == []
    html = (package.root / "_build" / "html" / "chapter.html").read_text("utf-8")
    assert "Published text." in html and "Write one row" not in html and "Author guide" not in html
    index = json.loads(
        (package.root / "_build" / "html" / "searchindex.js").read_text("utf-8")[len("Search.setIndex(") : -1]
    )
    assert "write" not in index["terms"] and "row" not in index["terms"]


def test_the_dashboard_counts_markers_per_page_and_lists_blockers_once_per_page(cli, package):
    make(package, evidence())
    package.page("glossary", "# Glossary\n\nSLO: [FILL IN]\n\nSLA: [FILL IN]\n\nRPO: 【要確認】\n")
    built = cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    assert built.code == 1
    assert len(located(built)) == 3  # the console and the report name every line
    html = (package.root / "_build" / "html" / "index.html").read_text("utf-8")
    assert panel_verdict(package.root / "_build" / "html" / "index.html") == "NOT READY"
    counts = re.search(r'<table class="[^"]*handover-placeholders.*?</table>', html, re.DOTALL)
    assert counts, html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", counts.group(0), re.DOTALL)
    text = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    assert text == ["Glossary", "3", "3", "T-7 (2026-11-24)"]
    blocking = re.search(r'<table class="[^"]*handover-blocking.*?</table>', html, re.DOTALL).group(0)
    assert blocking.count("handover.placeholder") == 1 and "3 unfilled template marker(s)" in blocking


def test_a_runbook_owner_marker_is_reported_once_as_runbook_owner(cli, package):
    make(package, evidence())
    package.page(
        "runbook",
        """\
        # Runbook

        ```{runbook} Restore
        :id: RB_RESTORE
        :owner: [FILL IN: team]
        :last_exercised: 2026-11-01
        ```
        """,
    )
    cli("build", package.root, "--as-of", AS_OF, "--gate", "T-7")
    rules = [p["rule"] for p in package.report()["problems"] if p["file"] == "runbook.md"]
    assert rules == ["handover.runbook_owner"]


def test_a_check_owner_left_unfilled_in_the_complete_example_blocks(cli, example_copy):
    """Issue 14's done-when: the complete example is READY; with one check's owner
    back to the template's marker it exits 1 at that line."""
    root = example_copy()
    page = root / "chapters" / "10-acceptance.md"
    text = page.read_text("utf-8")
    owner = re.search(r"```\{check\}[^\n]*\n:id: CHK_RACI_AGREED\n(?:.*\n)*?(:owner: .*)\n", text)
    assert owner, "the example's CHK_RACI_AGREED has an owner"
    line = text[: owner.start(1)].count("\n") + 1
    page.write_text(text.replace(owner.group(1), ":owner: 【要記入：担当者】", 1), "utf-8")
    built = cli("build", root, "--as-of", "2026-11-20")
    assert built.code == 1
    assert located(built) == [f"{root.name}/chapters/10-acceptance.md:{line}"]
