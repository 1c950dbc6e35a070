"""Raw HTML that would run in a reviewer's browser fails the build and never runs."""

from __future__ import annotations

import re

from conftest import AS_OF


def test_script_event_handler_and_javascript_url_are_rejected_and_neutralised(cli, example_copy):
    root = example_copy()
    page = root / "chapters" / "03-runbooks.md"
    before = page.read_text("utf-8")
    planted = '\n<div onclick="alert(1)">x</div>\n\n<script>alert(2)</script>\n\n<a href="javascript:alert(3)">go</a>\n'
    page.write_text(before + planted, "utf-8")
    first = before.count("\n") + 2
    built = cli("build", root, "--as-of", AS_OF)
    checked = cli("check", root, "--as-of", AS_OF)
    assert built.code == checked.code == 1
    for offset, kind in (
        (0, "event-handler attribute"),
        (2, "<script>"),
        (4, "event-handler attribute|javascript: URL"),
    ):
        line = f"ec-order-service/chapters/03-runbooks.md:{first + offset}: ERROR: "
        hits = [l for l in built.err.splitlines() if l.startswith(line) and "[handover.unsafe_html]" in l]
        assert hits and re.search(kind, hits[0]), (line, built.err)
    html = (root / "_build" / "html" / "chapters" / "03-runbooks.html").read_text("utf-8")
    assert "<script>alert" not in html
    assert not re.search(r"<[^>]*\sonclick=", html)
    assert 'href="javascript:' not in html


def test_the_examples_and_templates_have_no_unsafe_markup(cli, example_copy):
    assert "[handover.unsafe_html]" not in cli("check", example_copy(), "--as-of", AS_OF).err
