"""The `handover` command: exit codes, one-line errors, the views of one verdict."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import AS_OF, panel_verdict
from test_gate_rules import evidence, make

from sphinx_handover._version import __version__


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"handover-kit {__version__}"


def test_not_a_package(cli, tmp_path):
    (tmp_path / "notes").mkdir()
    result = cli("build", "notes")
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: notes: not a handover package (handover.yaml not found; create one with 'handover new')"
    )


def test_unknown_gate_and_bad_date_are_usage_errors(cli, package):
    result = cli("check", package.root, "--gate", "T-9")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "invalid choice: 'T-9'" in result.err
    result = cli("check", package.root, "--as-of", "2026-11-31")
    assert result.code == 2
    assert "'2026-11-31' is not a valid date (YYYY-MM-DD)" in result.err


def test_yaml_syntax_error_is_located(cli, package):
    (package.root / "handover.yaml").write_text("schema_version: 1\nproject: [oops\n", "utf-8")
    result = cli("build", package.root)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("handover: error: pkg/handover.yaml:3:1: invalid YAML")
    assert "Traceback" not in result.err


def test_yaml_bad_value_is_located(cli, package):
    text = (package.root / "handover.yaml").read_text("utf-8").replace("2026-12-01", "2026-02-30")
    (package.root / "handover.yaml").write_text(text, "utf-8")
    result = cli("check", package.root)
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: pkg/handover.yaml:6:17: project.release_date: '2026-02-30' is not a valid date (YYYY-MM-DD) "
        "[handover.package_data]"
    )


def test_yaml_unknown_key_suggests(cli, package):
    text = (package.root / "handover.yaml").read_text("utf-8").replace("service:", "servce:")
    (package.root / "handover.yaml").write_text(text, "utf-8")
    result = cli("check", package.root)
    assert result.code == 2
    assert "pkg/handover.yaml:10:1: unknown key 'servce' in handover.yaml (did you mean 'service'?)" in result.err


def test_check_json_is_the_build_report(cli, package):
    make(package, None)
    built = cli("build", package.root, "--as-of", AS_OF)
    checked = cli("check", package.root, "--as-of", AS_OF, "--json")
    assert built.code == checked.code == 1
    assert json.loads(checked.out) == package.report()
    report = package.report()
    assert report["schema_version"] == 2
    assert report["as_of"] == AS_OF and report["gate"] == "T-30" and report["ready"] is False
    assert report["counts"]["missing"] == 1 and report["counts"]["blocking"] == 1


def test_the_last_line_is_the_verdict_in_the_package_language(cli, package, example_copy):
    make(package, evidence())
    assert cli("check", package.root, "--as-of", AS_OF).out == (
        f"READY: Demo service, review T-30 (2026-11-01), as of {AS_OF}: 1/1 checks done, 0 waived, 0 upcoming\n"
    )
    package.page("evidence", "# Evidence\n\nNothing yet.\n")
    assert cli("check", package.root, "--as-of", AS_OF).out == (
        f"NOT READY: Demo service, review T-30 (2026-11-01), as of {AS_OF}: 0/1 checks done, 0 waived, 0 upcoming; 1 blocking problem(s)\n"
    )
    ready = example_copy()
    assert cli("check", ready, "--as-of", "2026-11-20").out == (
        "READY：EC受注サービス、レビュー T-30（2026-11-01）、基準日 2026-11-20："
        "受入チェック 13 件中 12 件完了、リスク受容 0 件、期限前 1 件。承認：T-30、Go（高橋 正樹、service_owner）、有効\n"
    )
    incomplete = example_copy("ec-order-service-incomplete")
    assert cli("check", incomplete, "--as-of", "2026-11-20").out == (
        "NOT READY：EC受注サービス、レビュー T-30（2026-11-01）、基準日 2026-11-20："
        "受入チェック 13 件中 5 件完了、リスク受容 0 件、期限前 4 件。判定を止めている項目 16 件。"
        "承認：T-30、条件付き Go（高橋 正樹、service_owner）、無効：承認後に内容が変わりました\n"
    )


def test_check_writes_no_html(cli, package):
    make(package, evidence())
    assert cli("check", package.root, "--as-of", AS_OF).code == 0
    assert not (package.root / "_build" / "html").exists()
    assert not (package.root / "_build" / "handover-report.json").exists()


def test_check_rereads_only_what_changed(cli, package):
    make(package, evidence())
    assert cli("check", package.root, "--as-of", AS_OF).code == 0
    doctrees = list((package.root / "_build" / "doctrees" / "handover-check").rglob("*.doctree"))
    assert {path.stem for path in doctrees} == set(package.pages) | {"index"}

    package.page("evidence", "# Evidence\n\nNothing yet.\n")
    result = cli("check", package.root, "--as-of", AS_OF, "--verbose")
    assert result.code == 1
    assert "0 added, 1 changed, 0 removed" in result.err
    assert "CHK_MON" in result.output


#: What only resolving a page finds: references, need roles, a table's filter.
RESOLVING_FINDS = """\
    # Links

    See {ref}`no-such-label`, {doc}`no-such-page` and {need}`REQ_NOPE`.

    ```{needtable}
    :filter: no_such_field == 1
    :columns: id
    ```
    """


def _located_warnings(err: str) -> list[str]:
    return sorted(line for line in err.splitlines() if "pkg/links.md:" in line)


def test_check_finds_what_resolving_the_pages_finds_as_the_build_does(cli, package):
    """`check` (and the exports built on it) must not say READY where the build says NOT
    READY: it resolves every page as the build does, warm or cold, and writes none."""
    make(package, evidence())
    assert cli("check", package.root, "--as-of", AS_OF).code == 0
    package.page("links", RESOLVING_FINDS)
    checked = cli("check", package.root, "--as-of", AS_OF)
    built = cli("build", package.root, "--as-of", AS_OF)
    assert checked.code == built.code == 1, checked.output
    found = _located_warnings(checked.err)
    assert found == _located_warnings(built.err)
    assert [
        kind for kind in ("[ref.ref]", "[ref.doc]", "[needs.link_ref]", "[needs.filter]") if kind in "".join(found)
    ] == [
        "[ref.ref]",
        "[ref.doc]",
        "[needs.link_ref]",
        "[needs.filter]",
    ], found
    # A warm check that reads nothing again still has them.
    again = cli("check", package.root, "--as-of", AS_OF, "--verbose")
    assert again.code == 1 and "0 added, 0 changed, 0 removed" in again.err
    assert _located_warnings(again.err) == found
    assert not (package.root / "_build" / "check").exists() or not any((package.root / "_build" / "check").iterdir())


#: What only translating a page finds, or what only an HTML build reads: a code block its
#: lexer rejects, a node the HTML writer fails on, content for HTML only.
TRANSLATING_FINDS = """\
    # Translated

    ```json
    {"port": eighty}
    ```

    ```{eval-rst}
    See [#]_ there.
    ```

    ```{only} html
    Shown in HTML only: {ref}`no-label-in-html-only`.
    ```
    """


def test_check_finds_what_translating_the_pages_finds_as_the_build_does(cli, package):
    """`check` translates every page with the build's HTML translator (writing no file):
    a warning only the translator gives, or content only an HTML build reads, must not
    leave `check` READY while the build is NOT READY, cold or warm."""
    make(package, evidence())
    package.page("translated", TRANSLATING_FINDS)

    def located(result) -> list[str]:
        return sorted(line for line in result.err.splitlines() if "pkg/translated.md:" in line)

    checked = cli("check", package.root, "--as-of", AS_OF)
    built = cli("build", package.root, "--as-of", AS_OF)
    assert checked.code == built.code == 1, checked.output
    found = located(checked)
    assert found == located(built)
    said = "".join(found)
    for kind in ("[misc.highlighting_failure]", "[handover.markup_failed]", "[ref.ref]"):
        assert kind in said, (kind, found)
    assert located(cli("check", package.root, "--as-of", AS_OF)) == found
    assert not (package.root / "_build" / "check").exists()


def test_check_leaves_out_only_the_transforms_that_shape_pages_for_writers(package, tmp_path):
    """Each transform left out is one this Sphinx registers: if a release renames one,
    this fails rather than check quietly walking every page for it again."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    from sphinx_handover.integration.check_builder import WRITERS_ONLY_TRANSFORMS

    make(package, evidence())

    def transforms(builder: str) -> set[tuple[str, str]]:
        with docutils_namespace():
            app = Sphinx(
                package.root,
                package.root,
                tmp_path / builder,
                tmp_path / builder / "doctrees",
                builder,
                status=None,
                warning=None,
            )
        return {(transform.__module__, transform.__name__) for transform in app.registry.get_transforms()}

    html, check = transforms("html"), transforms("handover-check")
    assert html - check == WRITERS_ONLY_TRANSFORMS


