"""A warm build (one that keeps its output folder, as a CI cache does) gives the verdict
of a clean one.

Sphinx reads again only the pages whose source changed and writes again only the pages
that are out of date; the warnings the other pages gave must still count, and be shown
again at their place. Each vector is a page that warns while it is read, while the
consistency is checked or while it is written; each is built cold, then warm with no
change, then warm with the page fixed, by `handover check` and by `handover build`.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import AS_OF, panel_verdict
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace
from test_gate_rules import evidence, make

from sphinx_handover import get_verdict


@dataclass(frozen=True)
class Vector:
    name: str
    #: The page "notes.md" (in the toctree) or, for a page in no toctree, "orphan.md".
    page: str
    body: str
    #: The line the warning is shown with (after the package folder's name).
    line: str
    #: Exit code of (check, build); None when the command gives no such warning.
    codes: tuple[int, int]


VECTORS = [
    Vector(
        "unknown directive",
        "notes",
        "# Notes\n\n```{nosuchdirective}\nbody\n```\n",
        "notes.md:3: WARNING: Unknown directive type: 'nosuchdirective' [myst.directive_unknown]",
        (2, 2),
    ),
    Vector(
        "unknown option",
        "notes",
        "# Notes\n\n```{note}\n:no-such-option: x\n\nText.\n```\n",
        "notes.md:4: WARNING: 'note': Unknown option key: 'no-such-option' (allowed: ",
        (2, 2),
    ),
    Vector(
        "malformed front matter",
        "notes",
        "---\ntitle: [unclosed\n---\n# Notes\n\nText.\n",
        "notes.md:1: WARNING: Malformed YAML [myst.topmatter]",
        (2, 2),
    ),
    Vector(
        "unknown need option",
        "notes",
        "# Notes\n\n```{req} Backups are defined\n:id: REQ_BAK\n:colour: red\n```\n",
        "notes.md:3: ERROR: req: unknown option :colour: [handover.unknown_option]",
        (2, 2),
    ),
    Vector(
        "broken reference (written)",
        "notes",
        "# Notes\n\nSee {ref}`no-such-label`.\n",
        "notes.md:3: WARNING: undefined label: 'no-such-label' [ref.ref]",
        (1, 1),  # `check` resolves every page as the build does
    ),
    Vector(
        "page in no toctree (consistency)",
        "orphan",
        "# Orphan\n\nIn no toctree.\n",
        "orphan.md: WARNING: document isn't included in any toctree [toc.not_included]",
        (1, 1),
    ),
]

FIXED = "# {title}\n\nNothing wrong here.\n"


def write_page(package, vector: Vector, body: str) -> None:
    if vector.page == "orphan":
        (package.root / "orphan.md").write_text(body, "utf-8")  # in no toctree
    else:
        package.page(vector.page, body)


def fix_page(package, vector: Vector) -> None:
    if vector.page == "orphan":
        (package.root / "orphan.md").unlink()
    else:
        write_page(package, vector, FIXED.format(title=vector.page.title()))


def verdict_of(cli, package, command: str):
    """The command's result and its JSON report (check prints it, build writes it)."""
    if command == "check":
        result = cli("check", package.root, "--as-of", AS_OF, "--json")
        return result, json.loads(result.out)
    result = cli("build", package.root, "--as-of", AS_OF)
    return result, package.report()


def same_verdict(cold: dict, warm: dict) -> None:
    assert warm["exit_code"] == cold["exit_code"]
    assert warm["counts"] == cold["counts"]
    assert warm["build_warnings"] == cold["build_warnings"]
    assert warm["problems"] == cold["problems"]


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("vector", VECTORS, ids=[vector.name for vector in VECTORS])
class TestWarmBuildKeepsWarnings:
    def test_cold_warm_and_fixed(self, cli, package, command, vector):
        make(package, evidence())
        write_page(package, vector, vector.body)
        code = vector.codes[command == "build"]

        cold, cold_report = verdict_of(cli, package, command)
        assert cold.code == code, cold.output
        assert f"pkg/{vector.line}" in cold.err, cold.err

        warm, warm_report = verdict_of(cli, package, command)
        assert warm.code == code, warm.output
        assert f"pkg/{vector.line}" in warm.err, warm.err
        assert "Traceback" not in warm.output
        same_verdict(cold_report, warm_report)

        fix_page(package, vector)
        fixed, fixed_report = verdict_of(cli, package, command)
        assert fixed.code == 0, fixed.output
        assert vector.line not in fixed.err
        assert fixed_report["build_warnings"] == [] and fixed_report["ready"] is True

    def test_an_edit_to_another_page_keeps_the_warning(self, cli, package, command, vector):
        make(package, evidence())
        write_page(package, vector, vector.body)
        code = vector.codes[command == "build"]
        _, cold_report = verdict_of(cli, package, command)

        # Only req.md is read again (and, in a build, written).
        package.page("req", (package.root / "req.md").read_text("utf-8") + "\nOne more line.\n")
        warm, warm_report = verdict_of(cli, package, command)
        assert warm.code == code, warm.output
        assert f"pkg/{vector.line}" in warm.err, warm.err
        same_verdict(cold_report, warm_report)


def test_suppressed_warnings_stay_suppressed_when_kept(cli, package):
    make(package, evidence())
    package.page("notes", VECTORS[0].body)
    conf = package.root / "conf.py"
    conf.write_text(conf.read_text("utf-8") + 'suppress_warnings = ["myst.directive_unknown"]\n', "utf-8")
    for _ in range(2):
        result = cli("build", package.root, "--as-of", AS_OF)
        assert result.code == 0, result.output
        assert "nosuchdirective" not in result.err


