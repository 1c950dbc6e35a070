"""Running the gate inside a Sphinx build.

The verdict is computed when writing starts (every need has been read and resolved by
then, also on a rebuild where no document changed) and each problem is logged once at
its need's location. Sphinx writes only pages whose source changed; added are the pages
whose live views or check badges differ from what was last written (known only once the
verdict exists, so they are listed as depending on a page Sphinx is writing: one that
was read, else the root page, asked for when reading ends). The verdict holds the
build's other warnings (bad markup, broken references) that every document last gave,
kept between builds (see warning_log); when the build ends it takes in those that
writing gave, is written as the JSON report and decides the exit status.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.api import get_needs_view

from ..model import timeline
from ..model.artifacts import ArtifactFiles
from ..model.needs import read_needs
from ..rules.evaluate import evaluate
from ..rules.placeholders import on_the_site
from ..rules.signoff_fingerprint import NEED_FINGERPRINT
from ..rules.verdict import BuildWarning, Verdict
from ..secret_scan.redact_values import redact_data
from ..views import live_pages
from ..views.badges import pages_with_changed_badges
from ..views.directives import pages_with_changed_views
from . import state
from .check_builder import writes_site
from .files import write_atomically
from .need_sources import source_errors, written_options
from .warning_log import WarningCollector, setup_warning_log

logger = logging.getLogger(__name__)


def setup_gate(app: Sphinx) -> None:
    setup_warning_log(app)
    app.connect("env-get-outdated", _note_pages_read, priority=900)
    app.connect("env-updated", _pages_to_write)
    # After sphinx-needs has post-processed its data (its handler runs at 500).
    app.connect("write-started", compute_verdict, priority=600)
    # Before the search index is written (and before warning_log's, at 900).
    app.connect("html-collect-pages", _show_writing_warnings, priority=600)
    app.connect("build-finished", finish, priority=100)


def _note_pages_read(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    state.of(app).pages_read = sorted(added | changed)
    return []


def _pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    # Pages whose views changed are added to the write once the verdict exists, as
    # dependents of a page being written; when no page was read, the root page is one.
    return [] if state.of(app).pages_read else [app.config.root_doc]


def compute_verdict(app: Sphinx, builder: Builder) -> None:
    build = state.of(app)
    gate = build.requested_gate or timeline.default_gate(build.data.project.release_date, build.as_of)
    view = get_needs_view(app)
    needs = build.needs = read_needs(view.values(), build.as_of, written_options(app.env))
    need_digests = {need["id"]: need.get(NEED_FINGERPRINT) or "" for need in view.values()}

    def doc_path(docname: str) -> str:
        return app.env.doc2path(docname, False).as_posix()

    from .._version import __version__

    outputs = (Path(app.outdir), Path(app.doctreedir))
    build.artifacts = ArtifactFiles(build.root, outputs)
    build.verdict = evaluate(
        needs,
        build.data,
        build.root,
        build.as_of,
        gate,
        doc_path,
        __version__,
        outputs=outputs,
        secrets=build.secrets,
        unsafe_html=build.unsafe_html,
        unscanned=build.scan.unscanned,
        source_errors=source_errors(app.env),
        unconfined=build.unconfined,
        placeholders=on_the_site(build.placeholders, app.env, build.data.path),
        need_digests=need_digests,
        artifacts=build.artifacts,
    ).with_build_warnings(_build_warnings(app))
    for problem in build.verdict.problems:
        if problem.blocking:
            logger.error(
                problem.message,
                location=(problem.docname, problem.line)
                if problem.docname
                else f"{build.root / (problem.file or '')}:{problem.line}",
                type="handover",
                subtype=problem.rule.value,
            )
    if writes_site(app):
        _write_also(app, pages_with_changed_badges(app, build.verdict) | pages_with_changed_views(app))


def _build_warnings(app: Sphinx) -> tuple[BuildWarning, ...]:
    """The build's other warnings: when writing starts, those of reading, of the consistency
    check and of each page's last writing, so the pages written show them; at the end,
    with what writing the pages gave (see warning_log)."""
    collector = WarningCollector.of(app)
    return collector.warnings(app) if collector else ()


def _show_writing_warnings(app: Sphinx) -> list[tuple[str, dict[str, object], str]]:
    """A page can warn while it is written (a broken reference), after the pages that show
    the verdict were written: those are written again with the warning, so the site says
    what the report and the exit code say. Only when writing gave a warning not known
    when writing started (a clean build, or a page changed): at most once per build."""
    build = state.of_or_none(app)
    if build is None or build.verdict is None:
        return []
    warnings = _build_warnings(app)
    if warnings != build.verdict.build_warnings:
        build.verdict = build.verdict.with_build_warnings(warnings)
        app.builder.write_documents(live_pages.of(app.env).keys() & app.env.found_docs)
    return []


def _write_also(app: Sphinx, docnames: set[str]) -> None:
    """Has Sphinx write *docnames* in this build although their sources did not change."""
    build = state.of(app)
    # With each page it writes, Sphinx writes the pages listed for it here (its toctree
    # parents). A page that was read is being written; when none was, the root page is
    # (asked for by _pages_to_write).
    build.anchor = next(iter(build.pages_read), app.config.root_doc)
    dependents = app.env.files_to_rebuild.setdefault(build.anchor, set())
    build.added_dependents = docnames - dependents
    dependents |= docnames


def finish(app: Sphinx, exception: Exception | None) -> None:
    build_warnings = _build_warnings(app)
    WarningCollector.detach(app)
    if exception is not None:
        return
    build = state.of(app)
    _forget_dependents(app, build)
    for digests in build.digests.values():
        digests.save()
    if build.verdict is None:
        return
    build.verdict = build.verdict.with_build_warnings(build_warnings)
    if app.config.handover_report:
        write_report(build.verdict, _report_path(app))
    if not build.verdict.ready and app.config.handover_fail_on_not_ready:
        # Fails plain `sphinx-build` too, with or without -W: 2 for malformed sources.
        app.statuscode = build.verdict.exit_code


def _forget_dependents(app: Sphinx, build: state.BuildState) -> None:
    """What _write_also listed is for this build only, not a real toctree relation."""
    dependents = app.env.files_to_rebuild.get(build.anchor)
    if dependents is not None:
        dependents -= build.added_dependents
    build.added_dependents = set()


def write_report(verdict: Verdict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Redacted as data: json.dumps then escapes [REDACTED] like any other string.
    report = redact_data(verdict.as_dict(), verdict.redactions)
    write_atomically(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def _report_path(app: Sphinx) -> Path:
    return Path(app.outdir, app.config.handover_report)
