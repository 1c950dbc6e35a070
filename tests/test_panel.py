"""The readiness panel speaks to reviewers: each blocker says what it is about, who owns
it and where it is shown; the file:line and rule id follow for the authors."""

from __future__ import annotations

import re

from conftest import panel_verdict


def blocking_rows(html: str) -> list[str]:
    table = re.search(r'<table class="[^"]*handover-blocking.*?</table>', html, re.DOTALL)
    assert table, "no blocking table"
    return re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.DOTALL)[1:]


def test_blockers_from_handover_yaml_name_the_entry_its_owner_and_link_to_its_table(cli, example_copy):
    root = example_copy("ec-order-service-incomplete")
    assert cli("build", root, "--as-of", "2026-11-20").code == 1
    index = root / "_build" / "html" / "index.html"
    assert panel_verdict(index) == "NOT READY"
    rows = blocking_rows(index.read_text("utf-8"))
    level3 = next(row for row in rows if "handover.yaml:204" in row)
    item, problem = re.findall(r"<td[^>]*>(.*?)</td>", level3, re.DOTALL)
    link = re.search(r'<a class="reference internal" href="([^"]+)">([^<]+)</a>', item)
    assert link and link.group(2).startswith("エスカレーション第3段：")
    assert link.group(1).split("#")[0] == "chapters/04-ledgers.html"
    assert "担当：保守チーム（伊藤 翔" in item
    # What is wrong comes first, in words; the location and the rule id after it.
    assert (
        problem.index("連絡網テスト")
        < problem.index("handover.yaml:204")
        < problem.index("[handover.contact_untested]")
    )
    assert 'class="handover-for-authors"' in problem
    # A need's blocker keeps its link, title and owner.
    failed = next(row for row in rows if "EV_RESTORE_TEST_2026_10" in row)
    assert 'href="chapters/10-acceptance.html#EV_RESTORE_TEST_2026_10"' in failed
    assert "担当：加藤 千尋" in failed and "[handover.failed_evidence]" in failed
    # The panel's lines keep each date and review whole on a phone ("2026-" / "11-20").
    when = re.search(r'<p class="handover-when">(.*?)</p>', index.read_text("utf-8"), re.DOTALL)
    assert when
    outside = re.sub(r'<span class="handover-nobr">[^<]*</span>', "", when.group(1))
    assert re.findall(r"\d{4}-\d{2}-\d{2}", when.group(1)) and not re.search(r"\d{4}-\d{2}|T-\d", outside), when


def test_where_a_link_lands_the_box_shows_what_is_wrong(cli, example_copy):
    """Failed, stale and invalid records and uncovered requirements are marked in place."""
    root = example_copy("ec-order-service-incomplete")
    assert cli("build", root, "--as-of", "2026-11-20").code == 1
    html = root / "_build" / "html" / "chapters"

    def box_classes(page: str, need_id: str) -> list[str]:
        text = (html / page).read_text("utf-8")
        found = re.search(rf'<table class="([^"]*)" id="{need_id}">', text)
        assert found, need_id
        return found.group(1).split()

    assert "handover-box-failed" in box_classes("10-acceptance.html", "EV_RESTORE_TEST_2026_10")
    assert "handover-box-stale" in box_classes("10-acceptance.html", "EV_RECOVERY_DRYRUN_2026_11")
    assert "handover-box-invalid" in box_classes("10-acceptance.html", "EV_KPI_DASHBOARD_2026_11")
    assert "handover-box-missing" in box_classes("01-service-overview.html", "REQ_CAPACITY_PLAN")
    assert not [c for c in box_classes("10-acceptance.html", "EV_BREAKGLASS_TEST") if c.startswith("handover-box-")]
    assert "handover-box-failed" in box_classes("10-acceptance.html", "CHK_RESTORE_TEST")
    page = (html / "01-service-overview.html").read_text("utf-8")
    before = page[: page.index('id="REQ_CAPACITY_PLAN"')]
    assert "この要件を確認する受入チェックがありません。" in before[before.rindex("handover-check-badge") :]