def test_a_lost_record_has_every_page_read_and_written_again(cli, package):
    make(package, evidence())
    package.page("notes", "# Notes\n\nSee {ref}`no-such-label`.\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 1
    (package.root / "_build" / "doctrees" / "html" / "handover-warnings.json").write_text("{not json", "utf-8")
    warm = cli("build", package.root, "--as-of", AS_OF)
    assert warm.code == 1, warm.output
    assert "pkg/notes.md:3: WARNING: undefined label: 'no-such-label' [ref.ref]" in warm.err


def sphinx_build(package, out: Path, *filenames: Path, parallel: int = 0) -> tuple[tuple, str]:
    """sphinx-build in-process into *out* (only *filenames*, when given): the verdict's
    build warnings and what Sphinx logged."""
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            package.root,
            package.root,
            out / "html",
            out / "doctrees",
            "html",
            confoverrides={"handover_as_of": AS_OF},
            status=None,
            warning=warnings,
            parallel=parallel,
        )
        app.build(filenames=list(filenames))
    verdict = get_verdict(app)
    assert verdict is not None
    return verdict.build_warnings, warnings.getvalue()


def test_parallel_read_and_write_keep_each_page_its_warnings(package, tmp_path):
    """sphinx-build -j 2: readers and writers in other processes, warnings merged back."""
    make(package, evidence())
    package.page("notes", VECTORS[0].body)
    package.page("links", "# Links\n\nSee {ref}`no-such-label`.\n")
    for number in range(6):  # enough pages for two chunks
        package.page(f"page{number}", f"# Page {number}\n\nText.\n")
    out = tmp_path / "out"
    cold, cold_log = sphinx_build(package, out, parallel=2)
    assert {warning.type for warning in cold} == {"myst.directive_unknown", "ref.ref"}, cold
    warm, warm_log = sphinx_build(package, out, parallel=2)
    assert warm == cold
    for shown in ("notes.md:3: WARNING: Unknown directive type", "links.md:3: WARNING: undefined label"):
        assert shown in cold_log and shown in warm_log, warm_log


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(
    ("name", "body", "shown", "fix"),
    [
        pytest.param(
            "toctree names a page not written yet",
            "# Notes\n\n```{toctree}\nlater\n```\n",
            "notes.md:3: WARNING: toctree contains reference to nonexisting document 'later'",
            ("later", "# Later\n\nWritten now.\n"),
            id="toctree",
        ),
        pytest.param(
            "reference to a label not written yet",
            "# Notes\n\nSee {ref}`later-label`.\n",
            "notes.md:3: WARNING: undefined label: 'later-label'",
            ("req", "(later-label)=\n# Requirements\n\n```{req} Monitoring is defined\n:id: REQ_MON\n```\n"),
            id="reference",
        ),
    ],
)
def test_a_warning_fixed_by_another_page_goes_as_in_a_clean_build(cli, package, command, name, body, shown, fix):
    """The page that warned did not change: it is read (and written) again all the same."""
    make(package, evidence())
    package.page("notes", body)
    cold, _ = verdict_of(cli, package, command)
    if command == "build" or "toctree" in name:  # check resolves no references
        assert cold.code == 1 and f"pkg/{shown}" in cold.err, cold.output
    package.page(*fix)
    warm, warm_report = verdict_of(cli, package, command)
    assert warm.code == 0, warm.output
    assert shown not in warm.err
    clean = package.root.parent / "clean"
    shutil.copytree(package.root, clean, ignore=shutil.ignore_patterns("_build"))
    clean_report = json.loads(cli("check", clean, "--as-of", AS_OF, "--json").out)
    assert warm_report["build_warnings"] == clean_report["build_warnings"] == []


def test_pages_not_written_again_have_their_warnings_logged_again(package, tmp_path):
    """sphinx-build with file names writes only those pages: the others' kept warnings count."""
    make(package, evidence())
    package.page("notes", "# Notes\n\nSee {ref}`no-such-label`.\n")
    out = tmp_path / "out"
    cold, cold_log = sphinx_build(package, out)
    assert [warning.type for warning in cold] == ["ref.ref"]
    warm, warm_log = sphinx_build(package, out, package.root / "req.md")
    assert warm == cold
    assert "notes.md:3: WARNING: undefined label: 'no-such-label' [ref.ref]" in warm_log, warm_log


@pytest.mark.parametrize("body", [VECTORS[0].body, "# Notes\n\nSee {ref}`no-such-label`.\n"], ids=["read", "written"])
def test_the_banner_says_what_the_report_says(cli, package, body):
    """The panel is written with the warnings known when writing starts; a page written
    after it that warns has it written again, so a clean build's site says it too."""
    make(package, evidence())
    package.page("notes", body)
    html = package.root / "_build" / "html"
    for build in ("cold", "warm"):
        result = cli("build", package.root, "--as-of", AS_OF)
        assert result.code != 0 and package.report()["ready"] is False, build
        assert panel_verdict(html / "index.html") == "NOT READY", build
        assert "notes.md:3" in (html / "index.html").read_text("utf-8"), build


def test_an_upgrade_of_handover_kit_renders_the_verdict_pages_anew(cli, package, monkeypatch):
    """The pages that show the verdict are written again only when what they show changes;
    a new version may draw the same verdict differently, so its first build writes them."""
    import time

    from sphinx_handover.integration import page_digests

    make(package, evidence())
    package.page("status", "# Status\n\n```{handover-checklist}\n```\n")
    status = package.root / "_build" / "html" / "status.html"
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    first = status.stat().st_mtime_ns
    time.sleep(0.05)
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert status.stat().st_mtime_ns == first  # nothing it shows changed
    monkeypatch.setattr(page_digests, "__version__", "99.0.0")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert status.stat().st_mtime_ns != first
