"""Nothing outside the package reaches the site, and the file system never ends a build
in a traceback or a hang: pages, includes of every kind, images and downloads are held
to the package root; conf.py is read, never run; docutils.conf is refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import AS_OF

#: Text that appears in the files the vectors point at, and never in a package.
OUTSIDE_TEXT = "outside-secret-7f3a"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the package, holding files no page may publish."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text(f"{OUTSIDE_TEXT}\n", "utf-8")
    (folder / "table.csv").write_text(f"a,{OUTSIDE_TEXT}\n", "utf-8")
    (folder / "page.md").write_text(f"# Outside\n\n{OUTSIDE_TEXT}\n", "utf-8")
    (folder / "snippet.html").write_text(f"<p>{OUTSIDE_TEXT}</p>\n", "utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + OUTSIDE_TEXT.encode() * 4)
    return folder


def _output_holds(root: Path, text: str) -> list[str]:
    found = []
    for path in (root / "_build").rglob("*"):
        if path.is_file() and text.encode() in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def _located(err: str, page: str, line: int) -> bool:
    prefix = f"pkg/{page}:{line}: ERROR: "
    return any(line.startswith(prefix) and line.endswith("[handover.outside_package]") for line in err.splitlines())


# Each vector: the Markdown a page holds; the file it names is outside the package.
VECTORS = {
    "myst include": "```{include} ../../elsewhere/page.md\n```",
    "literalinclude": "```{literalinclude} ../../elsewhere/notes.txt\n```",
    "rst include in eval-rst": "```{eval-rst}\n.. include:: ../../elsewhere/notes.txt\n   :literal:\n```",
    "raw :file:": "```{raw} html\n:file: ../../elsewhere/snippet.html\n```",
    "csv-table :file:": "```{csv-table} t\n:file: ../../elsewhere/table.csv\n```",
    "image": "![x](../../elsewhere/image.png)",
    "figure": "```{figure} ../../elsewhere/image.png\n```",
    "download role": "{download}`get <../../elsewhere/notes.txt>`",
    "absolute path through a link": "```{literalinclude} shortcut.txt\n```",
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_page_cannot_pull_a_file_from_outside(cli, package, outside, name):
    (package.root / "chapters").mkdir()
    (package.root / "chapters" / "shortcut.txt").symlink_to(outside / "notes.txt")
    page = package.page("chapters/leak", f"# Leak\n\nBefore.\n\n{VECTORS[name]}\n")
    lines = page.read_text("utf-8").splitlines()
    naming = next(n for n, text in enumerate(lines, 1) if "elsewhere" in text or "shortcut" in text)
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    assert _located(built.err, "chapters/leak.md", naming), built.err
    assert _output_holds(package.root, OUTSIDE_TEXT) == []
    assert "Traceback" not in built.output
    # One problem, one line: the directive that then finds no file says nothing more.
    assert package.report()["build_warnings"] == []
    assert "outside the package]" not in built.err.replace("[handover.outside_package]", "")


def test_url_options_are_refused_not_fetched(cli, package):
    package.page(
        "remote",
        """\
        # Remote

        ```{csv-table} t
        :url: http://127.0.0.1:9/table.csv
        ```
        """,
    )
    built = cli("check", package.root, "--as-of", AS_OF)
    assert built.code == 1
    assert _located(built.err, "remote.md", 4), built.err
    assert "URL" in built.err


def test_entries_that_are_not_regular_files_of_the_package_are_never_read(cli, package, outside):
    links = package.root / "chapters"
    links.mkdir()
    (links / "leak.md").symlink_to(outside / "page.md")
    (links / "loop-a.md").symlink_to(links / "loop-b.md")
    (links / "loop-b.md").symlink_to(links / "loop-a.md")
    (links / "up").symlink_to(package.root)
    (links / "out").symlink_to(outside)
    os.mkfifo(links / "pipe.md")
    # A FIFO would block the reader forever: the build runs in a subprocess with a timeout.
    result = subprocess.run(
        [sys.executable, "-m", "handover_kit", "build", str(package.root), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=300, cwd=package.root.parent,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    for entry, reason in (
        ("leak.md", "resolves outside the package"),
        ("loop-a.md", "is a symlink loop"),
        ("loop-b.md", "is a symlink loop"),
        ("up", "link to a folder"),
        ("out", "resolves outside the package"),
        ("pipe.md", "is a FIFO"),
    ):
        lines = [line for line in result.stderr.splitlines() if line.startswith(f"pkg/chapters/{entry}:1: ERROR: ")]
        assert lines and reason in lines[0] and lines[0].endswith("[handover.outside_package]"), (entry, result.stderr)
    assert "Traceback" not in result.stderr
    assert _output_holds(package.root, OUTSIDE_TEXT) == []


def test_an_include_inside_the_package_still_works(cli, package):
    package.artifact("snippets/contact.md", "Call the duty phone: 0120-000-000.\n")
    package.page("chapters/contacts", "# Contacts\n\n```{include} ../snippets/contact.md\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "[handover.outside_package]" not in built.err
    assert "0120-000-000" in (package.root / "_build" / "html" / "chapters" / "contacts.html").read_text("utf-8")


def test_conf_py_is_read_as_data_and_never_run(cli, package, tmp_path):
    marker = tmp_path / "ran"
    (package.root / "conf.py").write_text(
        textwrap.dedent(
            f"""\
            extensions = ["sphinx_handover"]
            import pathlib
            pathlib.Path({str(marker)!r}).write_text("conf.py ran")
            """
        ),
        "utf-8",
    )
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.startswith("handover: error: pkg/conf.py:2: ")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("conf", "line", "words"),
    [
        ('extensions = ["sphinx_handover", "sphinx.ext.autodoc"]\n', 1, "extension 'sphinx.ext.autodoc'"),
        (
            'extensions = ["sphinx_handover"]\nhtml_static_path = ["/etc"]\n',
            2,
            "html_static_path names '/etc', which is not empty",
        ),
        ('extensions = ["sphinx_handover"]\nhtml_extra_path = ["/etc"]\n', 2, "'html_extra_path' is not a setting"),
        ('extensions = ["sphinx_handover"]\nlanguage = __import__("os").name\n', 2, "literal value"),
        ('extensions = ["sphinx_handover"]\nif True:\n    language = "en"\n', 2, "without running it"),
        ('extensions = ["myst_parser"]\n', 1, '"sphinx_handover"'),
        ("extensions = [\n", 1, "invalid Python"),
    ],
)
def test_conf_py_beyond_literal_settings_is_refused_at_its_line(cli, package, conf, line, words):
    (package.root / "conf.py").write_text(conf, "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    first = result.err.splitlines()[0]
    assert first.startswith(f"handover: error: pkg/conf.py:{line}: ") and words in first, result.err


def test_literal_conf_settings_are_taken(cli, package):
    (package.root / "conf.py").write_text(
        '"""The package."""\nextensions = ["sphinx_handover"]\nlanguage = "en"\nhtml_title = "Demo handover"\n', "utf-8"
    )
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert "<title>Demo" in (package.root / "_build" / "html" / "index.html").read_text("utf-8")


def test_docutils_conf_is_refused_and_an_ambient_one_is_not_read(cli, package, tmp_path):
    # An ambient docutils.conf in the current folder could hide every warning.
    (tmp_path / "docutils.conf").write_text("[general]\nreport_level: 5\nhalt_level: 5\n", "utf-8")
    package.page("broken", "# Broken\n\n```{no-such-directive}\n```\n")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2 and "pkg/broken.md:3: WARNING: Unknown directive type: 'no-such-directive'" in result.err
    (package.root / "docutils.conf").write_text("[general]\nreport_level: 5\n", "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.startswith("handover: error: pkg/docutils.conf: a package takes no docutils.conf")


def test_output_inside_the_package_is_refused_unless_under_build(cli, package):
    for out in (package.root, package.root / "site", package.root / "chapters"):
        result = cli("build", package.root, "--as-of", AS_OF, "--out", out)
        assert result.code == 2 and "inside the package" in result.err, out
    assert not (package.root / "handover-report.json").exists()
    assert cli("build", package.root, "--as-of", AS_OF, "--out", package.root / "_build" / "ci").code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_output_folder_is_one_line(cli, package, tmp_path):
    out = tmp_path / "readonly"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = cli("build", package.root, "--as-of", AS_OF, "--out", out)
    finally:
        out.chmod(stat.S_IRWXU)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith("handover: error: ")


def test_an_unwritable_output_is_one_line_even_for_root(cli, package, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", "utf-8")
    result = cli("build", package.root, "--as-of", AS_OF, "--out", blocker / "site")
    assert result.code == 2, result.output
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_two_builds_of_one_output_folder_do_not_interleave(cli, package, tmp_path):
    from handover_kit.build_lock import BuildLock

    out = tmp_path / "shared-out"
    with BuildLock(out):  # another build holds the folder
        result = cli("build", package.root, "--as-of", AS_OF, "--out", out)
    assert result.code == 2
    assert "another handover build is writing this folder" in result.err
    assert cli("build", package.root, "--as-of", AS_OF, "--out", out).code == 0


@pytest.mark.parametrize(
    ("tail", "words"),
    [
        ("waivers: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than"),
        ("waivers:\n" + "".join(f"{'  ' * i}- \n" for i in range(3000)), "nested deeper than"),
        ("waivers: &w [{check: CHK_X}]\nhypercare: *w\n", "aliases"),
    ],
)
def test_yaml_shaped_to_exhaust_the_parser_is_one_line(cli, package, tail, words):
    path = package.root / "handover.yaml"
    path.write_text(path.read_text("utf-8") + tail, "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    assert result.err.startswith("handover: error: pkg/handover.yaml:") and words in result.err
    assert "Traceback" not in result.err


def test_a_page_including_itself_and_a_toctree_cycle_end(cli, package):
    package.page("chapters/self", "# Self\n\n```{include} self.md\n```\n")
    package.page("chapters/a", "# A\n\n```{toctree}\nb\n```\n")
    package.page("chapters/b", "# B\n\n```{toctree}\na\n```\n")
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 2 and "Traceback" not in result.output
    assert "pkg/chapters/self.md:1: ERROR: nested too deeply to read" in result.err
    assert "pkg/chapters/b.md:4: ERROR: the toctree lists chapters/a, a page above this one" in result.err
    assert "[handover.page_limits]" in result.err


@pytest.mark.parametrize("character", ["<", "[", "<a "])
def test_a_multi_megabyte_line_is_refused_before_the_parser(cli, package, character):
    line = character * (3_000_000 // len(character))
    package.page("chapters/flood", f"# Flood\n\n{line}\n")
    result = subprocess.run(
        [sys.executable, "-m", "handover_kit", "check", str(package.root), "--as-of", AS_OF],
        capture_output=True, text=True, timeout=600, cwd=package.root.parent,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "pkg/chapters/flood.md:3: ERROR: line 3 is 3,000,000 characters long" in result.stderr
    assert "[handover.page_limits]" in result.stderr


@pytest.mark.parametrize("suppress", ['["handover.secret", "handover.outside_package"]', '["handover"]'])
def test_suppress_warnings_cannot_hide_what_protects_readers(cli, package, outside, suppress):
    (package.root / "conf.py").write_text(
        f'extensions = ["sphinx_handover"]\nsuppress_warnings = {suppress}\n', "utf-8"
    )
    package.page("leaky", "# Leaky\n\npassword: Vx8qLm3Tz9Rw\n\n```{literalinclude} ../elsewhere/notes.txt\n```\n")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 1
    assert "pkg/leaky.md:3: ERROR: " in result.err and "[handover.secret]" in result.err
    assert _located(result.err, "leaky.md", 5), result.err


def test_entries_whose_names_are_not_utf8_are_left_out_and_named(cli, package):
    """A name of bytes that are no UTF-8 (copied from an old file server) reached the
    build's records as lone surrogates and ended the build in a traceback; such a page or
    file is not read, and is reported at its name."""
    from test_gate_rules import evidence, make

    make(package, evidence())
    root = os.fsencode(package.root)
    with open(os.path.join(root, b"\xe3\x81.md"), "wb") as stream:
        stream.write(b"# Half a character\n")
    with open(os.path.join(root, b"evidence", b"\xff\xfe-log.txt"), "wb") as stream:
        stream.write(b"log line\n")
    for verb in ("build", "check", "build"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 1, result.output
        assert "Traceback" not in result.output
        located = [line for line in result.err.splitlines() if "has a name that is not UTF-8 text" in line]
        assert len(located) == 2, result.err
        assert all(line.endswith("rename it [handover.outside_package]") for line in located), located
    report = package.report()
    assert {problem["rule"] for problem in report["problems"]} == {"handover.outside_package"}
    html = package.root / "_build" / "html"
    assert not [path for path in html.rglob("*") if not os.fsencode(path.name).decode("utf-8", "replace").isprintable()]
