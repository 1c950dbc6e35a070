"""The checklist and blocking tables filtered, sorted and downloaded as CSV in the
browser, offline (a static script under the Content-Security-Policy)."""

from __future__ import annotations

import csv
import io
import json

from conftest import AS_OF


def test_the_checklist_filters_by_status_sorts_and_downloads_what_it_shows(browser, serve, cli, example_copy):
    root = example_copy("ec-order-service-incomplete")
    cli("build", root, "--as-of", AS_OF, "--gate", "T-7")
    report = json.loads((root / "_build" / "handover-report.json").read_text("utf-8"))
    base = serve(root / "_build" / "html")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
    page.goto(f"{base}/chapters/10-acceptance.html")
    table = page.locator("table.handover-checklist")
    rows = table.locator("tbody tr")
    assert rows.count() == len(report["checks"])

    # The due reviews are offered in the order they are held, the menu's first entry in Japanese.
    due = page.locator(".handover-table-tools select[aria-label='期限'] option").all_inner_texts()
    assert due[0] == "期限：すべて", due
    assert [text.split("（")[0] for text in due[1:]] == sorted(
        {text.split("（")[0] for text in due[1:]}, key=lambda review: int(review[1:])
    ), due

    status = page.locator(".handover-table-tools select[aria-label='状態']")
    missing_label = "未提出"
    missing = [check["id"] for check in report["checks"] if check["status"] == "missing"]
    assert missing, "the incomplete example has a check without evidence at T-7"
    status.select_option(label=missing_label)
    visible = [row.locator("td").first.inner_text().strip() for row in rows.all() if row.is_visible()]
    assert visible == missing
    assert (
        f"{len(report['checks'])}件中 {len(missing)}件を表示"
        in page.locator(".handover-table-count").first.inner_text()
    )

    with page.expect_download() as download:
        page.locator(".handover-table-tools button").first.click()
    text = download.value.path().read_text("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "チェック" and [line[0] for line in lines[1:]] == missing

    status.select_option(value="")
    owner = table.locator("thead th").nth(2)
    ids = [row.locator("td").first.inner_text().strip() for row in rows.all()]
    owner.click()
    ascending = [row.locator("td").nth(2).inner_text().strip() for row in rows.all()]
    assert owner.get_attribute("aria-sort") == "ascending" and ascending != [""] * len(ascending)
    owner.click()
    descending = [row.locator("td").nth(2).inner_text().strip() for row in rows.all()]
    assert owner.get_attribute("aria-sort") == "descending" and descending == ascending[::-1]
    assert sorted(row.locator("td").first.inner_text().strip() for row in rows.all()) == sorted(ids)
    assert errors == []
    page.close()
