"""What one build knows about its package, kept per Sphinx application.

Nothing here is pickled into the environment: it is read again on every build, so a
changed handover.yaml or a new as-of date can never leave a stale verdict behind.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx

from ..model.artifacts import ArtifactFiles
from ..model.needs import PackageNeeds
from ..model.package_data import HandoverData
from ..rules.placeholders import Marker
from ..rules.verdict import Verdict
from ..secret_scan.secrets_scan import Finding, ScanResult
from ..untrusted.confinement import Confinement, UnconfinedFile
from ..untrusted.unsafe_html import UnsafeMarkup
from .page_digests import PageDigests


@dataclass
class BuildState:
    root: Path
    data: HandoverData
    as_of: dt.date
    #: The --gate asked for; None means "the latest review held by the as-of date".
    requested_gate: str | None
    verdict: Verdict | None = None
    #: The package's needs as the verdict read them (set with it).
    needs: PackageNeeds | None = None
    warned_missing_dot: bool = False
    #: Secrets found in the package's files (their values are redacted from all output).
    secrets: list[Finding] = field(default_factory=list)
    #: What the scan made of every package file: ``scan.publishable(path)`` says whether
    #: a file may reach the site (scanned as text or binary, and no secret in it).
    scan: ScanResult = field(default_factory=ScanResult)
    #: The filter that redacts the build's console messages (removed when it ends).
    message_filter: object | None = None
    unsafe_html: list[UnsafeMarkup] = field(default_factory=list)
    #: Template markers in the package's Markdown and YAML files (the gate keeps those
    #: a reader of the site meets).
    placeholders: list[Marker] = field(default_factory=list)
    #: What this build writes, by kind ("badges", "views"), saved when it succeeds.
    digests: dict[str, PageDigests] = field(default_factory=dict)
    #: docname -> the live views rendered for it before writing, in page order, pickled
    #: (see directives.pages_with_changed_views).
    prerendered: dict[str, bytes] = field(default_factory=dict)
    #: Pages listed as dependents of *anchor* for this build only (see gate).
    added_dependents: set[str] = field(default_factory=set)
    anchor: str = ""
    #: Pages read (added or changed) in this build.
    pages_read: list[str] = field(default_factory=list)
    #: What the build may read (set when it starts), and the entries it found it may not.
    confinement: Confinement | None = None
    unconfined: list[UnconfinedFile] = field(default_factory=list)
    #: The evidence artifacts as the gate resolved and hashed them (set with the verdict),
    #: which the site publishes.
    artifacts: ArtifactFiles | None = None


_STATES: weakref.WeakKeyDictionary[Sphinx, BuildState] = weakref.WeakKeyDictionary()


def start(app: Sphinx, *, root: Path, data: HandoverData, as_of: dt.date, gate: str | None) -> None:
    _STATES[app] = BuildState(root=root, data=data, as_of=as_of, requested_gate=gate)


def of(app: Sphinx) -> BuildState:
    return _STATES[app]


def of_or_none(app: Sphinx) -> BuildState | None:
    """The build's state, or None when the build stopped before the extension started it."""
    return _STATES.get(app)


def get_verdict(app: Sphinx) -> Verdict | None:
    """The build's final verdict (None before the write phase or after a failed start)."""
    build = of_or_none(app)
    return build.verdict if build else None
