"""Bad input in a package's sources: exit 2, one located line per problem, no traceback.

Malformed handover.yaml, non-UTF-8 and empty files, a folder that is no package and bad
command-line values are covered in test_cli.py; this file covers what is written in the
need directives, duplicate ids and oversized files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tracemalloc

import pytest
from conftest import AS_OF
from test_gate_rules import CHECK, evidence, make

from sphinx_handover.model.artifacts import file_sha256

FIFTY_MB = 50 * 1024 * 1024


def build_and_check(cli, root):
    built = cli("build", root, "--as-of", AS_OF)
    checked = cli("check", root, "--as-of", AS_OF)
    assert (built.code, checked.code) == (2, 2), (built.output, checked.output)
    for result in (built, checked):
        assert "Traceback" not in result.output
        assert result.out.startswith("INPUT ERROR ("), result.out
    return built


def located(result, rule: str) -> list[str]:
    return [line for line in result.err.splitlines() if line.endswith(f"[handover.{rule}]")]


@pytest.mark.parametrize(
    ("options", "rule", "message"),
    [
        ({"proofs": "CHK_MON"}, "unknown_option", "evidence: unknown option :proofs: (did you mean :proves:?)"),
        ({"colour": "red"}, "unknown_option", "evidence: unknown option :colour:"),
        ({"owner": None}, "missing_option", "evidence EV_MON needs :owner:"),
        ({"id": None}, "missing_option", "evidence needs :id: (an id starting with EV_)"),
        ({"date": "2026-02-30"}, "invalid_option", "EV_MON: :date: '2026-02-30' is not a valid date (YYYY-MM-DD)"),
        ({"date": "20.11.2026"}, "invalid_option", "EV_MON: :date: '20.11.2026' is not a valid date (YYYY-MM-DD)"),
        ({"result": "passed"}, "invalid_option", "EV_MON: :result: 'passed' is not one of pass, fail"),
        ({"sha256": "abc"}, "invalid_option", "EV_MON: :sha256: 'abc' is not 64 hexadecimal digits"),
        # an empty result is no pass (the default is for a result not written)
        ({"result": ""}, "invalid_option", "EV_MON: :result: is written without a value: write one of pass, fail"),
        # a URL artifact is not fetched: it must at least be an address
        (
            {"artifact": "https://"},
            "invalid_option",
            "EV_MON: artifact 'https://' is no web address: write it as https://host/path",
        ),
        (
            {"artifact": "https://x y"},
            "invalid_option",
            "EV_MON: artifact 'https://x y' is no web address: write it as https://host/path",
        ),
        (
            {"artifact": "https://%00host/x"},
            "invalid_option",
            "EV_MON: artifact 'https://%00host/x' is no web address: write it as https://host/path",
        ),
        # an id a link cannot name: a space, an invisible character
        *(
            (
                {"id": bad},
                "invalid_option",
                f"evidence id {bad!r}: an id is up to 200 letters, digits, '_' and '-', without spaces or invisible "
                "characters (links name needs by it)",
            )
            for bad in ("EV_MON EV_X", "EV_MON\u200b")
        ),
        # more than a million days: no duration Python can hold (it raised OverflowError)
        (
            {"measured_rto": "99999999999999999999h"},
            "invalid_option",
            "EV_MON: :measured_rto: '99999999999999999999h' is not a duration (e.g. 30m, 4h, 1h30m, 3m12s)",
        ),
    ],
)
def test_bad_evidence_options_are_input_errors(cli, package, options, rule, message):
    make(package, evidence(**options))
    built = build_and_check(cli, package.root)
    assert located(built, rule) == [f"pkg/evidence.md:3: ERROR: {message} [handover.{rule}]"]
    report = package.report()
    assert report["exit_code"] == 2 and report["counts"]["input_errors"] >= 1


def test_bad_gate_and_unknown_check_option(cli, package):
    make(package, evidence())
    package.page("checks", CHECK.replace(":gate: T-30", ":gate: T-99\n:verifes: REQ_MON"))
    built = build_and_check(cli, package.root)
    assert located(built, "invalid_option") == [
        "pkg/checks.md:3: ERROR: CHK_MON: :gate: 'T-99' is not one of T-60, T-30, T-7, T+30 [handover.invalid_option]"
    ]
    assert located(built, "unknown_option") == [
        "pkg/checks.md:3: ERROR: check: unknown option :verifes: (did you mean :verifies:?) [handover.unknown_option]"
    ]


def test_duplicate_id_names_both_places_and_fixing_one_restores_the_other(cli, package):
    make(package, evidence())
    package.page("more", evidence(owner="Suzuki").replace("# Evidence", "# More evidence"))
    built = build_and_check(cli, package.root)
    assert located(built, "duplicate_id") == [
        "pkg/more.md:3: ERROR: need id EV_MON is already used at evidence.md:3: each id must be written once [handover.duplicate_id]"
    ]
    assert "needs." not in built.err  # sphinx-needs' own, one-sided warning is not shown too

    # Remove the first one: the other is read again and becomes the need (incremental build).
    (package.root / "evidence.md").write_text("# Evidence\n\nMoved to the next page.\n", "utf-8")
    rebuilt = cli("build", package.root, "--as-of", AS_OF)
    assert rebuilt.code == 0, rebuilt.output
    [check] = package.report()["checks"]
    assert [(record["id"], record["owner"], record["file"]) for record in check["evidence"]] == [
        ("EV_MON", "Suzuki", "more.md")
    ]


def test_plain_sphinx_build_exits_2_on_input_errors_too(package, tmp_path):
    make(package, evidence(proofs="CHK_MON"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(package.root), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 2, result.stderr
    assert "unknown option :proofs: (did you mean :proves:?) [handover.unknown_option]" in result.stderr


def test_oversized_file_is_refused_before_it_is_read(package, tmp_path):
    make(package, evidence())
    baseline = _check_in_subprocess(package.root)
    assert baseline.code == 0, baseline.err
    big = package.root / "evidence" / "full-restore.log"
    with big.open("wb") as stream:
        stream.truncate(FIFTY_MB)  # sparse: 50 MB to the file system, nothing on the disk
    oversized = _check_in_subprocess(package.root)
    assert oversized.code == 2
    assert oversized.err.strip() == (
        "handover: error: evidence/full-restore.log:1: is 50.0 MB, over the 20 MB a package file may be "
        "(policy.max_file_mb in handover.yaml): keep the whole file in the log archive and put an excerpt "
        "or a summary in the package [handover.package_file]"
    )
    # Reading it whole would add 50 MB or more to the peak; refusing it first adds nothing.
    assert oversized.peak_mb < baseline.peak_mb + 20, (oversized.peak_mb, baseline.peak_mb)


def test_artifact_hashing_streams(tmp_path):
    big = tmp_path / "capture.bin"
    chunk = os.urandom(1024 * 1024)
    with big.open("wb") as stream:
        for _ in range(50):
            stream.write(chunk)
    expected = hashlib.sha256(chunk * 50).hexdigest()
    tracemalloc.start()
    try:
        digest = file_sha256(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest == expected
    assert peak < 2 * 1024 * 1024, peak


class _Run:
    def __init__(self, code: int, err: str, peak_kb: int) -> None:
        self.code, self.err, self.peak_mb = code, err, peak_kb / 1024


def _check_in_subprocess(root) -> _Run:
    """`handover check` in a child process, with that process's own peak memory."""
    process = subprocess.Popen(
        [sys.executable, "-m", "handover_kit", "check", str(root), "--as-of", AS_OF],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return _Run(process.returncode, err, usage.ru_maxrss)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "# Evidence\n\n```{evidense} Minutes\n:id: EV_MON\n```\n",
            "pkg/evidence.md:3: WARNING: Unknown directive type: 'evidense' [myst.directive_unknown]",
        ),
        ("---\ntitle: [oops\n---\n# Evidence\n", "pkg/evidence.md:1: WARNING: Malformed YAML [myst.topmatter]"),
    ],
    ids=["misspelled-directive", "broken-front-matter"],
)
def test_malformed_markdown_is_an_input_error(cli, package, page, expected):
    make(package, page)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 2, result.output
    assert expected in result.err.splitlines()
    assert package.report()["exit_code"] == 2


