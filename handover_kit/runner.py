"""Running Sphinx in-process on a handover package and reading back its verdict."""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO, cast

from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace, patch_docutils

from sphinx_handover import Verdict, get_verdict
from sphinx_handover.integration import state
from sphinx_handover.model.package_conf import read_conf
from sphinx_handover.model.package_data import FILENAME

from .build_lock import BuildLock
from .errors import UserError
from .review.progress import Progress

REPORT_NAME = "handover-report.json"


@dataclass(frozen=True)
class BuildRequest:
    package: Path
    out: Path
    as_of: dt.date | None = None
    gate: str | None = None
    html: bool = True
    verbose: bool = False
    #: The process ends right after (the `handover` command): see _CollectorTunedForReading.
    then_exit: bool = False

    @property
    def site(self) -> Path:
        return self.out / "html"

    @property
    def report(self) -> Path:
        return self.out / REPORT_NAME


def _fresh_translators() -> None:
    """Each build starts from Sphinx's message catalogs as a new process would: Sphinx
    keeps its translators in a module global and adds a build's language to the last
    one's, so an English package built after a Japanese one in the same process (tests,
    serve) was titled "… ドキュメント". Sphinx's own tests clear it the same way."""
    sphinx_locale.translators.clear()


def run(
    request: BuildRequest, messages: TextIO | None = None, *, inspect: Callable[[Sphinx], None] | None = None
) -> Verdict:
    """Build (or only check) the package; the verdict comes from the extension.

    *inspect* is called with the finished application: an export reads the build's
    handover.yaml data and needs there, beside the verdict."""
    messages = messages or sys.stderr
    package = require_package(request.package)
    out = require_output_folder(package, request.out)
    overrides: dict[str, object] = {
        **read_conf(package / "conf.py", os.path.relpath(package / "conf.py")),
        "handover_as_of": request.as_of.isoformat() if request.as_of else "",
        "handover_gate": request.gate or "",
        # The report goes beside the site, not inside it; `check` writes none.
        "handover_report": os.path.join("..", REPORT_NAME) if request.html else "",
    }
    builder = "html" if request.html else "handover-check"
    if not messages.isatty():
        nocolor()
    collector = _CollectorTunedForReading(then_exit=request.then_exit)
    # On a terminal, the phase and count in one line; Sphinx's own output with --verbose.
    progress = Progress.for_stream(messages, request.verbose)
    # As sphinx-build does: directives registered by one build must not leak into the next.
    # No conf.py is run and no docutils.conf is read, the package's or an ambient one:
    # its settings could hide warnings or write files (see sphinx_handover.model.package_conf).
    with (
        _no_docutils_conf(),
        patch_docutils(None),
        docutils_namespace(),
        warnings.catch_warnings(),
        collector,
        BuildLock(out),
        progress or nullcontext(),
    ):
        # Deprecation notices about Sphinx's API inside dependencies are not the user's business.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        _fresh_translators()
        app = Sphinx(
            srcdir=package,
            confdir=None,
            outdir=out / "html" if request.html else out / "check",
            doctreedir=out / "doctrees" / builder,
            buildername=builder,
            confoverrides=overrides,
            status=sys.stderr if request.verbose else None,
            # A text stream Sphinx only writes to and flushes; typeshed's io.TextIOBase is no IO[str].
            warning=cast(IO[str], _RelativePaths(messages, package, progress, fold=not request.verbose)),
            freshenv=False,
        )
        app.connect("env-updated", collector.after_reading, priority=999)
        if progress:
            progress.connect(app)
        app.build()
    verdict = get_verdict(app)
    if inspect is not None and verdict is not None:
        inspect(app)
    if verdict is None:
        raise UserError(f"{package}: the build ended before the handover gate ran")
    return verdict


class _CollectorTunedForReading:
    """No full passes of Python's cycle collector while the sources are read.

    Reading builds a heap of long-lived objects (the environment, sphinx-needs' needs),
    and each full pass walks all of it: even with thresholds (2000, 20, 20) those passes took
    3 of `handover check`'s 23 CPU seconds at 5,000 needs, and 9 of 50 at 10,000 (more
    than twice the heap, more than twice the passes). The young generations are
    collected as usual, which frees a document's short-lived cycles. Once reading is
    done, one full collection frees what reading left and the defaults come back, so the
    peak memory of resolving (and writing) the pages stays as it was (raised for the
    whole build, it grew by a tenth; docs/benchmark.md; `check`, which resolves every page
    too, peaked at 233 MB instead of 177 MB at 1,000 needs). Restoring the thresholds at
    the end would start a full pass over the whole heap at the next allocation; when the
    process ends right after, that pass is for nothing (0.27 of `check`'s 4.6 CPU seconds
    at 1,000 needs), so the collector is switched off instead. An incremental build that
    read a few pages does no full pass after reading: the heap, nearly all of it the
    environment loaded from disk, is frozen (``gc.freeze``), so the passes while writing
    skip it (three full passes took a fifth of a one-page rebuild at 1,000 needs).
    """

    #: Full passes after this many young-generation passes: none in any real build.
    RARE = 1_000_000
    #: Pages read by an incremental build, up to which the heap is frozen, not collected.
    FEW_PAGES = 20

    def __init__(self, then_exit: bool) -> None:
        self.then_exit = then_exit
        self.frozen = False

    def __enter__(self) -> _CollectorTunedForReading:
        self.defaults = gc.get_threshold()
        gc.set_threshold(2000, 20, self.RARE)
        return self

    def after_reading(self, app: Sphinx, env: object) -> list[str]:
        if len(state.of(app).pages_read) <= self.FEW_PAGES:
            # An incremental build: reading a few pages left little to free, and a full
            # pass over the environment loaded from disk (0.1 s at 1,000 needs), then each
            # later one while writing, would walk what lives until the end anyway.
            gc.freeze()
            self.frozen = True
        else:
            gc.collect()
        gc.set_threshold(*self.defaults)
        return []

    def __exit__(self, *exc_info: object) -> None:
        if self.then_exit:
            gc.disable()
        else:
            if self.frozen:
                gc.unfreeze()  # a process that goes on (tests, serve) frees it as usual
            gc.set_threshold(*self.defaults)


