"""The navigation laid out once per build is byte for byte the one furo computes per page."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import AS_OF, Package

from sphinx_handover.site import navigation

SIDEBAR_TREE = re.compile(r'<div class="sidebar-tree">.*?</div>', re.S)


def _write(root: Path, docname: str, body: str) -> None:
    path = root / f"{docname}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip(), "utf-8")


def _tricky_package(root: Path) -> Path:
    """Nested toctrees over three folders, captions, hidden and external entries, a page
    listed twice and a page outside the tree."""
    Package(root)
    _write(
        root,
        "index",
        """
        # Demo

        ```{toctree}
        :caption: Plan

        chapters/a
        chapters/b
        Vendor portal <https://example.com/portal>
        guide/deep/c
        ```

        ```{toctree}
        :caption: More
        :hidden:

        runbooks/index
        ```
        """,
    )
    _write(
        root,
        "chapters/a",
        """
        # Chapter A

        ## A section that titles_only leaves out

        ```{toctree}
        ../runbooks/r1
        ../runbooks/r2
        ```
        """,
    )
    _write(
        root,
        "chapters/b",
        """
        # Chapter B & more <b>

        ```{toctree}
        ../runbooks/r2
        ```
        """,
    )
    _write(
        root,
        "runbooks/index",
        """
        # Runbooks

        ```{toctree}
        :hidden:

        r4
        sub/r3
        ```
        """,
    )
    _write(root, "runbooks/r1", "# Runbook one\n\n```{toctree}\nsub/r5\n```\n")
    for docname, title in [
        ("r2", "Runbook two"),
        ("r4", "Runbook four"),
        ("sub/r3", "Runbook three"),
        ("sub/r5", "Runbook five"),
    ]:
        _write(root, f"runbooks/{docname}", f"# {title}\n\nText.\n")
    _write(root, "guide/deep/c", "# Deep guide\n\nText.\n")
    _write(root, "orphan", "---\norphan: true\n---\n# Not in any toctree\n")
    return root


def _sidebars(html: Path) -> dict[str, str]:
    trees = {}
    for page in sorted(html.rglob("*.html")):
        match = SIDEBAR_TREE.search(page.read_text("utf-8"))
        if match:
            trees[page.relative_to(html).as_posix()] = match.group(0)
    return trees


def _build_both(cli, monkeypatch, source: Path, tmp_path: Path) -> tuple[dict, dict, list[str]]:
    served: list[str] = []
    for_page = navigation.Layout.for_page

    def spy(self, page_uri):
        result = for_page(self, page_uri)
        if result is not None:
            served.append(page_uri)
        return result

    monkeypatch.setattr(navigation.Layout, "for_page", spy)
    fast = cli("build", source, "--as-of", AS_OF, "--out", tmp_path / "fast")
    monkeypatch.setattr(navigation, "_applies", lambda app: False)
    furo = cli("build", source, "--as-of", AS_OF, "--out", tmp_path / "furo")
    assert fast.code == furo.code, fast.output + furo.output
    return _sidebars(tmp_path / "fast" / "html"), _sidebars(tmp_path / "furo" / "html"), served


def test_navigation_matches_furo_on_every_page_of_a_tricky_tree(cli, monkeypatch, tmp_path):
    source = _tricky_package(tmp_path / "pkg")
    fast, furo, served = _build_both(cli, monkeypatch, source, tmp_path)

    assert fast.keys() == furo.keys()
    assert {"index.html", "runbooks/sub/r5.html", "guide/deep/c.html", "orphan.html", "genindex.html"} <= fast.keys()
    for page in furo:
        assert fast[page] == furo[page], page
    # Laid out once for all but the page listed twice, which furo still computes itself.
    assert "runbooks/r2.html" not in served
    assert {"runbooks/sub/r5.html", "runbooks/r1.html", "orphan.html", "index.html"} <= set(served)
    # The page's own branch is open and marked, from the top.
    deep = fast["runbooks/sub/r5.html"]
    assert (
        '<li class="toctree-l3 current current-page"><a class="current reference internal" href="#">Runbook five'
        in deep
    )
    assert 'href="../../chapters/b.html"' in deep and 'href="https://example.com/portal"' in deep
    assert deep.count('checked=""') == 2


def test_navigation_matches_furo_on_the_example(cli, monkeypatch, tmp_path, example_copy):
    fast, furo, served = _build_both(cli, monkeypatch, example_copy(), tmp_path)

    assert fast == furo
    assert len(served) == len(fast) > 15


@pytest.mark.parametrize(
    "html",
    [
        '<ul><li class="toctree-l1"><a class="reference internal" href="a&amp;b.html">A</a></li></ul>',
        '<ul><li class="toctree-l1"><a class="reference internal" href="a.html">A</a></ul>',
        '<ul><li><a class="reference internal" href="a.html">A</a></li></ul>',
    ],
)
def test_a_tree_it_cannot_promise_to_reproduce_is_left_to_furo(html):
    assert navigation.layout(html) is None


def test_furo_keeps_its_own_navigation_when_it_is_not_the_furo_this_module_knows(
    cli, monkeypatch, tmp_path, example_copy
):
    assert navigation._furo_as_known()  # the installed furo is read as expected
    monkeypatch.setattr(navigation, "_furo_as_known", lambda: False)
    served = []
    monkeypatch.setattr(navigation.Layout, "for_page", lambda self, uri: served.append(uri))
    assert cli("build", example_copy(), "--as-of", AS_OF, "--out", tmp_path / "out").code == 0
    sidebars = _sidebars(tmp_path / "out" / "html")
    assert served == [] and all('class="toctree-l1' in tree for tree in sidebars.values())
