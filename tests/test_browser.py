"""The site as a reviewer uses it, in headless Chromium (Debian's package) driven by
Playwright over HTTP on loopback: read the verdict, follow a blocking item to its check,
search in Japanese. Screenshots of the dashboard, light and dark, are kept as artifacts.

The tests run when Playwright and Chromium are present; `.ci/run` installs both and
sets HANDOVER_BROWSER_TESTS=1, which turns a missing browser into a failure, not a skip.
"""


from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import AS_OF

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("HANDOVER_BROWSER_TESTS") == "1"
#: Where screenshots go: kept by CI as artifacts.
SHOTS = Path(os.environ.get("HANDOVER_SCREENSHOTS", Path(__file__).resolve().parents[1] / "_build" / "screenshots"))


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip("playwright is not installed")
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("HANDOVER_BROWSER_TESTS=1 but no chromium on PATH")
        pytest.skip("chromium is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield launched
        launched.close()


@pytest.fixture
def serve():
    """Serve a folder over HTTP on 127.0.0.1; returns its base URL."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _Server(http.server.ThreadingHTTPServer):
    # Closing the server waits for its request threads (HTTP/1.0: one request each), so
    # none can outlive the test and print into a later test's captured stderr.
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser moved on: normal
            super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


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
