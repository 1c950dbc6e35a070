"""The verdict: computed once per build, read by every view (banner, JSON report, CLI).

:func:`evaluate` assesses each evidence record, derives the status of each check, runs
every rule of :mod:`.rules` and returns one immutable :class:`Verdict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..integration.need_sources import SourceError
from ..model.artifacts import ArtifactFiles
from ..model.hypercare import Waiver
from ..model.needs import Check, Evidence, PackageNeeds
from ..model.package_data import HandoverData
from ..model.signoffs import Signoff
from ..model.timeline import review_date
from ..secret_scan.secrets_scan import Finding, Unscanned
from ..untrusted.confinement import UnconfinedFile
from ..untrusted.unsafe_html import UnsafeMarkup
from .placeholders import Marker
from .rules_table import Rule

REPORT_SCHEMA_VERSION = 2

#: Check statuses, in the order a reviewer reads them.
STATUSES = ("missing", "failed", "stale", "invalid", "waived", "upcoming", "done")
OPEN_STATUSES = ("missing", "failed", "stale", "invalid")


@dataclass(frozen=True)
class Problem:
    rule: Rule
    need_id: str | None
    file: str | None
    line: int | None
    message: str
    blocking: bool = True
    docname: str | None = None
    need_title: str = ""
    #: Who is to fix it: the check's or the evidence record's owner, when known.
    owner: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.label,
            "need_id": self.need_id,
            "need_title": self.need_title,
            "owner": self.owner or None,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "blocking": self.blocking,
        }


#: MyST's warnings about Markdown it could not parse: malformed input, exit 2.
MALFORMED_MARKDOWN = frozenset(
    f"myst.{subtype}"
    for subtype in (
        "topmatter",
        "directive_parse",
        "directive_option",
        "directive_body",
        "directive_unknown",
        "role_unknown",
    )
)


@dataclass(frozen=True)
class BuildWarning:
    """A Sphinx warning that is not a gate rule (broken reference, bad markup...)."""

    type: str
    file: str | None
    line: int | None
    message: str

    @property
    def input_error(self) -> bool:
        return self.type in MALFORMED_MARKDOWN

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "file": self.file, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class PlaceholderCount:
    """How many template markers a file still holds, how many of them block now, and
    the earliest review one blocks from."""

    file: str
    docname: str | None
    count: int
    blocking: int
    due: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "count": self.count, "blocking": self.blocking, "blocks_from": self.due}


@dataclass(frozen=True)
class EvidenceStatus:
    id: str
    date: dt.date | None
    age_days: int | None
    owner: str
    artifact: str
    kind: str
    result: str
    sha256: str
    counts: bool
    reason: str
    #: The rule behind *reason*; None for a kind mismatch, which is no rule of its own.
    reason_rule: Rule | None
    docname: str
    file: str
    line: int
    #: What a restore test or dry run measured, as handover.yaml writes durations.
    measured_rto: str | None = None
    measured_rpo: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "age_days": self.age_days,
            "owner": self.owner,
            "artifact": self.artifact,
            "kind": self.kind,
            "result": self.result,
            "sha256": self.sha256 or None,
            "counts": self.counts,
            "reason": self.reason or None,
            "measured_rto": self.measured_rto,
            "measured_rpo": self.measured_rpo,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class CheckStatus:
    id: str
    title: str
    gate: str
    due_date: dt.date
    due: bool
    status: str
    verifies: tuple[str, ...]
    evidence: tuple[EvidenceStatus, ...]
    docname: str
    file: str
    line: int
    #: The waiver that stands in for evidence (status "waived"): reason, approver, expiry.
    waiver: dict[str, str] | None = None
    owner: str = ""

    @property
    def satisfied(self) -> bool:
        """Done, or stood in for by a waiver."""
        return self.status in ("done", "waived")

    @property
    def open(self) -> bool:
        """Due and neither done nor waived: it blocks the review."""
        return self.status in OPEN_STATUSES

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "gate": self.gate,
            "due_date": self.due_date.isoformat(),
            "due": self.due,
            "status": self.status,
            "verifies": list(self.verifies),
            "file": self.file,
            "line": self.line,
            "evidence": [item.as_dict() for item in self.evidence],
            "waiver": self.waiver,
            "owner": self.owner or None,
        }


@dataclass(frozen=True)
class SignoffStatus:
    signoff: Signoff
    current: bool
    #: A later record of the same review replaces it.
    superseded: bool
    changes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        record = self.signoff
        return {
            "review": record.review,
            "decision": record.decision,
            "conditions": list(record.conditions),
            "by": record.by,
            "role": record.role,
            "at": record.at,
            "note": record.note or None,
            "fingerprint": record.fingerprint,
            "current": self.current,
            "superseded": self.superseded,
            "changes": list(self.changes),
            "line": record.line,
        }


@dataclass(frozen=True)
class Verdict:
    as_of: dt.date
    gate: str | None
    release_date: dt.date
    system: str
    language: str
    problems: tuple[Problem, ...]
    checks: tuple[CheckStatus, ...]
    build_warnings: tuple[BuildWarning, ...] = ()
    tool_version: str = ""
    #: Secret values found in the package: every view redacts them (never serialised).
    redactions: tuple[str, ...] = ()
    #: Template markers left, per file (pages, included files, handover.yaml).
    placeholders: tuple[PlaceholderCount, ...] = ()
    #: Every sign-off of signoffs.yaml, current or stale.
    signoffs: tuple[SignoffStatus, ...] = field(default=(), compare=False)
    #: What a sign-off now would approve: the parts' digests (see signoff_fingerprint).
    content: dict[str, Any] = field(default_factory=dict, compare=False)
    #: need id -> its type and title, so that a diff of two reports can name them.
    need_titles: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.blocking)

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.build_warnings

    @property
    def input_errors(self) -> tuple[Problem | BuildWarning, ...]:
        """What is malformed in the sources, rather than missing or late in the handover."""
        return (
            *(problem for problem in self.problems if problem.rule.input_error),
            *(warning for warning in self.build_warnings if warning.input_error),
        )

    @property
    def exit_code(self) -> int:
        """0 ready, 1 not ready, 2 when the sources themselves are malformed."""
        if self.input_errors:
            return 2
        return 0 if self.ready else 1

    def checks_on(self, docname: str) -> tuple[CheckStatus, ...]:
        """The checks written on one page."""
        return self._checks_by_page.get(docname, ())

    @cached_property
    def _checks_by_page(self) -> dict[str, tuple[CheckStatus, ...]]:
        # Indexed once: every page written asks.
        by_page: dict[str, list[CheckStatus]] = {}
        for check in self.checks:
            by_page.setdefault(check.docname, []).append(check)
        return {page: tuple(checks) for page, checks in by_page.items()}

    @property
    def gate_date(self) -> dt.date | None:
        return review_date(self.release_date, self.gate) if self.gate else None

    def with_build_warnings(self, warnings: tuple[BuildWarning, ...]) -> Verdict:
        return replace(self, build_warnings=warnings)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for check in self.checks:
            counts[check.status] += 1
        counts.update(
            checks=len(self.checks),
            problems=len(self.problems),
            blocking=len(self.blocking),
            input_errors=len(self.input_errors),
            build_warnings=len(self.build_warnings),
            placeholders=sum(item.count for item in self.placeholders),
        )
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": f"handover-kit {self.tool_version}".strip(),
            "system": self.system,
            "language": self.language,
            "as_of": self.as_of.isoformat(),
            "release_date": self.release_date.isoformat(),
            "gate": self.gate,
            "gate_date": self.gate_date.isoformat() if self.gate_date else None,
            "ready": self.ready,
            "exit_code": self.exit_code,
            "counts": self.counts(),
            "problems": [problem.as_dict() for problem in self.problems],
            "build_warnings": [warning.as_dict() for warning in self.build_warnings],
            "checks": [check.as_dict() for check in self.checks],
            "placeholders": [item.as_dict() for item in self.placeholders],
            "signoffs": [item.as_dict() for item in self.signoffs],
            "content": self.content,
            "needs": self.need_titles,
        }


@dataclass
class GateContext:
    """Everything a rule may read; built once per evaluation."""

    needs: PackageNeeds
    data: HandoverData
    root: Path
    as_of: dt.date
    gate: str | None
    doc_path: Callable[[str], str]
    evidence: dict[str, EvidenceStatus] = field(default_factory=dict)
    #: (evidence id, rule, message) for problems of the record itself.
    evidence_flaws: dict[str, list[tuple[Rule, str]]] = field(default_factory=dict)
    checks: dict[str, CheckStatus] = field(default_factory=dict)
    #: check id -> the evidence records that name it in :proves:.
    proving: dict[str, list[Evidence]] = field(default_factory=dict)
    secrets: tuple[Finding, ...] = ()
    #: Files the secret scan could not read as text (never published).
    unscanned: tuple[Unscanned, ...] = ()
    unsafe_html: tuple[UnsafeMarkup, ...] = ()
    #: Entries of the package the build would not read (links out, loops, special files).
    unconfined: tuple[UnconfinedFile, ...] = ()
    #: Unknown options, missing ids and duplicate ids, found where needs are written.
    source_errors: tuple[SourceError, ...] = ()
    #: check id -> the waiver that holds for it on the as-of date.
    waived: dict[str, Waiver] = field(default_factory=dict)
    #: Template markers a reader of the site meets, with the docname of their page
    #: (None: handover.yaml).
    placeholders: tuple[tuple[Marker, str | None], ...] = ()
    #: need id -> sphinx-needs' fingerprint of its content (what a sign-off approves).
    need_digests: dict[str, str] = field(default_factory=dict)
    #: The evaluation's artifacts, each resolved (outside the build's output folders) and
    #: hashed once for every rule.
    artifacts: ArtifactFiles = field(kw_only=True)

    def max_age(self, check: Check, evidence: Evidence) -> int | None:
        if check.max_age is not None:
            return check.max_age
        policy = self.data.policy.max_age_days
        return policy.get(evidence.kind) or policy.get(check.evidence_kind)
