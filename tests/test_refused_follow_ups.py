"""A refused file is one located line; a file merely *named* like the refused folder
keeps every warning of its own (the follow-up filter keys on a token no package holds)."""

from __future__ import annotations

from pathlib import Path

from conftest import AS_OF

LOOKALIKE = "[outside the package]"


def test_a_file_named_like_the_refused_folder_does_not_hide_its_warnings(cli, package):
    package.page(LOOKALIKE, f"# Lookalike\n\n```{{image}} {LOOKALIKE}.png\n```\n")
    package.page("notes", f"# Notes\n\nText.\n\n```{{literalinclude}} {LOOKALIKE}/gone.txt\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "Traceback" not in built.output
    warnings = package.report()["build_warnings"]
    image = [w for w in warnings if w["file"] == f"{LOOKALIKE}.md" and "not readable" in w["message"]]
    include = [w for w in warnings if w["file"] == "notes.md" and f"{LOOKALIKE}/gone.txt" in w["message"]]
    assert image and include, warnings
    assert "[handover.outside_package]" not in built.err


def test_a_refused_include_is_exactly_one_located_line(cli, package, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.md").write_text("# Outside\n\nnot for the site\n", "utf-8")
    package.page("chapters/leak", "# Leak\n\nBefore.\n\n```{include} ../../elsewhere/page.md\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    naming = [
        line
        for line in built.err.splitlines()
        if "leak" in line or "elsewhere" in line or "outside the package" in line
    ]
    assert len(naming) == 1, built.err
    assert naming[0].startswith("pkg/chapters/leak.md:5: ERROR: ")
    assert naming[0].endswith("[handover.outside_package]")
    assert package.report()["build_warnings"] == []


def _outside_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.endswith("[handover.outside_package]")]


def test_each_refusal_of_one_name_is_located_at_its_own_line(cli, package, tmp_path: Path):
    """The name is mentioned in prose first, then named twice: three lines, two refusals,
    each at the line that names it (not the first line holding the same text)."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "notes.txt").write_text("not for the site\n", "utf-8")
    package.page(
        "chapters/twice",
        """\
        # Twice

        Do not use ../../elsewhere/notes.txt here.

        ```{literalinclude} ../../elsewhere/notes.txt
        ```

        Between.

        ```{literalinclude} ../../elsewhere/notes.txt
        ```
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    located = sorted(line.split(": ERROR: ")[0] for line in _outside_lines(built.err))
    assert located == ["pkg/chapters/twice.md:10", "pkg/chapters/twice.md:5"], built.err


def test_a_file_option_is_located_inside_its_own_directive(cli, package, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "table.csv").write_text("a,b\n", "utf-8")
    package.page(
        "chapters/table",
        """\
        # Table

        ```{csv-table} first
        :file: ../../elsewhere/table.csv
        ```

        ```{csv-table} second
        :file: ../../elsewhere/table.csv
        ```
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    located = sorted(line.split(": ERROR: ")[0] for line in _outside_lines(built.err))
    assert located == ["pkg/chapters/table.md:4", "pkg/chapters/table.md:8"], built.err
