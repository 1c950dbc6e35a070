"""Every need the verdict counts is shown on its page, where it is written.

sphinx-needs makes a need from its block whatever surrounds it, and lets other pages
change how it is shown, so evidence could count for READY while the site shows nothing
of it: hidden or folded by a field (in its block or by needextend), left out by a
build-only block, hidden by a class the theme hides. A need's place is allowed (sections,
lists, quotes and named admonitions without classes), not refused form by form; each
vector below is one way around the page and must be an input error at the need's line.
"""

from __future__ import annotations

import pytest
from conftest import AS_OF
from test_gate_rules import evidence, make

BLOCK = evidence().split("\n\n", 1)[1]  # the evidence block alone, without its heading


def _inside(opening: str, closing: str = "`````\n") -> str:
    """The evidence block inside another block that opens on line 3."""
    return f"# Evidence\n\n{opening}\n{BLOCK}{closing}"


def _extended(*options: str) -> dict[str, str]:
    """A page read after the evidence page that changes EV_MON with needextend."""
    lines = "\n".join(options)
    return {"zz": f"# Later\n\n```{{needextend}} EV_MON\n{lines}\n```\n"}


VECTORS = {
    # fields that hide the need or change its box, wherever they are set
    "hide option": (evidence(hide=""), {}, 3, ":hide: True would hide the need"),
    "collapse option": (evidence(collapse="true"), {}, 3, ":collapse: True"),
    "layout option": (evidence(layout="focus"), {}, 3, ":layout: 'focus'"),
    "style class the theme hides": (evidence(style="only-dark"), {}, 3, ":style: 'only-dark'"),
    "hidden by needextend": (evidence(), _extended(":hide: true"), 3, ":hide: True"),
    "style by needextend": (evidence(), _extended(":style: only-dark"), 3, ":style: 'only-dark'"),
    # blocks around the need that do not show it as it is
    "only latex": (_inside("`````{only} latex"), {}, 4, "written inside only"),
    "only html": (_inside("`````{only} html"), {}, 4, "written inside only"),
    "container with a class": (_inside("`````{container} only-dark"), {}, 4, "container (only-dark)"),
    "note with a class": (_inside("`````{note}\n:class: only-dark"), {}, 5, "note (only-dark)"),
    "titled admonition": (_inside("`````{admonition} Details"), {}, 4, "written inside admonition"),
    "inside another need": (
        "# Evidence\n\n`````{req} Outer\n:id: REQ_OUTER\n\n" + BLOCK + "`````\n",
        {},
        6,
        "written inside Need",
    ),
    "table cell": (
        "# Evidence\n\n`````{list-table}\n* - cell\n\n    ```{evidence} Monitoring review minutes\n    :id: EV_MON\n"
        "    :proves: CHK_MON\n    :date: 2026-11-02\n    :owner: Sato\n    :artifact: evidence/monitoring.md\n"
        "    ```\n`````\n",
        {},
        6,
        "written inside entry",
    ),
    # HTML blocks that leave an element open around the need
    "details": (f"# Evidence\n\n<details><summary>More</summary>\n\n{BLOCK}\n</details>\n", {}, 5, "<details> (HTML)"),
    "details open": (f"# Evidence\n\n<details open>\n\n{BLOCK}\n</details>\n", {}, 5, "<details> (HTML)"),
    "struck through": (f"# Evidence\n\n<del>\n\n{BLOCK}\n</del>\n", {}, 5, "<del> (HTML)"),
    "div with a class": (f'# Evidence\n\n<div class="only-dark">\n\n{BLOCK}\n</div>\n', {}, 5, "<div> (HTML)"),
    "in a list": (
        "# Evidence\n\n- item\n\n  <small>\n\n  ```{evidence} Monitoring review minutes\n  :id: EV_MON\n"
        "  :proves: CHK_MON\n  :date: 2026-11-02\n  :owner: Sato\n  :artifact: evidence/monitoring.md\n  ```\n\n"
        "  </small>\n",
        {},
        7,
        "<small> (HTML)",
    ),
    "section with a class": (
        "# Evidence\n\n```{eval-rst}\n.. rst-class:: hidden\n\nMinutes\n-------\n\n"
        ".. evidence:: Monitoring review minutes\n   :id: EV_MON\n   :proves: CHK_MON\n   :date: 2026-11-02\n"
        "   :owner: Sato\n   :artifact: evidence/monitoring.md\n```\n",
        {},
        9,
        "section (hidden)",
    ),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_need_the_page_would_not_show_is_an_input_error_at_its_line(cli, package, name):
    page, others, line, said = VECTORS[name]
    make(package, page)
    for docname, text in others.items():
        package.page(docname, text)
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 2, result.output
        assert "Traceback" not in result.output
        assert result.out.startswith("INPUT ERROR ("), result.out
        located = [entry for entry in result.err.splitlines() if entry.endswith("[handover.hidden_need]")]
        assert len(located) == 1, result.err
        assert located[0].startswith(f"pkg/evidence.md:{line}: ERROR: EV_MON"), located
        assert said in located[0], located
    assert package.report()["ready"] is False


@pytest.mark.parametrize(
    "page",
    [
        "# Evidence\n\n## Monitoring\n\n### Minutes\n\n" + BLOCK,
        _inside("`````{note}"),
        _inside("`````{warning}"),
        evidence(collapse="false"),
        "# Evidence\n\n- item\n\n  ```{evidence} Monitoring review minutes\n  :id: EV_MON\n  :proves: CHK_MON\n"
        "  :date: 2026-11-02\n  :owner: Sato\n  :artifact: evidence/monitoring.md\n  ```\n",
        f"# Evidence\n\n<div>\n\n{BLOCK}\n</div>\n",
        f"# Evidence\n\n<details><summary>Log</summary>\n\nfolded\n\n</details>\n<del>old</del>\n\n{BLOCK}",
        f"# Evidence\n\n<small>\n\n{BLOCK}",
    ],
    ids=[
        "nested sections",
        "note",
        "warning",
        "collapse false",
        "list item",
        "plain div",
        "html closed before",
        "never closed",
    ],
)
def test_a_need_in_a_block_that_shows_it_counts(cli, package, page):
    make(package, page)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    assert "hidden_need" not in result.err
    html = (package.root / "_build" / "html" / "evidence.html").read_text(encoding="utf-8")
    assert 'id="EV_MON"' in html and "2026-11-02" in html


def test_a_deleted_need_is_not_made_and_counts_for_nothing(cli, package):
    make(package, evidence(delete="true"))
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1, result.output
    assert "[handover.missing_evidence]" in result.err and "hidden_need" not in result.err
    assert package.report()["checks"][0]["status"] != "done"


def test_moving_the_need_out_of_the_block_clears_the_error_on_the_next_build(cli, package):
    make(package, _inside("`````{container} only-dark"))
    assert cli("build", package.root, "--as-of", AS_OF).code == 2
    package.page("evidence", evidence())
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    assert "hidden_need" not in result.err
