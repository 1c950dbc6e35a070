"""A page's front matter configures nothing, and nothing of a page writes the page's head.

MyST merges a page's ``myst:`` front matter (and a top-level ``html_meta`` or
``substitutions``) over the package's settings: Jinja substitutions run code on the
building machine, ``html_meta`` puts a refresh into the head. reST's ``meta`` directive
does the latter too."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF


def _jinja(marker: Path) -> str:
    return "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"


def _vectors(marker: Path) -> dict[str, tuple[str, str, int]]:
    """name -> (page text, rule, line reported)."""
    return {
        "myst enables substitution": (
            f'---\nmyst:\n  enable_extensions: ["substitution"]\n---\n# Page\n\nValue {_jinja(marker)}.\n',
            "unsafe_expression",
            2,
        ),
        "substitutions at the top level": (
            f'---\ntitle: x\nsubstitutions:\n  key: "{_jinja(marker)}"\n---\n# Page\n\nValue {{{{ key }}}}.\n',
            "unsafe_expression",
            3,
        ),
        "html_meta refresh": (
            '---\nhtml_meta:\n  "http-equiv=refresh": "0; url=https://evil.example/"\n---\n# Page\n\nText.\n',
            "unsafe_expression",
            2,
        ),
        "reST meta refresh": (
            "# Page\n\n```{eval-rst}\n.. meta::\n   :http-equiv=Refresh: 0; url=https://evil.example/\n```\n",
            "unsafe_html",
            5,
        ),
        "reST meta policy": (
            "# Page\n\nText.\n\n```{eval-rst}\n.. meta::\n   :description: fine\n"
            "   :http-equiv=Content-Security-Policy: default-src *\n```\n",
            "unsafe_html",
            8,
        ),
    }


@pytest.mark.parametrize("name", sorted(_vectors(Path("m"))))
def test_a_page_cannot_configure_its_reading_or_its_head(cli, package, tmp_path, name):
    marker = tmp_path / "code-ran"
    text, rule, line = _vectors(marker)[name]
    package.page("chapters/page", text)
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert not marker.exists(), f"{verb} ran the page's template"
        assert "Traceback" not in result.output
        assert result.code == 1, result.output
        located = [text for text in result.err.splitlines() if text.startswith(f"pkg/chapters/page.md:{line}: ERROR: ")]
        assert located and located[0].endswith(f"[handover.{rule}]"), result.err
    html = (package.root / "_build" / "html" / "chapters" / "page.html").read_text("utf-8").lower()
    assert "evil.example" not in html
    assert 'http-equiv="refresh"' not in html
    assert html.count("content-security-policy") == 1  # the site's own, once


def test_page_metadata_and_a_description_are_kept(cli, package):
    package.page(
        "chapters/page",
        "---\ntocdepth: 2\n---\n# Page\n\n```{eval-rst}\n.. meta::\n   :description: Restore procedure\n```\n",
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "unsafe_" not in built.err, built.err
    html = (package.root / "_build" / "html" / "chapters" / "page.html").read_text("utf-8")
    assert '<meta content="Restore procedure" name="description"' in html
