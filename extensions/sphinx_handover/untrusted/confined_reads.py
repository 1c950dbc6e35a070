"""Holding every file a page reads to :mod:`.confinement`.

Three ways exist for a page to pull a file into the site, and each is closed here:

* Files Sphinx finds as pages. Sphinx walks the source folder following symlinks, so
  a page linked to a file outside, a FIFO named ``x.md`` or a link to ``..`` would be
  read (or never finish). Before Sphinx looks, the package is walked without following
  links and every entry :mod:`.confinement` refuses is excluded and reported.
* Files a directive or role names. Sphinx and MyST turn every such name into a path
  with ``BuildEnvironment.relfn2path``: ``include`` (Markdown and reST),
  ``literalinclude``, images and figures, ``{download}``, ``graphviz`` and
  sphinx-needs' ``needimport``. Sphinx has no hook between that call and the open, so
  while documents are read the environment's ``relfn2path`` answers a refused path
  with one that does not exist: the directive reports its own "not found", and the
  gate reports why at the line that names the file.
* docutils' ``raw`` and ``csv-table`` read ``:file:`` with their own path joining, and
  fetch ``:url:`` from the network; they are replaced by versions that confine the
  file and refuse the URL.

Refusals found while reading are kept per document in the environment, beside the
need sources' errors, so an incremental build that does not read a page again still
reports them.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives as rst_directives
from docutils.parsers.rst.directives.misc import Raw
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..i18n.messages import _
from ..integration import state
from ..integration.need_sources import SourceError, first_line_where, record_source_error, recorded_errors
from ..rules.rules_table import Rule
from .confinement import Confinement, Refused, UnconfinedFile

#: The folder name a refused path is given: it never exists, so the file is never opened.
#: Its random part, drawn once per process (forked readers inherit it), is what the
#: follow-up filter keys on: no file name in a package can hold it, so a user's file
#: named "[outside the package].md" keeps its warnings.
_REFUSED = f"[outside the package]{secrets.token_hex(8)}"


def setup_confined_reads(app: Sphinx) -> None:
    # After configure_package (5) has started the build's state; before Sphinx lists sources.
    app.connect("config-inited", exclude_unconfined_entries, priority=6)
    app.connect("env-before-read-docs", _guard_file_names)
    app.connect("env-updated", _release_file_names, priority=100)
    app.add_directive("raw", ConfinedRaw, override=True)
    app.add_directive("csv-table", ConfinedCSVTable, override=True)
    # After sphinx-needs has registered its directives (500).
    app.connect("config-inited", _wrap_needimport, priority=900)


def confinement(app: Sphinx) -> Confinement:
    build = state.of(app)
    if build.confinement is None:
        build.confinement = Confinement.of(build.root, [app.outdir, app.doctreedir])
    return build.confinement


# --- pages ---------------------------------------------------------------------------


def exclude_unconfined_entries(app: Sphinx, config: Config) -> None:
    """Every link, loop or special file in the package is left out of Sphinx's walk."""
    build = state.of(app)
    found = list(_unconfined_entries(confinement(app), build.root))
    build.unconfined = found
    patterns = [_glob_escape(entry.path.relative_to(build.root).as_posix()) for entry in found]
    config.exclude_patterns = list(dict.fromkeys([*config.exclude_patterns, *patterns]))


def _unconfined_entries(guard: Confinement, root: Path) -> list[UnconfinedFile]:
    found = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        base = Path(folder)
        kept = []
        for name in subfolders:
            path = base / name
            if not _is_text(name):
                found.append(_not_text_name(path))
                continue
            if name.startswith(".") or name in ("_build", "__pycache__") or not guard.contains(path):
                if path.is_symlink():
                    found.append(UnconfinedFile(path, _reason(guard, path)))
                continue
            if path.is_symlink():
                found.append(UnconfinedFile(path, _("is a link to a folder, which the build does not follow")))
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in names:
            path = base / name
            if not _is_text(name):
                found.append(_not_text_name(path))
                continue
            if name.startswith("."):
                continue
            if path.is_symlink() or not path.is_file():
                try:
                    guard.file(path)
                except Refused as reason:
                    found.append(UnconfinedFile(path, str(reason)))
    return sorted(found, key=lambda entry: entry.path)


def _not_text_name(path: Path) -> UnconfinedFile:
    return UnconfinedFile(path, _("has a name that is not UTF-8 text"), _("rename it"))


def _is_text(name: str) -> bool:
    """Whether a name read from the disk is UTF-8 (Python keeps other bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reason(guard: Confinement, path: Path) -> str:
    try:
        guard.file_or_folder(path)
    except Refused as reason:
        return str(reason)
    return _("is a link to a folder, which the build does not follow")


def _glob_escape(relative: str) -> str:
    """Sphinx's exclude patterns are globs over NFC names: match this one entry only."""
    name = unicodedata.normalize("NFC", relative)
    return re.sub(r"([*?\[])", r"[\1]", name)


# --- names in directives and roles -------------------------------------------------


