"""Collecting the build's other warnings into the verdict.

A broken reference or bad markup makes the package not ready just like a gate rule,
so the JSON report and the CLI's exit code must know about it. A logging handler on
Sphinx's logger records every warning that is not suppressed and not the gate's own,
with the document whose reading or writing gave it (:mod:`.kept_warnings`). Such a
document is read or written again by the next build, and one a build does not redo has
its kept warnings logged again: the verdict's warnings are those every document last
gave plus this build's others, the same in a warm build (one that keeps its output
folder) as in a clean one.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.build_phase import BuildPhase
from sphinx.util.logging import is_suppressed_warning
from sphinx.util.nodes import get_node_source

from ..rules.rules_table import Rule
from ..rules.verdict import BuildWarning
from .kept_warnings import REPLAYED, KeptWarning, WarningRecord, log_again, read_warnings, setup_kept_warnings

_ATTACHED: weakref.WeakKeyDictionary[Sphinx, WarningCollector] = weakref.WeakKeyDictionary()
#: Set on a record once kept: Sphinx hands the warnings it held back while reading or
#: writing to the logger again when it lets them out.
_SEEN = "handover_seen"
#: The extension's own warnings that are the build's, not the verdict's: given while a
#: page is written, after the verdict was made (the others are in the verdict already).
_BUILD_WARNINGS = frozenset({Rule.MARKUP_FAILED.value, Rule.DIAGRAM_INVALID.value})
#: Sphinx's RESOLVING is its CONSISTENCY_CHECK (one value): told apart by write-started.
_WRITING = (BuildPhase.RESOLVING, BuildPhase.WRITING)


class WarningCollector(logging.Handler):
    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self._app = weakref.ref(app)
        self.record = WarningRecord.load(Path(app.doctreedir))
        #: Warnings tied to no document: every build gives them.
        self.others: list[KeptWarning] = []
        #: The documents this build reads, while it reads them (see _before_reading).
        self.reading: list[str] = []
        self.checked = False
        self.write_started = False
        self.consistency: list[KeptWarning] = []
        #: The pages written so far, the one being written and what writing them gave.
        self.resolved: set[str] = set()
        self.writing = ""
        self.written: dict[str, list[KeptWarning]] = {}

    @classmethod
    def attach(cls, app: Sphinx) -> None:
        collector = cls(app)
        logging.getLogger("sphinx").addHandler(collector)
        _ATTACHED[app] = collector

    @classmethod
    def of(cls, app: Sphinx) -> WarningCollector | None:
        return _ATTACHED.get(app)

    @classmethod
    def detach(cls, app: Sphinx) -> WarningCollector | None:
        collector = _ATTACHED.pop(app, None)
        if collector is not None:
            logging.getLogger("sphinx").removeHandler(collector)
        return collector

    def emit(self, record: logging.LogRecord) -> None:
        app = self._app()
        if app is None or getattr(record, "skip_warningsiserror", False):
            return
        if getattr(record, REPLAYED, False) or getattr(record, _SEEN, False):
            return
        setattr(record, _SEEN, True)
        kind, subtype = getattr(record, "type", None), getattr(record, "subtype", None)
        if (kind == "handover" and subtype not in _BUILD_WARNINGS) or _suppressed(app, kind, subtype):
            return
        file, line = self._locate(app, getattr(record, "location", None))
        # The record's own text: once a console handler has seen it, getMessage() adds the place.
        message = logging.LogRecord.getMessage(record)
        self._keep(app, KeptWarning(_text(kind), _text(subtype), file, line, message))

    def _keep(self, app: Sphinx, warning: KeptWarning) -> None:
        """With the document whose reading or writing gave *warning*, else with the others."""
        phase, docname = app.phase, app.env.current_document.docname
        if phase == BuildPhase.READING and (docname or self.reading):
            # A parallel reader's warnings come back to this process located, after the fact.
            if not docname and (located := _document_at(app, warning.file)) in self.reading:
                docname = located
            if docname:
                read_warnings(app.env).setdefault(docname, []).append(warning)
                return
        elif phase == BuildPhase.CONSISTENCY_CHECK and not self.write_started:
            self.consistency.append(warning)
            return
        elif phase in _WRITING:
            # Resolving a page's references names it; translating it does not. A parallel
            # writer's warnings come back located, after the pages were resolved.
            if not docname and getattr(app.builder, "parallel_ok", False):
                located = _document_at(app, warning.file)
                docname = located if located in self.resolved else ""
            docname = docname or self.writing
            if docname:
                self.written.setdefault(docname, []).append(warning)
                return
        self.others.append(warning)

    def now(self, app: Sphinx, *, failed: bool = False) -> WarningRecord:
        """The last consistency check's warnings and what each page last gave when written:
        this build's, else the record's (of a page that is still there)."""
        docs = app.env.all_docs
        # A build that failed may have stopped before the environment it read was saved.
        written = {name: found for name, found in self.record.written.items() if name in docs or failed}
        written.update({name: self.written.get(name, []) for name in self.resolved | self.written.keys()})
        consistency = self.consistency if self.checked else self.record.consistency
        return WarningRecord(consistency, {name: found for name, found in written.items() if found}, True)

    def warnings(self, app: Sphinx) -> tuple[BuildWarning, ...]:
        """The verdict's: what every document last gave when read, this build's others, the
        consistency check's and what every page last gave when written."""
        read, now = read_warnings(app.env), self.now(app)
        kept: Iterable[KeptWarning] = (
            *(warning for docname in sorted(read) for warning in read[docname]),
            *self.others,
            *now.consistency,
            *(warning for docname in sorted(now.written) for warning in now.written[docname]),
        )
        found: dict[BuildWarning, None] = {}  # MyST reports bad front matter twice, for one
        for warning in kept:
            if not _suppressed(app, warning.type, warning.subtype):
                found.setdefault(warning.build_warning())
        return tuple(found)

    @staticmethod
    def _locate(app: Sphinx, location: object) -> tuple[str | None, int | None]:
        """Sphinx passes a (docname, line) pair, a docname, a node or a formatted 'path:line'."""
        if isinstance(location, tuple):
            docname, line = location
            return (app.env.doc2path(docname, False).as_posix() if docname else None), line
        if isinstance(location, nodes.Element):
            try:
                return _relative(app, get_node_source(location)), location.line
            except ValueError:
                return None, location.line
        if isinstance(location, str) and location in app.env.found_docs:
            return app.env.doc2path(location, False).as_posix(), None
        if isinstance(location, str) and location:
            path, _, line = location.rpartition(":")
            if path and line.isdigit():
                return _relative(app, path), int(line)
            return _relative(app, path or location), None
        return None, None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _suppressed(app: Sphinx, kind: object, subtype: object) -> bool:
    # Sphinx's check, which takes an untyped warning as no match and names it type.subtype
    return kind is not None and is_suppressed_warning(str(kind), str(subtype), app.config.suppress_warnings)


