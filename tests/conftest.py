"""Shared fixtures: small real packages in tmp_path and the CLI called in-process."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from handover_kit.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
AS_OF = "2026-11-20"

HANDOVER_YAML = """\
schema_version: 1
project:
  system: Demo service
  vendor: Vendor Ltd.
  customer: Customer Ltd.
  release_date: 2026-12-01
  language: en
policy:
  required_checks: []  # a small test package, not the template's checklist
service:
  hours: 24/7
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """`handover` in-process, run from tmp_path so messages show short relative paths."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str | Path) -> CliResult:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


class Package:
    """A minimal handover package: index.md plus the pages a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages: list[str] = []
        root.mkdir(parents=True, exist_ok=True)
        (root / "conf.py").write_text('extensions = ["sphinx_handover"]\n', "utf-8")
        (root / "handover.yaml").write_text(HANDOVER_YAML, "utf-8")
        self._write_index()

    def page(self, docname: str, body: str) -> Path:
        path = self.root / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip(), "utf-8")
        if docname not in self.pages:
            self.pages.append(docname)
            self._write_index()
        return path

    def artifact(self, relative: str, text: str = "log line\n") -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return path

    def report(self) -> dict:
        return json.loads((self.root / "_build" / "handover-report.json").read_text("utf-8"))

    def _write_index(self) -> None:
        toctree = "\n".join(self.pages)
        (self.root / "index.md").write_text(
            f"# Demo\n\n```{{handover-readiness}}\n```\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8"
        )


@pytest.fixture
def package(tmp_path: Path) -> Package:
    return Package(tmp_path / "pkg")


@pytest.fixture
def example_copy(tmp_path: Path):
    def copy(name: str = "ec-order-service") -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("_build"))
        return target

    return copy


def panel_verdict(html_path: Path) -> str:
    """What the readiness panel of a built page says: 'READY' or 'NOT READY'."""
    import re

    html = html_path.read_text("utf-8")
    match = re.search(r'<p class="handover-verdict"><strong>([^<]+)</strong></p>', html)
    assert match, f"no readiness panel in {html_path}"
    return match.group(1)


# --- the browser tests' fixtures (one Chromium for the session, shared by every file) ---

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("HANDOVER_BROWSER_TESTS") == "1"


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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
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


class WatchedPage:
    """A browser page of a site served at *base* that records what an attack would show:
    dialogs, requests that leave the site, and Content-Security-Policy violations."""

    def __init__(self, browser, base: str) -> None:
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.violations: list[str] = []
        self.page = browser.new_page()
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith(base) or request.url.startswith("data:")
                else self.foreign.append(request.url)
            ),
        )
        self.page.on("console", lambda message: self._violation(message.text))
        self.page.on("pageerror", lambda error: self._violation(error.message))

    def _violation(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.violations.append(text)


class _Server(http.server.ThreadingHTTPServer):
    # Closing the server waits for its request threads (HTTP/1.0: one request each), so
    # none can outlive the test and print into a later test's captured stderr.
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser moved on: normal
            super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass
