"""Progress of a long build on a terminal: one line on stderr, rewritten in place.

``handover build`` and ``check`` run Sphinx with no status stream (its own output is
shown only with ``--verbose``), so without this a build of a large package is silent
for minutes. On a terminal, once a build has run for :data:`DELAY` seconds, one line
shows its phase and count, from Sphinx's own events: ``reading 120/400 pages`` (from
``env-before-read-docs`` and ``source-read``), ``running the gate`` (``write-started``,
before the gate's own handler), ``writing 80/400 pages`` (each page's
``html-page-context``), ``finishing``. The line is erased before a warning is printed
and at the end, so the warnings and the one-line verdict read as without it. Not on a
terminal (CI logs, pipes) nothing is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Set
from typing import Any, TextIO

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

from sphinx_handover.integration.check_builder import writes_site

#: Seconds before the first line: a quick build shows none.
DELAY = 1.0
#: Seconds between two updates of the count (a phase change shows at once).
INTERVAL = 0.1

_ERASE_LINE = "\r\x1b[2K"


class Progress:
    """The phase and count of one build, drawn on *stream*."""

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.delay, self.interval = DELAY, INTERVAL
        self.started = clock()
        self.last_drawn: float | None = None
        self.shown = False
        self.text = "starting"
        self.phase = ""
        self.done = self.total = 0

    @classmethod
    def for_stream(cls, stream: TextIO, verbose: bool) -> Progress | None:
        """A Progress when *stream* is a terminal and Sphinx's own output is not shown."""
        return None if verbose or not _is_terminal(stream) else cls(stream)

    def connect(self, app: Sphinx) -> None:
        app.connect("env-before-read-docs", self._reading, priority=999)  # after others change the list
        app.connect("source-read", self._read_one)
        app.connect("write-started", self._gate, priority=100)  # before the gate (600)
        app.connect("html-page-context", self._wrote_one)

    def show(self, phase: str, done: int = 0, total: int = 0) -> None:
        changed = phase != self.phase
        self.phase, self.done, self.total = phase, done, total
        self.text = f"{phase} {min(done, total)}/{total} pages" if total else phase
        now = self.clock()
        if now - self.started < self.delay:
            return
        if changed or self.last_drawn is None or now - self.last_drawn >= self.interval:
            self._draw(now)

    def clear(self) -> None:
        """Erase the line (before a warning is printed, and at the end)."""
        if self.shown:
            self.stream.write(_ERASE_LINE)
            self.stream.flush()
            self.shown = False
            self.last_drawn = None  # drawn again at the next count

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.clear()

    def _draw(self, now: float) -> None:
        self.stream.write(f"{_ERASE_LINE}handover: {self.text}")
        self.stream.flush()
        self.shown, self.last_drawn = True, now

    def _reading(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.show("reading", 0, len(docnames))

    def _read_one(self, app: Sphinx, docname: str, source: list[str]) -> None:
        if self.phase == "reading":
            self.show("reading", self.done + 1, self.total)

    def _gate(self, app: Sphinx, builder: Builder) -> None:
        self.show("running the gate")
        # `check` translates its pages too, but writes none: the gate's line stays until the end.
        if writes_site(app):
            # Sphinx has no hook with that number: this one builder's method is wrapped.
            builder.write_documents = self._counting(builder.write_documents)  # type: ignore[method-assign,assignment]

    def _counting(self, write_documents: Callable[[Set[str]], None]) -> Callable[[Set[str]], None]:
        """The builder's own write_documents, told first how many pages it writes: the
        one place Sphinx holds that number (pages whose views changed are added after
        ``write-started``)."""

        def write(docnames: Set[str]) -> None:
            pages = set(docnames)
            self.show("writing", 0, len(pages))
            write_documents(pages)
            self.show("finishing")

        return write

    def _wrote_one(
        self, app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
    ) -> None:
        if self.phase == "writing" and doctree is not None:  # not the index or search pages
            self.show("writing", self.done + 1, self.total)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or a stream-like object
        return False
