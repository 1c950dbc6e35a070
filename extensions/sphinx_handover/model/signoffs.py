"""Sign-off records: ``signoffs.yaml`` beside handover.yaml, one decision per record.

The file is a YAML list that only grows: ``handover signoff`` appends a whole record
and never rewrites one. It is a file of its own, not a section of handover.yaml, so
that recording a decision does not change the content the decision approved (the
fingerprint covers handover.yaml's data) and an append never touches authored text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlsrc
from .errors import HandoverInputError
from .timeline import REVIEWS

FILENAME = "signoffs.yaml"
DECISIONS = ("go", "no-go", "conditional")
#: Decisions that let a review pass: a go, or a go with conditions.
APPROVING = ("go", "conditional")
#: The RACI row whose accountable role decides at a review; other reviews take any role.
DECIDING_ROWS: dict[str, tuple[str, ...]] = {
    "T-7": ("release_go_no_go", "acceptance_go_no_go"),
    "T+30": ("hypercare_exit",),
}
#: How far ahead of this machine's clock a record's time may be (another machine's clock).
_CLOCK_SKEW = dt.timedelta(minutes=10)
_TAG = "sha256:"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEYS = ("review", "decision", "conditions", "by", "role", "at", "note", "fingerprint", "parts")


class SignoffFileError(ValueError):
    """signoffs.yaml cannot be read: a message and the line it concerns."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Signoff:
    review: str
    decision: str
    by: str
    role: str
    at: str
    fingerprint: str
    #: part ("needs", "data", "artifacts", "statuses", "verdict") -> name -> digest or value.
    parts: dict[str, Any] = field(default_factory=dict)
    conditions: tuple[str, ...] = ()
    note: str = ""
    line: int = 0

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"review": self.review, "decision": self.decision}
        if self.conditions:
            record["conditions"] = list(self.conditions)
        record.update(by=self.by, role=self.role, at=self.at)
        if self.note:
            record["note"] = self.note
        record.update(fingerprint=self.fingerprint, parts=self.parts)
        return {key: _tagged(value) for key, value in record.items()}


def read(root: Path) -> tuple[str, tuple[Signoff, ...]]:
    """The file's text (empty when absent) and its records, in the order written."""
    path = root / FILENAME
    if not path.is_file():
        return "", ()
    try:  # as handover.yaml is read: located syntax errors; no aliases, tags or duplicate keys
        source, document = yamlsrc.compose(path, FILENAME)
    except HandoverInputError as error:
        raise SignoffFileError(error.line or 1, error.problem) from None
    text = path.read_text("utf-8")
    if document is None:
        return text, ()
    if not isinstance(document, yaml.SequenceNode):
        raise SignoffFileError(document.start_mark.line + 1, "must be a list of sign-off records")
    return text, tuple(_record(source, node) for node in document.value)


def _record(source: yamlsrc.Source, node: yaml.Node) -> Signoff:
    line = node.start_mark.line + 1
    try:
        data = _untagged(yamlsrc.plain_value(source, node))
    except HandoverInputError as error:
        raise SignoffFileError(error.line or line, error.problem) from None
    if not isinstance(data, dict):
        raise SignoffFileError(line, "a sign-off record must be a mapping")
    unknown = [key for key in data if key not in _KEYS]
    if unknown:
        raise SignoffFileError(line, f"unknown key {unknown[0]!r} in a sign-off record")
    for key in ("review", "decision", "by", "role", "at", "fingerprint"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise SignoffFileError(line, f"a sign-off record needs {key!r} (text)")
    if data["review"] not in REVIEWS:
        raise SignoffFileError(line, f"review {data['review']!r}: use one of {', '.join(REVIEWS)}")
    if data["decision"] not in DECISIONS:
        raise SignoffFileError(line, f"decision {data['decision']!r}: use one of {', '.join(DECISIONS)}")
    if not _is_moment(data["at"]):
        raise SignoffFileError(
            line, f"at {data['at']!r}: write the date, time and offset, as in '2026-11-20T17:00:00+09:00'"
        )
    if dt.datetime.fromisoformat(data["at"].strip()) > dt.datetime.now(dt.UTC) + _CLOCK_SKEW:
        # the record would show a decision not yet taken; 'handover signoff --at' refuses it too
        raise SignoffFileError(
            line, f"at {data['at']!r} is in the future: a decision is recorded when or after it is taken"
        )
    parts = data.get("parts") or {}
    conditions = data.get("conditions") or []
    if not isinstance(parts, dict) or not isinstance(conditions, list):
        raise SignoffFileError(line, "'parts' must be a mapping and 'conditions' a list")
    if any(not isinstance(item, str) or not item.strip() for item in conditions):
        raise SignoffFileError(line, "each of 'conditions' must be a condition in words")
    if data["decision"] == "conditional" and not conditions:
        # a conditional go passes the review: what it is conditional on must be written
        raise SignoffFileError(line, "a conditional decision needs its 'conditions'")
    return Signoff(
        review=data["review"],
        decision=data["decision"],
        by=data["by"],
        role=data["role"],
        at=data["at"],
        fingerprint=data["fingerprint"],
        parts=parts,
        conditions=tuple(str(item) for item in conditions),
        note=str(data.get("note") or ""),
        line=line,
    )


def _is_moment(value: str) -> bool:
    """An ISO 8601 date and time with its UTC offset, as ``handover signoff`` writes it."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})", value.strip()):
        return False
    try:
        return dt.datetime.fromisoformat(value.strip()).tzinfo is not None
    except ValueError:
        return False


def _tagged(value: Any) -> Any:
    """Digests written as ``sha256:<hex>``: a bare 64-digit hex value in YAML reads as a
    high-entropy secret to the secret scan, and a tagged one says what it is."""
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, str) and _HEX64.fullmatch(value):
        return f"{_TAG}{value}"
    return value


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _untagged(item) for key, item in value.items()}
    if isinstance(value, str) and value.startswith(_TAG):
        return value.removeprefix(_TAG)
    return value


def record_text(signoff: Signoff) -> str:
    """One record as the YAML text appended to the file."""
    return yaml.safe_dump([signoff.as_record()], allow_unicode=True, sort_keys=False, width=1000)
