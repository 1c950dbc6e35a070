"""Collecting the build's other warnings into the verdict.

A broken reference or bad markup makes the package not ready just like a gate rule,
so the JSON report and the CLI's exit code must know about it. A logging handler on
Sphinx's logger records every warning that is not suppressed and not the gate's own.
"""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.logging import is_suppressed_warning
from sphinx.util.nodes import get_node_source

from ..rules.verdict import BuildWarning

_ATTACHED: weakref.WeakKeyDictionary[Sphinx, WarningCollector] = weakref.WeakKeyDictionary()


class WarningCollector(logging.Handler):
    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self._app = weakref.ref(app)
        self.warnings: list[BuildWarning] = []
        self._seen: set[BuildWarning] = set()

    @classmethod
    def attach(cls, app: Sphinx) -> None:
        collector = cls(app)
        logging.getLogger("sphinx").addHandler(collector)
        _ATTACHED[app] = collector

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
        kind, subtype = getattr(record, "type", None), getattr(record, "subtype", None)
        if kind == "handover":
            return
        # Sphinx's check, which takes an untyped warning as no match and names it type.subtype
        if kind is not None and is_suppressed_warning(str(kind), str(subtype), app.config.suppress_warnings):
            return
        file, line = self._locate(app, getattr(record, "location", None))
        label = f"{kind}.{subtype}" if kind and subtype else (kind or "sphinx")
        warning = BuildWarning(label, file, line, record.getMessage())
        if warning not in self._seen:  # MyST reports bad front matter twice, for one
            self._seen.add(warning)
            self.warnings.append(warning)

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
            return _relative(app, location), None
        return None, None


def _relative(app: Sphinx, path: str) -> str:
    path = path.split(":docstring of")[0]
    try:
        return Path(os.path.relpath(path, app.srcdir)).as_posix()
    except ValueError:
        return path
