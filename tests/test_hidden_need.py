"""Every need the verdict counts is shown on its page, where it is written.

sphinx-needs makes a need from its block whatever surrounds it, so evidence could count
for READY while the site shows nothing of it: hidden by an option, by a build-only block,
by a class the theme hides, or folded away inside another block. A need's place is
allowed (directly under a section without classes), not refused form by form; each vector
below is one way around the page and must be an input error at the need's line.
"""

from __future__ import annotations

import pytest
from conftest import AS_OF
from test_gate_rules import evidence, make

BLOCK = evidence().split("\n\n", 1)[1]  # the evidence block alone, without its heading


def _inside(opening: str, closing: str = "`````\n") -> str:
    """The evidence block inside another block that opens on line 3."""
    return f"# Evidence\n\n{opening}\n{BLOCK}{closing}"


VECTORS = {
    "hide option": (evidence(hide=""), 3, "not shown on its page"),
    "delete option": (evidence(delete="true"), 3, "not shown on its page"),
    "only latex": (_inside("`````{only} latex"), 4, "written inside"),
    "only html": (_inside("`````{only} html"), 4, "written inside only"),
    "container with a class": (_inside("`````{container} only-dark"), 4, "container (only-dark)"),
    "admonition": (_inside("`````{note}"), 4, "written inside note"),
    "dropdown-like admonition": (_inside("`````{admonition} Details\n:class: dropdown"), 5, "written inside"),
    "list item": (
        "# Evidence\n\n- item\n\n  ```{evidence} Monitoring review minutes\n  :id: EV_MON\n  :proves: CHK_MON\n"
        "  :date: 2026-11-02\n  :owner: Sato\n  :artifact: evidence/monitoring.md\n  ```\n",
        5,
        "written inside",
    ),
    "section with a class": (
        "# Evidence\n\n```{eval-rst}\n.. rst-class:: hidden\n\nMinutes\n-------\n\n"
        ".. evidence:: Monitoring review minutes\n   :id: EV_MON\n   :proves: CHK_MON\n   :date: 2026-11-02\n"
        "   :owner: Sato\n   :artifact: evidence/monitoring.md\n```\n",
        9,
        "section (hidden)",
    ),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_need_the_page_would_not_show_is_an_input_error_at_its_line(cli, package, name):
    page, line, said = VECTORS[name]
    make(package, page)
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 2, result.output
        assert "Traceback" not in result.output
        assert result.out.startswith("INPUT ERROR ("), result.out
        located = [entry for entry in result.err.splitlines() if entry.endswith("[handover.hidden_need]")]
        assert len(located) == 1, result.err
        assert located[0].startswith(f"pkg/evidence.md:{line}: ERROR: EV_MON "), located
        assert said in located[0], located
    assert package.report()["ready"] is False


def test_a_need_under_nested_sections_is_shown_and_counts(cli, package):
    make(package, "# Evidence\n\n## Monitoring\n\n### Minutes\n\n" + BLOCK)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    assert "hidden_need" not in result.err
    html = (package.root / "_build" / "html" / "evidence.html").read_text(encoding="utf-8")
    assert 'id="EV_MON"' in html


def test_moving_the_need_out_of_the_block_clears_the_error_on_the_next_build(cli, package):
    make(package, _inside("`````{note}"))
    assert cli("build", package.root, "--as-of", AS_OF).code == 2
    package.page("evidence", evidence())
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    assert "hidden_need" not in result.err