def test_out_folder(cli, package, tmp_path):
    make(package, evidence())
    result = cli("build", package.root, "--as-of", AS_OF, "--out", tmp_path / "site")
    assert result.code == 0
    assert (tmp_path / "site" / "html" / "index.html").is_file()
    assert json.loads((tmp_path / "site" / "handover-report.json").read_text("utf-8"))["ready"] is True
    assert not (package.root / "_build").exists()


def test_other_sphinx_warnings_fail_the_build_with_location(cli, package):
    make(package, evidence())
    package.page("notes", "# Notes\n\nSee {doc}`/chapters/nowhere`.\n")
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1
    assert "pkg/notes.md:3: WARNING: unknown document" in result.err
    report = package.report()
    assert report["ready"] is False
    assert report["build_warnings"][0]["file"] == "notes.md"
    assert report["build_warnings"][0]["line"] == 3


def test_ready_site_and_artifact_copy(cli, package):
    make(package, evidence())
    package.page("checks", package.root.joinpath("checks.md").read_text("utf-8") + "\n```{handover-checklist}\n```\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    html = package.root / "_build" / "html"
    assert panel_verdict(html / "index.html") == "READY"
    checks = (html / "checks.html").read_text("utf-8")
    assert 'href="_evidence/evidence/monitoring.md.html"' in checks
    assert "All alerts reviewed." in (html / "_evidence" / "evidence" / "monitoring.md.html").read_text("utf-8")


def test_missing_dot_shows_the_source_and_one_hint(cli, package, monkeypatch):
    make(package, evidence())
    package.page("flow", '# Flow\n\n```{needflow}\n:filter: type in ["req", "check"]\n```\n')
    monkeypatch.setattr("sphinx_handover.views.graphviz_fallback.dot_available", lambda app: False)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    hints = [line for line in result.err.splitlines() if "Graphviz 'dot' was not found" in line]
    assert len(hints) == 1
    flow = (package.root / "_build" / "html" / "flow.html").read_text("utf-8")
    assert "digraph" in flow and "handover-dot-missing" in flow


def test_incremental_build_updates_the_dashboard(cli, package):
    make(package, evidence())
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    index = package.root / "_build" / "html" / "index.html"
    assert panel_verdict(index) == "READY"
    package.page("evidence", "# Evidence\n\nNothing yet.\n")
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1
    assert panel_verdict(index) == "NOT READY"
    assert 'href="checks.html#CHK_MON"' in index.read_text("utf-8")


def test_conf_language_must_match_handover_yaml(cli, package):
    (package.root / "conf.py").write_text('extensions = ["sphinx_handover"]\nlanguage = "ja"\n', "utf-8")
    result = cli("check", package.root)
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: conf.py: language = 'ja' but handover.yaml says project.language: en; make them the same "
        "[handover.package_conf]"
    )