def test_build_and_check_write_nothing_in_the_package_but_the_output_folder(cli, example_copy):
    root = example_copy()

    def snapshot() -> dict[str, tuple[int, str]]:
        return {
            path.relative_to(root).as_posix(): (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
            for path in root.rglob("*")
            if path.is_file() and "_build" not in path.relative_to(root).parts
        }

    before = snapshot()
    for command in ("build", "check", "build"):  # a second build is incremental
        assert cli(command, root, "--as-of", AS_OF).code == 0
    assert snapshot() == before
    assert sorted(path.name for path in root.iterdir() if path.name not in {p.split("/")[0] for p in before}) == [
        "_build"
    ]


def _repeated(page: str, key: str, value: str) -> str:
    """*page* with ``:key: value`` written again right after the block's first option."""
    return page.replace(":id: EV_MON\n", f":id: EV_MON\n:{key}: {value}\n", 1)


@pytest.mark.parametrize(
    ("page", "said"),
    [
        # The reader sees fail first; MyST would hand the gate the last value, pass.
        (_repeated(evidence(result="pass"), "result", "fail"), ":result: is written twice (lines 5 and 10)"),
        (_repeated(evidence(), "proves", "CHK_OTHER"), ":proves: is written twice (lines 5 and 6)"),
        # The YAML form of the option block.
        (
            "# Evidence\n\n```{evidence} Monitoring review minutes\n---\nid: EV_MON\nowner: Kim\nproves: CHK_MON\n"
            "date: 2026-11-02\nartifact: evidence/monitoring.md\nowner: Sato\n---\n```\n",
            ":owner: is written twice (lines 6 and 10)",
        ),
        # Inside another directive, with a longer fence around it.
        (
            "# Evidence\n\n````{note}\nNested.\n\n"
            + evidence().split("\n\n", 1)[1].replace(":date:", ":date: 2026-11-01\n:date:")
            + "````\n",
            ":date: is written twice (lines 9 and 10)",
        ),
    ],
    ids=["result", "proves", "yaml-block", "nested"],
)
def test_an_option_written_twice_is_refused_where_it_is_written_again(cli, package, page, said):
    make(package, page)
    built = build_and_check(cli, package.root)
    [line] = located(built, "invalid_option")
    assert f"ERROR: evidence: {said} and only the last would count: keep one" in line
    again = said.rsplit(" ", 1)[1].rstrip(")")
    assert line.startswith(f"pkg/evidence.md:{again}: "), line


def test_an_option_written_twice_in_rst_is_refused_by_docutils(cli, package):
    make(
        package,
        "# Evidence\n\n```{eval-rst}\n.. evidence:: Minutes\n   :id: EV_MON\n   :result: fail\n   :result: pass\n```\n",
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1 and "Traceback" not in built.output
    assert 'pkg/evidence.md:4: ERROR: Error in "evidence" directive:' in built.err
    assert 'duplicate option "result"' in built.err
    assert package.report()["checks"][0]["status"] != "done"  # no evidence was made of it


@pytest.mark.parametrize(
    ("block", "said"),
    [
        # docutils' class directive with nothing after it to take the class
        (".. rst-class:: hidden\n", 'No suitable element following "rst-class" directive'),
        (".. sectnum::\n", "SectNum could not be applied here (inside {eval-rst}); it is ignored"),
    ],
    ids=["rst-class at the end", "sectnum"],
)
def test_a_directive_eval_rst_leaves_unapplied_is_located_not_a_traceback(cli, package, block, said):
    # MyST leaves these as pending nodes that Sphinx's HTML writer cannot write.
    make(package, evidence())
    package.page("notes", f"# Notes\n\nText.\n\n```{{eval-rst}}\n{block}```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1, built.output
    assert "Traceback" not in built.output
    assert any(line.startswith("pkg/notes.md:6: ") and said in line for line in built.err.splitlines()), built.err
    assert (package.root / "_build" / "html" / "notes.html").is_file()


def test_a_class_eval_rst_gives_a_heading_reaches_its_section(cli, package):
    make(package, evidence())
    package.page("notes", "# Notes\n\n```{eval-rst}\n.. rst-class:: wide\n\nPart\n----\n\nText.\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 0, built.output
    assert '<section class="wide" id="part">' in (package.root / "_build" / "html" / "notes.html").read_text("utf-8")


MULTI_LINE_WARNINGS = {
    # docutils puts the directive's text under its error; sphinx-needs a template's source
    "rst option twice": "```{eval-rst}\n.. note::\n   :class: a\n   :class: b\n\n   Text.\n```\n",
    "list table": "```{eval-rst}\n.. list-table::\n\n   * - a\n   * - b\n     - c\n```\n",
    "malformed grid table": "```{eval-rst}\n+---+\n| x |\n+--+\n```\n",
    "template content": "```{req} Templated\n:id: REQ_T\n:jinja_content: true\n\n{{ nothing.here() }}\n```\n",
}


@pytest.mark.parametrize("name", sorted(MULTI_LINE_WARNINGS))
def test_every_warning_is_one_located_line_with_its_rule(cli, package, name):
    make(package, evidence())
    package.page("notes", "# Notes\n\n" + MULTI_LINE_WARNINGS[name])
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code in (1, 2) and "Traceback" not in built.output
    lines = [line for line in built.err.splitlines() if line.strip()]
    assert any(line.startswith("pkg/notes.md:") for line in lines), built.err
    for line in lines:
        assert re.fullmatch(r"pkg/[\w./-]+:\d+: (WARNING|ERROR): .+ \[[\w.]+\]", line), line
    verbose = cli("build", package.root, "--as-of", AS_OF, "-v")
    assert len(verbose.err.splitlines()) > len(lines)  # the whole text, for the author who asks


#: Markup on which Sphinx or docutils raise instead of warning: while a page is read...
FAILS_READING = {
    "hlist of no columns in reST": ("```{eval-rst}\n.. hlist::\n   :columns: 0\n\n   * a\n```\n", 6, "hlist"),
    "hlist of no columns in MyST": ("```{hlist}\n:columns: 0\n\n* a\n```\n", 5, "hlist"),
}
#: ... and while it is written.
FAILS_WRITING = {
    "footnote reference without its footnote": ("```{eval-rst}\nSee [#]_ there.\n```\n", 6, "footnote_reference"),
}


@pytest.mark.parametrize("name", sorted(FAILS_READING))
def test_markup_that_fails_while_read_stops_at_its_line(cli, package, name):
    block, line, directive = FAILS_READING[name]
    make(package, evidence())
    package.page("notes", "# Notes\n\nText.\n\n" + block)
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 2, result.output
        assert "Traceback" not in result.output
        [said] = result.err.strip().splitlines()
        assert said.startswith(
            f"handover: error: pkg/notes.md:{line}: the directive {directive} could not be processed"
        )
        assert said.endswith("[handover.markup_failed]"), said


@pytest.mark.parametrize("name", sorted(FAILS_WRITING))
def test_markup_that_fails_while_written_is_left_out_at_its_line(cli, package, name):
    block, line, node = FAILS_WRITING[name]
    make(package, evidence())
    package.page("notes", "# Notes\n\nText.\n\n" + block)
    for _ in range(2):  # a warm build still reports it: the page is written again
        result = cli("build", package.root, "--as-of", AS_OF)
        assert result.code == 1, result.output
        assert "Traceback" not in result.output
        located = [entry for entry in result.err.splitlines() if entry.endswith("[handover.markup_failed]")]
        assert located and located[0].startswith(f"pkg/notes.md:{line}: WARNING: {node} could not be written"), located
    page = (package.root / "_build" / "html" / "notes.html").read_text("utf-8")
    assert "Text." in page and "there." in page
    assert package.report()["ready"] is False


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_diagram_graphviz_cannot_read_is_shown_as_its_source_and_located(cli, package):
    make(package, evidence())
    package.page(
        "notes",
        "# Notes\n\n```{graphviz}\ndigraph { ok -> fine }\n```\n\n```{graphviz}\ndigraph { a -> }\n```\n",
    )
    for verb in ("build", "check", "build"):  # the second build keeps the page's warning
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 1, result.output
        located = [line for line in result.err.splitlines() if "[handover.diagram_invalid]" in line]
        assert located == [
            "pkg/notes.md:7: WARNING: the diagram cannot be drawn: Graphviz says <stdin>: syntax error in line 1 "
            "near '}' [handover.diagram_invalid]"
        ], result.err
    page = (package.root / "_build" / "html" / "notes.html").read_text("utf-8")
    assert page.count("handover-dot-missing") == 1 and "digraph { a -&gt; }" in page


def test_a_failure_in_handover_kits_own_code_stays_an_internal_error(cli, package, monkeypatch):
    """The guard turns a failure of Sphinx or docutils on a page's markup into a located
    line; a bug of handover-kit's own (here: in its need directive) keeps its traceback and
    exit 3, so that it is reported, not mistaken for the author's markup."""
    from sphinx_handover.integration import need_sources

    # The directive's own line then fails: "'NoneType' object is not callable".
    monkeypatch.setattr(need_sources, "unsafe_functions", None)
    make(package, evidence())
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 3
    assert "markup_failed" not in result.output and "TypeError: 'NoneType' object is not callable" in result.output
