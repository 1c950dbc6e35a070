"""The warnings a document gave, kept for the builds that do not read or write it again.

Sphinx reads again only the documents whose source changed and writes again only the
pages that are out of date, so a warning given while reading or writing one of the
others is not given again. The verdict must not depend on that: a warm build (one
that keeps its output folder) has to refuse what a clean build refuses. So each
warning is kept with the document whose reading or writing gave it, where it survives
between builds. A document whose reading warned is read again by the next build, and a
page whose writing warned is written again (a warning can go away by a change to another
page, as a clean build would see); a build that still does not redo one (sphinx-build
given file names writes only those) logs its kept warnings again. Where they are kept:

- **Reading** a document: in the environment, per docname, as :mod:`sphinx.ext.todo`
  keeps its todos. Sphinx pickles the environment after reading, drops a document's
  entry before reading it again or when it is removed (``env-purge-doc``) and merges
  a parallel reader's entries (``env-merge-info``).
- **Checking consistency** (a document in no toctree...) and **writing** a page
  (resolving its references, translating it to HTML): Sphinx does this after it has
  pickled the environment, so these are kept in a record of their own,
  ``handover-warnings.json`` beside the doctrees, written (whole, atomically) when the
  build ends. A page written again replaces its entry; the consistency check, which
  Sphinx runs only when a document was read, replaces its list.

Warnings tied to no document (the configuration, handover.yaml, the gate's own) are
given by every build anyway and are not kept. The record holds what the doctrees next
to it hold (the package's own text), never more; it is the build's, not the package's,
and one that cannot be read has every document read and written again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..rules.verdict import BuildWarning
from .files import write_atomically

logger = logging.getLogger(__name__)

RECORD_NAME = "handover-warnings.json"
#: Changed with the record's layout: a record of another version is not read.
RECORD_VERSION = 1
#: Set on a record this module logs again, so the collector does not keep it twice.
REPLAYED = "handover_replayed"


@dataclass(frozen=True)
class KeptWarning:
    """A warning as Sphinx gave it: its type and subtype, where, and its text."""

    type: str | None
    subtype: str | None
    file: str | None  # relative to the package (the source folder)
    line: int | None
    message: str

    def build_warning(self) -> BuildWarning:
        label = f"{self.type}.{self.subtype}" if self.type and self.subtype else (self.type or "sphinx")
        return BuildWarning(label, self.file, self.line, self.message)

    def as_json(self) -> list[object]:
        return [self.type, self.subtype, self.file, self.line, self.message]

    @classmethod
    def from_json(cls, item: object) -> KeptWarning:
        """Raises ValueError for anything as_json does not write."""
        if not isinstance(item, list) or len(item) != 5:
            raise ValueError(item)
        kind, subtype, file, line, message = item
        texts = (kind, subtype, file)
        if not all(text is None or isinstance(text, str) for text in texts) or not isinstance(message, str):
            raise ValueError(item)
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise ValueError(item)
        return cls(kind, subtype, file, line, message)


# --- reading: kept in the environment --------------------------------------------


class _KeptOnEnv(Protocol):
    handover_read_warnings: dict[str, list[KeptWarning]]  # docname -> warnings, pickled


def read_warnings(env: BuildEnvironment) -> dict[str, list[KeptWarning]]:
    """docname -> the warnings its last reading gave."""
    kept = cast(_KeptOnEnv, env)
    if not hasattr(env, "handover_read_warnings"):
        kept.handover_read_warnings = {}
    return kept.handover_read_warnings


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    read_warnings(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    ours, theirs = read_warnings(env), read_warnings(other)
    for docname in docnames & theirs.keys():
        kept = ours.setdefault(docname, [])
        kept.extend(warning for warning in theirs[docname] if warning not in kept)


# --- consistency check and writing: kept in the record ---------------------------


@dataclass
class WarningRecord:
    """What the last builds' consistency check and page writes warned about."""

    consistency: list[KeptWarning] = field(default_factory=list)
    #: docname -> the warnings the page's last writing gave.
    written: dict[str, list[KeptWarning]] = field(default_factory=dict)
    #: Whether it was read from a record (not a first build, nor a lost or foreign record).
    found: bool = False

    @classmethod
    def load(cls, folder: Path) -> WarningRecord:
        try:
            data = json.loads(Path(folder, RECORD_NAME).read_text("utf-8"))
            if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
                return cls()
            written = data["written"]
            return cls(
                consistency=[KeptWarning.from_json(item) for item in data["consistency"]],
                written={str(name): [KeptWarning.from_json(item) for item in items] for name, items in written.items()},
                found=True,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, folder: Path) -> None:
        data = {
            "version": RECORD_VERSION,
            "consistency": [warning.as_json() for warning in self.consistency],
            "written": {name: [warning.as_json() for warning in self.written[name]] for name in sorted(self.written)},
        }
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_atomically(Path(folder, RECORD_NAME), json.dumps(data, ensure_ascii=False) + "\n")


# --- giving them again ------------------------------------------------------------


def log_again(app: Sphinx, warnings: Iterable[KeptWarning]) -> None:
    """Logs kept warnings as Sphinx first did, at their place (`file:line: WARNING: ...`):
    Sphinx's handlers apply ``suppress_warnings``, ``-W`` and the redaction again."""
    for warning in warnings:
        logger.warning(
            warning.message,
            type=warning.type,
            subtype=warning.subtype,
            location=_place(app, warning),
            extra={REPLAYED: True},
        )


def _place(app: Sphinx, warning: KeptWarning) -> tuple[str, int | None] | str | None:
    """A document's place as Sphinx takes it, (docname, line); another file's as 'path:line'."""
    if warning.file is None:
        return None
    path = os.path.normpath(os.path.join(app.srcdir, warning.file))
    docname = app.env.path2doc(path)
    if docname is not None:
        return docname, warning.line
    return f"{path}:{warning.line or ''}"


def setup_kept_warnings(app: Sphinx) -> None:
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