def test_serve_without_the_extra_says_how_to_install_it(cli, package, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sphinx_autobuild", None)
    monkeypatch.setitem(sys.modules, "sphinx_autobuild.__main__", None)
    result = cli("serve", package.root)
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: handover serve needs sphinx-autobuild, an optional extra: pip install 'handover-kit[serve]'"
    )


def test_serve_runs_sphinx_autobuild_with_the_gate_settings(cli, package, monkeypatch):
    monkeypatch.delenv("PYTHONWARNINGS", raising=False)
    calls = []
    monkeypatch.setattr("sphinx_autobuild.__main__.main", lambda argv: calls.append(argv))
    assert cli("serve", package.root, "--as-of", AS_OF, "--gate", "T-7", "--port", "8123").code == 0
    (argv,) = calls
    # Its own output and doctrees: a preview leaves `handover build`'s cache as it was.
    assert argv[:2] == [str(package.root.resolve()), str(package.root / "_build" / "serve" / "html")]
    assert argv[argv.index("--doctree-dir") + 1] == str(package.root / "_build" / "serve" / "doctrees")
    assert "-q" in argv  # quiet: Sphinx's warnings only
    assert "ignore::DeprecationWarning" in os.environ["PYTHONWARNINGS"]
    settings = (
        "handover_report=../handover-report.json",
        "handover_fail_on_not_ready=0",
        f"handover_as_of={AS_OF}",
        "handover_gate=T-7",
    )
    for setting in settings:
        assert setting in argv and argv[argv.index(setting) - 1] == "-D"
    assert argv[argv.index("--port") + 1] == "8123"
    # conf.py is not run: Sphinx is isolated (-C) and gets its literal settings as -D.
    assert "-C" in argv
    assert "extensions=sphinx_handover" in argv and argv[argv.index("extensions=sphinx_handover") - 1] == "-D"


