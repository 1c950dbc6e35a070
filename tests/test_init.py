"""`handover init`: handover-kit adopted by an existing Sphinx + MyST project, whose
theme, title and pages stay its own; the extension without handover.yaml stops with one
line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import AS_OF

CONF = """\
project = "Acme Platform Docs"
author = "Acme"
extensions = ["myst_parser"]
html_theme = "alabaster"
html_title = "Acme Platform"
exclude_patterns = ["_build"]
"""


def existing_project(root: Path) -> Path:
    """A small Sphinx + MyST project of its own: alabaster, its title, a page."""
    root.mkdir()
    (root / "conf.py").write_text(CONF, "utf-8")
    (root / "index.md").write_text("# Acme Platform\n\n```{toctree}\nguide\n```\n", "utf-8")
    (root / "guide.md").write_text("# Guide\n\nOur own page.\n", "utf-8")
    return root


def adopted(root: Path) -> None:
    """What the user does after `handover init`, as it tells them."""
    conf = root / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace('["myst_parser"]', '["myst_parser", "sphinx_handover"]'), "utf-8")
    (root / "index.md").write_text("# Acme Platform\n\n```{toctree}\nguide\nhandover\n```\n", "utf-8")


def sphinx_build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "build", "-q", *options, str(root), str(root / "_build" / "html")],
        capture_output=True,
        text=True,
        cwd=root.parent,
    )


def test_init_adds_the_package_and_changes_nothing_of_the_project(cli, tmp_path):
    root = existing_project(tmp_path / "docs")
    before = {path.name: path.read_text("utf-8") for path in root.iterdir()}
    result = cli("init", "docs", "--language", "en", "--set", "system_name=Acme Billing", "--no-input")
    assert result.code == 0, result.err
    for name, text in before.items():
        assert (root / name).read_text("utf-8") == text
    assert (root / "handover.yaml").is_file() and (root / "handover.md").is_file()
    assert (root / "chapters" / "03-runbooks.md").is_file() and (root / "runbooks" / "batch-rerun.md").is_file()
    for left_out in (".github", ".gitlab-ci.yml", ".gitignore"):
        assert not (root / left_out).exists()
    assert 'add "sphinx_handover" to extensions' in result.out
    assert "toctree: handover" in result.out


def test_the_adopted_project_keeps_its_theme_and_title(cli, tmp_path):
    root = existing_project(tmp_path / "docs")
    assert cli("init", "docs", "--language", "en", "--no-input").code == 0
    adopted(root)
    built = sphinx_build(root, "-D", f"handover_as_of={AS_OF}")
    assert "Traceback" not in built.stderr and "sphinx_handover: error" not in built.stderr, built.stderr
    guide = (root / "_build" / "html" / "guide.html").read_text("utf-8")
    assert "<title>Guide &#8212; Acme Platform</title>" in guide
    assert "alabaster" in guide and "furo" not in guide
    assert (root / "_build" / "html" / "handover.html").is_file()
    # `handover build` reads the same conf.py as data and gives the same site.
    result = cli("build", "docs", "--as-of", AS_OF)
    assert result.code in (0, 1), result.err
    guide = (root / "_build" / "html" / "guide.html").read_text("utf-8")
    assert "<title>Guide &#8212; Acme Platform</title>" in guide and "alabaster" in guide


def test_a_conflict_is_listed_and_nothing_is_written(cli, tmp_path):
    root = existing_project(tmp_path / "docs")
    (root / "chapters").mkdir()
    (root / "chapters" / "05-security.md").write_text("# Ours\n", "utf-8")
    (root / "handover.yaml").write_text("mine: 1\n", "utf-8")
    (root / "runbooks").write_text("a file where a folder would go\n", "utf-8")
    before = sorted(str(path.relative_to(root)) for path in root.rglob("*"))
    result = cli("init", "docs", "--language", "en", "--no-input")
    assert result.code == 2
    assert "3 conflict(s)" in result.err
    assert "docs/handover.yaml: exists" in result.err
    assert "docs/chapters/05-security.md: exists" in result.err
    assert "docs/runbooks: is a file or a link" in result.err
    assert sorted(str(path.relative_to(root)) for path in root.rglob("*")) == before
    assert (root / "handover.yaml").read_text("utf-8") == "mine: 1\n"


def test_an_interrupted_init_leaves_the_project_as_it_was(tmp_path, monkeypatch):
    from handover_kit.authoring import init, questions

    root = existing_project(tmp_path / "docs")
    before = sorted(path.name for path in root.rglob("*"))
    answers = questions.collect({"language": "en"}, interactive=False)
    written = []
    real_open = Path.open

    def interrupted(self, mode="r", *args, **kwargs):
        if mode == "x":
            written.append(self)
            if len(written) == 5:
                raise KeyboardInterrupt
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        init.adopt(root, answers)
    assert sorted(path.name for path in root.rglob("*")) == before


def test_init_needs_a_sphinx_project_and_takes_its_language(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("init", "empty", "--no-input")
    assert result.code == 2 and "no conf.py, so not a Sphinx project" in result.err
    root = existing_project(tmp_path / "docs")
    (root / "conf.py").write_text(CONF + 'language = "ja"\n', "utf-8")
    result = cli("init", "docs", "--language", "en", "--no-input")
    assert result.code == 2 and "use --language ja" in result.err
    assert not (root / "handover.yaml").exists()
    assert cli("init", "docs", "--no-input").code == 0
    assert 'language: "ja"' in (root / "handover.yaml").read_text("utf-8")


def test_the_extension_without_handover_yaml_stops_with_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = existing_project(tmp_path / "docs")
    adopted(root)
    built = sphinx_build(root)
    assert built.returncode == 2
    assert built.stderr.strip().splitlines() == [
        "sphinx_handover: error: docs/handover.yaml: not found: conf.py lists sphinx_handover, which reads the "
        "package's data from it; run 'handover init' in this folder to add handover.yaml and the handover pages "
        "[handover.package_data]"
    ]
    (root / "handover.yaml").write_text("schema_version: 1\nproject: [oops\n", "utf-8")
    built = sphinx_build(root)
    assert built.returncode == 2
    (line,) = built.stderr.strip().splitlines()
    assert line.startswith("sphinx_handover: error: docs/handover.yaml:3:1: invalid YAML")
    # Any input error found before reading, e.g. an empty page.
    (root / "handover.yaml").unlink()
    (root / "empty.md").write_text("", "utf-8")
    (root / "conf.py").write_text(CONF, "utf-8")
    from handover_kit.cli import main

    assert main(["init", "docs", "--language", "en", "--no-input"]) == 0
    adopted(root)
    built = sphinx_build(root)
    assert built.returncode == 2
    assert built.stderr.strip().splitlines() == [
        "sphinx_handover: error: docs/empty.md:1: is empty: write its content or delete the file [handover.package_file]"
    ]


def test_a_quickstart_conf_py_builds_with_handover(cli, tmp_path):
    """sphinx-quickstart's conf.py: empty _templates and _static are accepted and left out;
    once a template is in _templates, handover says to build with sphinx-build."""
    root = existing_project(tmp_path / "docs")
    (root / "_templates").mkdir()
    (root / "_static").mkdir()
    (root / "conf.py").write_text(
        textwrap.dedent(
            """\
            # Configuration file for the Sphinx documentation builder.
            project = 'Acme'
            copyright = '2026, Acme'
            author = 'Acme'
            release = '1.0'
            extensions = ['myst_parser', 'sphinx_handover']
            templates_path = ['_templates']
            exclude_patterns = ['_build', 'Thumbs.db', '.DS_Store']
            html_theme = 'alabaster'
            html_static_path = ['_static']
            """
        ),
        "utf-8",
    )
    assert cli("init", "docs", "--language", "en", "--no-input").code == 0
    adopted(root)
    result = cli("check", "docs", "--as-of", AS_OF)
    assert result.code in (0, 1), result.err
    (root / "_templates" / "layout.html").write_text("{% extends '!layout.html' %}\n", "utf-8")
    result = cli("check", "docs", "--as-of", AS_OF)
    assert result.code == 2
    assert "docs/conf.py:7: templates_path names '_templates', which is not empty" in result.err
    assert "build this project with sphinx-build" in result.err


def test_a_project_cannot_publish_its_sources(cli, tmp_path):
    """Sphinx copies every page's source into the site by default; a page's secrets are
    redacted from what the site shows, not from its source, so sphinx_handover turns it off
    even when the project's conf.py asks for it."""
    root = existing_project(tmp_path / "docs")
    assert cli("init", "docs", "--language", "en", "--no-input").code == 0
    adopted(root)
    (root / "conf.py").write_text((root / "conf.py").read_text("utf-8") + "html_copy_source = True\n", "utf-8")
    built = sphinx_build(root, "-D", f"handover_as_of={AS_OF}")
    assert "sphinx_handover: error" not in built.stderr, built.stderr
    assert (root / "_build" / "html" / "guide.html").is_file()
    assert not [
        path for path in (root / "_build" / "html").rglob("*") if path.suffix == ".txt" or path.name.endswith(".md")
    ]
