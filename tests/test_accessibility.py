"""WCAG AA in both colour schemes, checked by axe-core in headless Chromium.

Every page type of three sites (the READY example, the NOT READY example and a fresh
`handover new` package in English) is loaded in the light and the dark scheme and run
through axe-core; any serious or critical violation (colour contrast included) fails the
test, naming the site, the scheme, the page, the rule and the offending elements.

"dark" is the reader's system preferring dark with the site left on Furo's default
("auto"); "dark-chosen" is a reader who picked dark with the theme button on a light
system (Furo's ``body[data-theme="dark"]``). axe-core is the copy packaged in
axe-playwright-python (the ``test`` extra): no network at test time. Each site is built
once for the module. With HANDOVER_SCREENSHOTS set, screenshots (1366 px wide) of the
dashboard, two chapters and a runbook are written there for a person to look at.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES, REQUIRED, _QuietHandler, _Server

from handover_kit.cli import main

SHOTS = os.environ.get("HANDOVER_SCREENSHOTS")
WIDTH, HEIGHT = 1366, 900
BLOCKING = {"serious", "critical"}

#: The sites: how each is made, and what its search is asked.
SITES = {
    "ready": ("ec-order-service", "リストア"),
    "not-ready": ("ec-order-service-incomplete", "リストア"),
    "fresh-en": (None, "restore"),
}
#: Page types: name, path (None: found in the site), element to scroll to for the screenshot.
PAGES = (
    ("dashboard", "index.html", None),
    ("traceability", "traceability.html", None),
    ("chapter-needs", "chapters/10-acceptance.html", "table.need"),
    ("chapter-data", "chapters/04-ledgers.html", ".handover-escalation-graph"),
    ("runbook", "runbooks/backup-restore.html", "table.need"),
    ("evidence", None, None),
    ("go-no-go", "go-no-go.html", None),
    ("search", "search.html?q={query}", None),
)
SCREENSHOT_PAGES = {"dashboard", "chapter-needs", "chapter-data", "runbook"}
#: Sphinx's searchtools.js has finished: it wrote its summary (the result count), or at
#: least stopped its progress indicator.
SEARCH_FINISHED = """() => {
  const summary = document.querySelector('#search-results .search-summary');
  if (!summary) return false;
  return summary.innerText.trim() !== '' || (typeof Search !== 'undefined' && Search._pulse_status === -1);
}"""


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip("axe-playwright-python is not installed (pip install '.[test]')")
    return Axe()


@pytest.fixture(scope="module")
def sites(browser, axe, tmp_path_factory):
    """Each site built once and served over HTTP on loopback: name -> (base URL, folder)."""
    root = tmp_path_factory.mktemp("a11y")
    served, servers = {}, []
    for name, (example, _) in SITES.items():
        package = root / name
        if example:
            shutil.copytree(EXAMPLES / example, package, ignore=shutil.ignore_patterns("_build"))
        else:
            answers = root / "answers.yaml"
            answers.write_text("language: en\nsystem_name: Orders\nrelease_date: 2026-12-01\n", "utf-8")
            assert main(["new", str(package), "--no-input", "--answers", str(answers)]) == 0
        assert main(["build", str(package), "--as-of", AS_OF]) in (0, 1)
        html = package / "_build" / "html"
        server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(html)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        served[name] = (f"http://127.0.0.1:{server.server_address[1]}", html)
    yield served
    for server in servers:
        server.shutdown()
        server.server_close()


def _page_path(site: str, html: Path, path: str | None) -> str | None:
    if path is None:  # an evidence page: the first text artifact the build published
        published = sorted(html.glob("_evidence/**/*.html"))
        return published[0].relative_to(html).as_posix() if published else None
    return path.format(query=SITES[site][1])


def _open(browser, mode: str):
    system = "dark" if mode == "dark" else "light"
    context = browser.new_context(color_scheme=system, viewport={"width": WIDTH, "height": HEIGHT})
    if mode == "dark-chosen":  # what Furo's theme button stores
        context.add_init_script("localStorage.setItem('theme', 'dark')")
    return context, context.new_page()


def _load(page, url: str, page_type: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if page_type == "search":  # Sphinx's search shows its results one by one after loading its index
        page.wait_for_function(SEARCH_FINISHED, timeout=20000)


def _violations(axe, page) -> list[dict]:
    results = axe.run(page, options={"resultTypes": ["violations"]}).response
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING]


def _describe(site: str, mode: str, page_type: str, path: str, violation: dict) -> str:
    lines = [f"{site} / {mode} / {page_type} ({path}): {violation['id']} [{violation['impact']}] {violation['help']}"]
    for node in violation["nodes"][:8]:
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    if len(violation["nodes"]) > 8:
        lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def _screenshot(page, site: str, mode: str, page_type: str, focus: str | None) -> None:
    if not SHOTS or page_type not in SCREENSHOT_PAGES:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    if focus and page.locator(focus).count():
        page.locator(focus).first.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"a11y-{site}-{page_type}-{mode}.png"))


def _audit(browser, axe, sites, site: str, mode: str, page_types: set[str] | None = None) -> list[str]:
    base, html = sites[site]
    context, page = _open(browser, mode)
    problems = []
    try:
        for page_type, path, focus in PAGES:
            if page_types is not None and page_type not in page_types:
                continue
            path = _page_path(site, html, path)
            if path is None:
                continue
            _load(page, f"{base}/{path}", page_type)
            theme = page.evaluate("document.body.dataset.theme")
            assert theme == ("dark" if mode == "dark-chosen" else "auto"), (site, mode, path, theme)
            problems += [_describe(site, mode, page_type, path, v) for v in _violations(axe, page)]
            _screenshot(page, site, mode, page_type, focus)
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("site", list(SITES))
def test_every_page_type_passes_axe(browser, axe, sites, site, mode):
    problems = _audit(browser, axe, sites, site, mode)
    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)


def test_dark_chosen_with_the_theme_button_passes_axe(browser, axe, sites):
    """Furo's body[data-theme="dark"] (the reader's choice) as well as the system's preference."""
    problems = _audit(browser, axe, sites, "not-ready", "dark-chosen", {"dashboard", "chapter-needs"})
    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)


def test_diagrams_follow_the_scheme(browser, sites):
    """The escalation diagram is inline SVG whose boxes and text take the scheme's colours;
    a diagram that is an image drawn on white (a package's own needflow or graphviz) is
    inverted in the dark scheme and left as it is in the light one."""
    base, _ = sites["not-ready"]
    seen = {}
    for mode in ("light", "dark", "dark-chosen"):
        context, page = _open(browser, mode)
        page.goto(f"{base}/chapters/04-ledgers.html")
        level = page.locator(".handover-escalation-graph svg g.handover-level").first
        seen[mode] = level.evaluate(
            "(g) => [getComputedStyle(g.querySelector('text')).fill, getComputedStyle(g.querySelector('path, polygon')).fill]"
        )
        seen[f"{mode} image"] = page.evaluate(
            "() => { const img = document.createElement('img'); img.className = 'graphviz';"
            " document.querySelector('article').append(img); return getComputedStyle(img).filter; }"
        )
        context.close()
    assert seen["light"] != seen["dark"] and seen["dark"] == seen["dark-chosen"], seen
    assert (
        seen["light image"] == "none"
        and "invert" in seen["dark image"]
        and seen["dark image"] == seen["dark-chosen image"]
    ), seen