def test_non_utf8_and_empty_sources_are_input_errors(cli, package):
    make(package, evidence())
    page = package.root / "checks.md"
    page.write_bytes("# 確認\n\n本文\n".encode("shift_jis"))
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: pkg/checks.md:1: is not valid UTF-8 text (save it as UTF-8) [handover.package_file]"
    )
    page.write_text("\n  \n", "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.strip() == (
        "handover: error: pkg/checks.md:1: is empty: write its content or delete the file [handover.package_file]"
    )


def test_the_command_exits_with_its_code_and_its_whole_output(package):
    # `handover` leaves without freeing the build's objects (os._exit): what it printed
    # must still all arrive, and a reader that stops early must not cause a traceback.
    make(package, None)
    command = [sys.executable, "-m", "handover_kit", "check", str(package.root), "--as-of", AS_OF, "--json"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["problems"][0]["rule"] == "handover.missing_evidence"

    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    reader.stdout.close()  # as `| head -c0` would
    _, stderr = reader.communicate()
    assert reader.returncode == 1 and b"Traceback" not in stderr


def test_a_build_leaves_the_garbage_collector_as_it_found_it(cli, package):
    make(package, evidence())
    before = gc.get_threshold()
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert cli("check", package.root, "--as-of", AS_OF).code == 0
    assert cli("build", package.root, "--as-of", AS_OF).code == 0  # incremental: the heap was frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # and is collected as usual again once the build is over


def test_a_process_that_ends_after_the_check_skips_the_last_full_collection(package):
    """The `handover` command's process ends after the build: restoring the thresholds
    would start a full pass over the whole heap for nothing, so the collector is off."""
    from handover_kit.runner import BuildRequest, run

    make(package, evidence())
    before = gc.get_threshold()
    request = BuildRequest(package.root, package.root / "_build", html=False, then_exit=True)
    try:
        run(request, io.StringIO())
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.set_threshold(*before)


def test_a_profiler_still_gets_its_data(package, tmp_path):
    make(package, evidence())
    profile = tmp_path / "check.prof"
    command = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(profile),
        "-m",
        "handover_kit",
        "check",
        str(package.root),
        "--as-of",
        AS_OF,
    ]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr
    assert profile.stat().st_size > 0


STOPPING_INPUT = {
    "yaml syntax": ("handover.yaml", lambda text: text + "extra: [oops\n", "package_data"),
    "yaml bad date": ("handover.yaml", lambda text: text.replace("2026-12-01", "2026-02-30", 1), "package_data"),
    "yaml unknown key": (
        "handover.yaml",
        lambda text: text.replace("project:", "project:\n  colour: red", 1),
        "package_data",
    ),
    "yaml duration beyond any": (
        "handover.yaml",
        lambda text: text.replace("hours: 24/7", "hours: 24/7\n  rto: 99999999999999999999h", 1),
        "package_data",
    ),
    "yaml release date near year 1": (
        "handover.yaml",
        lambda text: text.replace("release_date: 2026-12-01", "release_date: 0001-01-01", 1),
        "package_data",
    ),
    "yaml number of 5000 digits": (
        "handover.yaml",
        lambda text: text.replace("policy:", "policy:\n  max_file_mb: " + "9" * 5000, 1),
        "package_data",
    ),
    "conf setting": ("conf.py", lambda text: text + "html_js_files = ['x.js']\n", "package_conf"),
    "conf not python": ("conf.py", lambda text: text + "language = (\n", "package_conf"),
    "docutils.conf": ("docutils.conf", lambda text: "[general]\nreport_level: 5\n", "package_conf"),
    "empty page": ("checks.md", lambda text: "\n", "package_file"),
    "page not UTF-8": ("checks.md", lambda text: "# 確認\n".encode("shift_jis").decode("latin-1"), "package_file"),
}


@pytest.mark.parametrize("name", sorted(STOPPING_INPUT))
def test_input_that_stops_the_build_is_one_located_line_with_a_rule(cli, package, name):
    make(package, evidence())
    relative, change, rule = STOPPING_INPUT[name]
    path = package.root / relative
    text = path.read_text("utf-8") if path.exists() else ""
    changed = change(text)
    if name == "page not UTF-8":
        path.write_bytes(changed.encode("latin-1"))
    else:
        path.write_text(changed, "utf-8")
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert result.code == 2, result.output
        [line] = result.err.strip().splitlines()
        assert line.startswith("handover: error: pkg/"), line
        assert line.endswith(f" [handover.{rule}]"), line
