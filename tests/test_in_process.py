"""Builds run one after another in one process (the tests, `handover serve`) are as
independent as builds in fresh processes."""

from __future__ import annotations

import re

from conftest import AS_OF


def test_an_english_package_built_after_a_japanese_one_stays_english(cli, package, example_copy):
    japanese = example_copy()
    assert cli("build", japanese, "--as-of", AS_OF).code == 0
    package.page("notes", "# Notes\n\nPlain text.\n")
    cli("build", package.root, "--as-of", AS_OF)
    index = (package.root / "_build" / "html" / "index.html").read_text("utf-8")
    title = re.search(r"<title>([^<]*)</title>", index)
    assert title and title.group(1) == "Demo service", title
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", index), "Japanese text on an English site"
