"""The site as a reviewer uses it, in headless Chromium (Debian's package) driven by
Playwright over HTTP on loopback: read the verdict, follow a blocking item to its check,
search in Japanese. Screenshots of the dashboard, light and dark, are kept as artifacts.

The tests run when Playwright and Chromium are present; `.ci/run` installs both and
sets HANDOVER_BROWSER_TESTS=1, which turns a missing browser into a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import AS_OF

#: Where screenshots go: kept by CI as artifacts.
SHOTS = Path(os.environ.get("HANDOVER_SCREENSHOTS", Path(__file__).resolve().parents[1] / "_build" / "screenshots"))


@pytest.fixture
def screenshot_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def built(cli, example_copy):
    def build(name: str, *extra: str):
        root = example_copy(name)
        cli("build", root, "--as-of", AS_OF, *extra)
        return root / "_build" / "html"

    return build


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dashboard_shows_ready(browser, serve, built, screenshot_dir, scheme):
    base = serve(built("ec-order-service"))
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/index.html")
    assert page.locator(".handover-verdict").inner_text().strip() == "READY"
    page.screenshot(path=str(screenshot_dir / f"dashboard-ready-{scheme}.png"))
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_blocking_item_link_lands_on_the_check(browser, serve, built, screenshot_dir, scheme):
    base = serve(built("ec-order-service-incomplete", "--gate", "T-7"))
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/index.html")
    assert page.locator(".handover-verdict").inner_text().strip() == "NOT READY"
    page.screenshot(path=str(screenshot_dir / f"dashboard-not-ready-{scheme}.png"))
    link = page.locator("table.handover-blocking a", has_text="CHK_ESCALATION_DRILL")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("chapters/10-acceptance.html#CHK_ESCALATION_DRILL")
    from playwright.sync_api import expect

    expect(page.locator("#CHK_ESCALATION_DRILL")).to_be_in_viewport()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_traceability_and_a_chapter_render(browser, serve, built, screenshot_dir, scheme):
    from playwright.sync_api import expect

    base = serve(built("ec-order-service"))
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/traceability.html")
    expect(page.locator("table.handover-traceability").first).to_be_visible()
    expect(page.locator(".handover-trace-graph svg").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"traceability-{scheme}.png"))
    page.goto(f"{base}/chapters/04-ledgers.html")
    coverage = page.locator("table.handover-coverage")
    coverage.scroll_into_view_if_needed()
    expect(coverage).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"chapter-coverage-{scheme}.png"))
    page.close()


def test_japanese_search_finds_a_runbook(browser, serve, built):
    from playwright.sync_api import expect

    base = serve(built("ec-order-service"))
    page = browser.new_page()
    page.goto(f"{base}/search.html?q=リストア")
    # Sphinx appends results one by one: wait for the runbook, not for the first hit.
    runbook = page.locator("#search-results a[href*='runbooks/backup-restore.html']")
    expect(runbook.first).to_be_visible(timeout=20000)
    page.close()
