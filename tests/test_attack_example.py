"""Every class of issue 13, planted together in a copy of the complete example.

The vectors here are written differently from the ones in the tests of each class
(test_confinement, test_html_safety, test_artifact_publishing, test_secret_classes):
none may reach the published site, each is reported at its file:line, and the build
ends with a verdict, never a traceback or a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import AS_OF

# Markers that must not appear in any file the build writes.
SECRETS = {
    "runbooks/batch-rerun.md": "export MYSQL_PWD='Zq7!mW2x#Lk9'",
    "runbooks/deploy-rollback.md": "curl --user deploy:Hb8vT3nQ5rYc https://deploy.example.invalid/api",
    "chapters/05-security.md": "| 監視用DB | 初期パスワード | Vn4$kR8pWq2z |",
}
SECRET_VALUES = ("Zq7!mW2x#Lk9", "Hb8vT3nQ5rYc", "Vn4$kR8pWq2z")
HTML = {
    "chapters/01-service-overview.md": '<details open ontoggle="alert(11)"><summary>x</summary></details>',
    "chapters/02-organization-raci.md": '<a href="&#x6A;&#x61;vascript:alert(12)">link</a>',
    "chapters/06-change-release.md": "<svg><animate onbegin=alert(13) attributeName=x dur=1s></animate></svg>",
    "chapters/08-kpi-reporting.md": '<img src="x" alt="y"\n  onerror="alert(14)">',
}
OUTSIDE = "etc-hostname-leak"


def _plant(root: Path, tmp_path: Path) -> None:
    for page, line in {**SECRETS, **HTML}.items():
        path = root / page
        path.write_text(path.read_text("utf-8") + f"\n{line}\n", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hostname").write_text(f"{OUTSIDE}\n", "utf-8")
    page = root / "chapters" / "09-hypercare.md"
    page.write_text(page.read_text("utf-8") + "\n```{literalinclude} /../outside/hostname\n```\n", "utf-8")
    (root / "runbooks" / "leak.md").symlink_to(outside / "hostname")
    os.mkfifo(root / "evidence" / "07-bcp" / "pipe.log")
    data = root / "handover.yaml"
    text = data.read_text("utf-8")
    data.write_text(text.replace("system: EC受注サービス", 'system: "EC受注<img src=x onerror=alert(15)>"', 1), "utf-8")


def _located(err: str, page: str, rule: str) -> bool:
    return any(
        line.startswith(f"ec-order-service/{page}:") and line.endswith(f"[handover.{rule}]")
        for line in err.splitlines()
    )


def test_every_class_planted_in_the_example_is_reported_and_never_published(example_copy, tmp_path):
    root = example_copy()
    _plant(root, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "handover_kit", "build", str(root), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=900, cwd=root.parent,
    )  # fmt: skip
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for page in SECRETS:
        assert _located(result.stderr, page, "secret"), (page, result.stderr)
    for page in HTML:
        assert _located(result.stderr, page, "unsafe_html"), (page, result.stderr)
    assert _located(result.stderr, "chapters/09-hypercare.md", "outside_package"), result.stderr
    assert _located(result.stderr, "runbooks/leak.md", "outside_package"), result.stderr
    written = [path for path in (root / "_build").rglob("*") if path.is_file()]
    assert written
    for path in written:
        data = path.read_bytes()
        for value in (*SECRET_VALUES, OUTSIDE):
            assert value.encode() not in data, (value, path)
        if path.suffix == ".html":
            html = data.decode("utf-8")
            for number in range(11, 16):
                assert f"alert({number})" not in html or _only_as_text(html, f"alert({number})"), (number, path)


def _only_as_text(html: str, needle: str) -> bool:
    """*needle* shown escaped (inside text), never inside a tag's attributes."""
    from html.parser import HTMLParser

    found_in_markup = []

    class Markup(HTMLParser):
        in_script = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.in_script = tag == "script"
            if any(needle in (value or "") for _, value in attrs):
                found_in_markup.append(tag)

        def handle_endtag(self, tag: str) -> None:
            self.in_script = False

        def handle_data(self, data: str) -> None:
            if self.in_script and needle in data:
                found_in_markup.append("script")

    Markup().feed(html)
    return not found_in_markup