def _guard_file_names(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # Attributes of this environment for the reading phase only: gone before Sphinx
    # pickles it, and every forked reader process inherits them.
    env.relfn2path = _ConfinedRelfn2path(env, confinement(app))  # type: ignore[method-assign]
    # Not an attribute BuildEnvironment declares: set (and popped) through its __dict__.
    env.__dict__["handover_confinement"] = confinement(app)
    for handler in logging.getLogger("sphinx").handlers:
        handler.addFilter(_REFUSED_FOLLOW_UPS)


class _RefusedFollowUps(logging.Filter):
    """A refused name is reported once, as outside_package; the directive that then finds
    no file ("file not found: [outside the package]<token>/...") says nothing more. Only
    a message naming the refused path itself is dropped: it holds the token of
    :data:`_REFUSED`, which no text written in the package can."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _REFUSED not in record.getMessage()


_REFUSED_FOLLOW_UPS = _RefusedFollowUps()


class _ConfinedRelfn2path:
    """``relfn2path`` of one environment, with every resolved name held to the package."""

    def __init__(self, env: BuildEnvironment, guard: Confinement) -> None:
        self.env = env
        self.guard = guard

    def __call__(self, filename: str | Path, docname: str | None = None) -> tuple[str, str]:
        env = self.env
        relative, absolute = BuildEnvironment.relfn2path(env, filename, docname)
        if not os.path.lexists(absolute):
            return relative, absolute  # nothing to read: the directive says "not found"
        try:
            self.guard.file_or_folder(absolute)
        except Refused as reason:
            _refuse(env, docname or env.docname, str(filename), str(reason))
            # Callers use either path (the image collector the relative one): neither exists.
            refused = posixpath.join(_REFUSED, os.path.basename(absolute))
            return refused, os.path.join(env.srcdir, refused)
        return relative, absolute

    def __reduce__(self) -> tuple[type, tuple[()]]:
        # A parallel reader sends its environment back pickled, with this attribute; the
        # copy is only merged from, never read with, so it carries nothing.
        return (type(None), ())


def _release_file_names(app: Sphinx, env: BuildEnvironment) -> list[str]:
    env.__dict__.pop("relfn2path", None)  # back to the class's own method
    env.__dict__.pop("handover_confinement", None)
    for handler in logging.getLogger("sphinx").handlers:
        handler.removeFilter(_REFUSED_FOLLOW_UPS)
    return []


def _refuse(
    env: BuildEnvironment, docname: str, reference: str, reason: str, line: int | None = None, start: int = 1
) -> None:
    """Records a refusal at the line that names *reference*: *line* when the caller knows
    it; else the n-th line naming it for the n-th refusal of it on this page (from
    *start*, the directive's own line, when known), where a line that names it in markup
    (a directive, an option, a link target) is preferred over prose that mentions it."""
    message = _("{reference!r} {reason}: a page may only use files of the package").format(
        reference=reference, reason=reason
    )
    if not line:
        # From the directive's own line the first match is its own; otherwise count.
        earlier = 0 if start > 1 else sum(1 for error in recorded_errors(env, docname) if error.message == message)
        line = first_line_where(env, docname, lambda text: _names(text, reference), earlier + 1, start)
        if not _names_on(env, docname, line, reference):
            line = first_line_where(env, docname, lambda text: reference in text, earlier + 1, start)
    record_source_error(env, SourceError(docname, line, Rule.OUTSIDE_PACKAGE, message))


def _names(text: str, reference: str) -> bool:
    """Whether a source line names *reference* as markup does, not only mentions it."""
    if reference not in text:
        return False
    stripped = text.lstrip()
    return stripped.startswith(("```", "~~~", ":::", ".. ", ":")) or any(
        f"{opening}{reference}" in text for opening in ("(", "<", "{include} ", "{image} ", "{figure} ")
    )


def _names_on(env: BuildEnvironment, docname: str, line: int, reference: str) -> bool:
    return first_line_where(env, docname, lambda text: _names(text, reference), 1, line) == line


# --- docutils' own file readers --------------------------------------------------------


class _ConfinedFileOption:
    """``:file:`` confined like every other name, ``:url:`` refused: the build never fetches."""

    options: dict[str, Any]
    state: Any
    lineno: int
    name: str

    def _refused(self) -> bool:
        """Whether an option names what the build may not read (reported as
        outside_package, once: the directive then shows nothing and says nothing more)."""
        env = self.state.document.settings.env
        if "url" in self.options:
            reason = _("is a URL: the build reads no network resource")
            _refuse(env, env.docname, self.options["url"], reason, start=self.lineno)
            return True
        if "file" in self.options:
            source_dir = os.path.dirname(os.path.abspath(self.state.document.current_source))
            path = os.path.normpath(os.path.join(source_dir, self.options["file"]))
            try:
                env.handover_confinement.file(path)
            except Refused as reason:
                _refuse(env, env.docname, self.options["file"], str(reason), start=self.lineno)
                return True
        return False


class ConfinedRaw(_ConfinedFileOption, Raw):  # type: ignore[misc]  # docutils ships no types: Raw is Any
    def run(self) -> list[nodes.Node]:
        return [] if self._refused() else super().run()


class ConfinedCSVTable(_ConfinedFileOption, CSVTable):  # type: ignore[misc]  # docutils ships no types
    def run(self) -> list[nodes.Node]:
        return [] if self._refused() else super().run()


class _NoFetchingNeedImport:
    """sphinx-needs' ``needimport`` fetches URLs (``file://`` included, which reaches any
    file): only a package path is taken, and that goes through ``relfn2path``."""

    arguments: list[str]
    lineno: int
    state: Any

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0].strip() if self.arguments else ""
        if _URL.match(target):
            env = self.state.document.settings.env
            reason = _("is a URL: the build reads no network resource")
            _refuse(env, env.docname, target, reason, self.lineno)
            return []
        # The class is mixed into sphinx-needs' own directive (_wrap_needimport), whose
        # run() mypy cannot see here: untyped.
        return super().run()  # type: ignore[misc,no-any-return]


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _wrap_needimport(app: Sphinx, config: Config) -> None:
    original = rst_directives._directives.get("needimport")
    if original is not None:
        app.add_directive(
            "needimport", type("ConfinedNeedImport", (_NoFetchingNeedImport, original), {}), override=True
        )