def _document_at(app: Sphinx, file: str | None) -> str:
    return (app.env.path2doc(os.path.join(app.srcdir, file)) or "") if file else ""


def _relative(app: Sphinx, path: str) -> str:
    path = path.split(":docstring of")[0]
    try:
        return Path(os.path.relpath(path, app.srcdir)).as_posix()
    except ValueError:
        return path


# --- the build's course ------------------------------------------------------------


def _attach(app: Sphinx) -> None:
    WarningCollector.attach(app)


def _read_again(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The documents whose last reading warned are read again, as a clean build would
    read them: a warning can go away by a change elsewhere (the page a toctree or a
    reference names is added), and then it must not be kept. Without the record of
    what writing gave, every document is read (and written) again."""
    collector = WarningCollector.of(app)
    if collector is None:
        return []
    warned = read_warnings(env).keys() if collector.record.found else env.all_docs.keys()
    return sorted((warned & env.found_docs) - removed)


def _before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    collector = WarningCollector.of(app)
    if collector is not None:
        collector.reading = docnames  # the list Sphinx reads, as other handlers left it


def _after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    collector = WarningCollector.of(app)
    if collector is not None:
        done, collector.reading = set(collector.reading), []
        read = read_warnings(env)
        log_again(app, (warning for docname in sorted(read.keys() - done) for warning in read[docname]))
        # And the pages whose last writing warned are written again (see _read_again).
        return sorted(collector.record.written.keys() & env.found_docs)
    return []


def _consistency_checked(app: Sphinx, env: BuildEnvironment) -> None:
    collector = WarningCollector.of(app)
    if collector is not None:
        collector.checked = True


def _before_writing(app: Sphinx, builder: object) -> None:
    """Sphinx checks consistency only when it read a document: the last check's warnings."""
    collector = WarningCollector.of(app)
    if collector is not None:
        collector.write_started = True
        if not collector.checked:
            log_again(app, collector.record.consistency)


def _resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    collector = WarningCollector.of(app)
    if collector is not None and collector.write_started:
        collector.resolved.add(docname)
        collector.writing = docname


def _pages_written(app: Sphinx) -> list[tuple[str, dict[str, object], str]]:
    collector = WarningCollector.of(app)
    if collector is not None:
        collector.writing = ""  # the pages of documents are written; the index pages follow
    return []


def _finish(app: Sphinx, exception: Exception | None) -> None:
    """Logs what the pages not written again gave; records this build's for the next."""
    collector = WarningCollector.of(app)
    if collector is None:
        return
    record = collector.record
    if exception is None:
        not_written = sorted(record.written.keys() - collector.resolved)
        log_again(app, (warning for name in not_written for warning in record.written[name]))
    collector.now(app, failed=exception is not None).save(Path(app.doctreedir))


def setup_warning_log(app: Sphinx) -> None:
    setup_kept_warnings(app)
    app.connect("builder-inited", _attach)
    app.connect("env-get-outdated", _read_again)
    app.connect("env-before-read-docs", _before_reading, priority=999)
    app.connect("env-updated", _after_reading, priority=1)
    app.connect("env-check-consistency", _consistency_checked)
    app.connect("write-started", _before_writing, priority=1)
    app.connect("doctree-resolved", _resolved, priority=1)
    # After the gate writes the pages that show the verdict again (600), if it does.
    app.connect("html-collect-pages", _pages_written, priority=900)
    # Before the gate's finish (100), which detaches the collector and asks for warnings().
    app.connect("build-finished", _finish, priority=50)