@contextmanager
def _no_docutils_conf() -> Iterator[None]:
    saved = os.environ.get("DOCUTILSCONFIG")
    os.environ["DOCUTILSCONFIG"] = ""  # docutils reads no configuration file at all
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("DOCUTILSCONFIG", None)
        else:
            os.environ["DOCUTILSCONFIG"] = saved


def require_output_file(package: Path, path: Path, option: str, example: str) -> Path:
    """*path*, a file handover writes (``--junit``, ``--summary``, an export's ``--out``):
    outside the package or under its _build, as the output folder. Anywhere else in the
    package it would replace one of the author's files (``--out index.md``) or add one to
    the package's sources."""
    resolved = Path(os.path.realpath(path))
    if _among_the_packages_files(package, resolved):
        raise UserError(
            f"{path}: {option} names a file inside the package, which would replace or add to its own files; "
            f"write it outside the package or under {Path(package).name}/_build"
        )
    if resolved.is_dir():
        raise UserError(f"{path}: is a folder; {option} names the file to write, e.g. {path / example}")
    return path


def _among_the_packages_files(package: Path, resolved: Path) -> bool:
    """Whether *resolved* (a real path) lies in the package, outside its _build: where
    the build reads sources and the author keeps files."""
    package = Path(os.path.realpath(package))
    return resolved.is_relative_to(package) and not resolved.is_relative_to(package / "_build")


def require_output_folder(package: Path, out: Path) -> Path:
    """The output folder's absolute path: outside the package, or under its _build.

    Anywhere else in the package the build would read its own output as sources, and
    could write over the author's files (a report named like one of theirs)."""
    resolved = Path(os.path.realpath(out))
    if _among_the_packages_files(package, resolved):
        raise UserError(
            f"{out}: the output folder is inside the package; use a folder outside it or under {package.name}/_build"
        )
    if resolved.exists() and not resolved.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    return resolved


def require_package(path: Path) -> Path:
    """The package's absolute path, or a UserError saying why *path* is not one."""
    if not path.is_dir():
        raise UserError(f"{path}: no such directory")
    if not (path / FILENAME).is_file():
        raise UserError(f"{path}: not a handover package ({FILENAME} not found; create one with 'handover new')")
    if not (path / "conf.py").is_file():
        raise UserError(f'{path}: conf.py not found (a package\'s conf.py says extensions = ["sphinx_handover"])')
    return path.resolve()


class _RelativePaths(io.TextIOBase):
    """Shows the package's files relative to the current directory in Sphinx's messages,
    each on one line unless *fold* is off (``--verbose``)."""

    def __init__(self, stream: TextIO, package: Path, progress: Progress | None = None, *, fold: bool = True) -> None:
        self._stream = stream
        self._progress = progress
        self._fold = fold
        self._prefix = str(package) + os.sep
        relative = os.path.relpath(package)
        self._replacement = "" if relative == "." else relative + os.sep

    def write(self, text: str) -> int:
        if self._progress:
            self._progress.clear()  # the warning on a line of its own; the count is drawn again after it
        shown = text.replace(self._prefix, self._replacement)
        self._stream.write(short_words(one_line(shown)) if self._fold else shown)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


#: The rule id Sphinx puts at the end of a warning: ``[docutils]``, ``[needs.create_need]``.
_RULE_TAG = re.compile(r"\s(\[[\w.-]+\])\s*$")


#: A word of a message longer than this is a value pasted into it (a date of 8,000
#: characters, a file name of 3,000): shown by its ends, with its length.
LONGEST_WORD = 200
_LONG_WORD = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def short_words(message: str) -> str:
    """*message* with each over-long word shortened to its first and last characters; the
    whole text is in the report and with -v."""
    return _LONG_WORD.sub(lambda match: f"{match[0][:100]}…{match[0][-40:]} ({len(match[0]):,} characters)", message)


def one_line(message: str) -> str:
    """*message* as one line: docutils and sphinx-needs give some warnings a source dump
    or a block's text below their first line. Its first line is kept (with the next, when
    it ends in a colon), then the rule id; the whole text is in the report and with -v."""
    lines = message.rstrip("\n").split("\n")
    if len(lines) == 1:
        return message
    head = lines[0].rstrip()
    following = next((line.strip() for line in lines[1:] if line.strip()), "")
    if head.endswith(":") and following and not _RULE_TAG.match(" " + following):
        head = f"{head} {_RULE_TAG.sub('', following).rstrip()}"
    tag = _RULE_TAG.search(lines[-1])
    if tag and not head.endswith(tag.group(1)):
        head = f"{head} {tag.group(1)}"
    return head + "\n"
