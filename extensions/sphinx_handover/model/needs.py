"""The package's needs, read from sphinx-needs into typed records.

Option values arrive as strings; they are parsed here once, and what cannot be parsed
is kept as an :class:`OptionIssue` for the rules to report at the need's location.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..i18n.messages import _
from ..rules.rules_table import Rule
from .timeline import DEFAULT_GATE, REVIEWS
from .units import parse_duration
from .yamlsrc import parse_date

#: Need type (its directive name, the authoring contract) -> id prefix.
NEED_TYPES: dict[str, str] = {"req": "REQ_", "check": "CHK_", "evidence": "EV_", "runbook": "RB_"}
RESULTS = ("pass", "fail")
#: How a check's evidence age is counted: at the review the check is due at (or the
#: as-of date, if earlier), or on the as-of date always, also after go-live.
FRESHNESS = ("review", "continuous")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class OptionIssue:
    rule: Rule
    message: str


@dataclass(frozen=True)
class Located:
    """What every record shares: identity and source location."""

    id: str
    type: str
    title: str
    docname: str
    lineno: int
    issues: tuple[OptionIssue, ...]


#: A kind of record, for the reader that builds it.
_L = TypeVar("_L", bound=Located)
_V = TypeVar("_V", str, tuple[str, ...])


@dataclass(frozen=True)
class Requirement(Located):
    pass


@dataclass(frozen=True)
class Check(Located):
    verifies: tuple[str, ...]
    gate: str
    max_age: int | None
    evidence_kind: str
    #: Who must deliver the evidence (optional), shown beside a blocking check.
    owner: str = ""
    #: Targets of this part of the service, instead of service.rto / service.rpo.
    target_rto: dt.timedelta | None = None
    target_rpo: dt.timedelta | None = None
    #: "review" (default) or "continuous": see FRESHNESS.
    freshness: str = "review"


@dataclass(frozen=True)
class Evidence(Located):
    proves: tuple[str, ...]
    date: dt.date | None
    owner: str
    artifact: str
    result: str
    kind: str
    sha256: str
    #: What a restore test or dry run measured (compared with the targets).
    measured_rto: dt.timedelta | None = None
    measured_rpo: dt.timedelta | None = None


@dataclass(frozen=True)
class Runbook(Located):
    owner: str
    last_exercised: dt.date | None


@dataclass
class PackageNeeds:
    """Every need of the package, by type, and every id that exists."""

    requirements: dict[str, Requirement] = field(default_factory=dict)
    checks: dict[str, Check] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    runbooks: dict[str, Runbook] = field(default_factory=dict)
    types_by_id: dict[str, str] = field(default_factory=dict)

    def all(self) -> Iterable[Located]:
        yield from self.requirements.values()
        yield from self.checks.values()
        yield from self.evidence.values()
        yield from self.runbooks.values()


class NeedFields(Protocol):
    """One need's fields by name: sphinx-needs' ``NeedItem`` (a mapping in all but its
    base class) or a plain dict."""

    def __getitem__(self, key: str, /) -> Any: ...

    def get(self, key: str, default: Any = None, /) -> Any: ...


def read_needs(
    needs: Iterable[NeedFields], as_of: dt.date, written: Mapping[str, Mapping[str, str]] | None = None
) -> PackageNeeds:
    """Typed records of the package's own needs (external and imported needs are skipped).

    *written* holds each need's options as its block writes them: a field the gate reads
    whose value differs is reported (see :meth:`_Fields.as_written`) and read as written.
    """
    package = PackageNeeds()
    # In page order, whatever order the build read the pages in: every view lists them
    # alike after a full and after an incremental build.
    for need in sorted(needs, key=lambda need: (need.get("docname") or "", need.get("lineno") or 0, need["id"])):
        package.types_by_id[need["id"]] = need["type"]
        if need.get("is_external") or need.get("is_import") or not need.get("docname"):
            continue
        reader = _READERS.get(need["type"])
        if reader is not None:
            record = reader(_Fields(need, as_of, None if written is None else written.get(need["id"], {})))
            getattr(package, _COLLECTIONS[need["type"]])[record.id] = record
    return package


#: sphinx-needs' fields that hide a need (``hide``), fold its fields (``collapse``) or
#: give it another box (``layout``, ``style``, which is a CSS class a theme may hide).
PRESENTATION_FIELDS = ("hide", "collapse", "layout", "style")


class _Fields:
    """Parses one need's options, collecting issues instead of raising."""

    def __init__(self, need: NeedFields, as_of: dt.date, written: Mapping[str, str] | None = None) -> None:
        self.need = need
        self.as_of = as_of
        self.written = written
        self.issues: list[OptionIssue] = []

    def base(self) -> dict[str, Any]:
        need = self.need
        return {
            "id": need["id"],
            "type": need["type"],
            "title": need.get("title") or "",
            "docname": need["docname"],
            "lineno": need.get("lineno") or 1,
        }

    def done(self, cls: type[_L], **values: Any) -> _L:
        self.shown_as_every_need()
        return cls(**self.base(), issues=tuple(self.issues), **values)

    def shown_as_every_need(self) -> None:
        """A need the verdict counts is shown on its page in the site's one form, with
        the fields the gate reads: sphinx-needs' fields that hide the need or change its
        box are refused wherever they are set (the block, needextend, a default)."""
        for name in PRESENTATION_FIELDS:
            value = self.need.get(name)
            if value is None or value is False or value == "":
                continue
            self.issues.append(
                OptionIssue(
                    Rule.HIDDEN_NEED,
                    _(
                        "{id}: :{name}: {value!r} would hide the need or change how its page shows it: the site "
                        "shows every need the verdict counts in one form; remove :{name}:"
                    ).format(id=self.need["id"], name=name, value=value),
                )
            )

    def text(self, name: str, *, required: bool = False, narrows: bool = False) -> str:
        """The option's text. One that *narrows* what counts (``:evidence_kind:``) and is
        written without a value is an issue: read as not written, it would let any
        record count, as ``:result:`` left empty would let a failed one pass."""
        raw: object = self.need.get(name)
        value = self.as_written(name, "" if raw is None else str(raw).strip(), str.strip)
        if required and not value:
            self.missing(name)
        elif narrows and not value and self.written is not None and name in self.written:
            self.invalid(_(":{name}: is written without a value: write its value or remove the line").format(name=name))
        return value

    def ids(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.need.get(name) or []
        ids = self.as_written(name, tuple(str(item).strip() for item in value if str(item).strip()), _link_ids)
        if required and not ids:
            self.missing(name)
        return ids

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.invalid(_(":{name}: {value!r} is not a valid date (YYYY-MM-DD)").format(name=name, value=value))
        return parsed

    def duration(self, name: str) -> dt.timedelta | None:
        value = self.text(name)
        if not value:
            return None
        parsed = parse_duration(value)
        if parsed is None:
            self.invalid(
                _(":{name}: {value!r} is not a duration (e.g. 30m, 4h, 1h30m, 3m12s)").format(name=name, value=value)
            )
        return parsed

    def choice(self, name: str, choices: Iterable[str], default: str) -> str:
        choices = tuple(choices)
        value = self.text(name)
        if not value and self.written is not None and name in self.written:
            # ':result:' left empty is no pass: the default is for an option not written
            self.invalid(
                _(":{name}: is written without a value: write one of {choices}").format(
                    name=name, choices=", ".join(choices)
                )
            )
            return default
        value = value or default
        if value not in choices:
            self.invalid(
                _(":{name}: {value!r} is not one of {choices}").format(
                    name=name, value=value, choices=", ".join(choices)
                )
            )
            return default
        return value

    def as_written(self, name: str, value: _V, parse: Callable[[str], _V]) -> _V:
        """*value* if it is what the need's block writes; otherwise the written value, and
        an issue. sphinx-needs lets a need's fields be set from elsewhere (``needextend``
        on another page, a dynamic function, a variant, a default of conf.py), so that
        ``:result: fail`` in the block could reach the gate as pass; the gate reads what
        the reader of the block sees."""
        if self.written is None:
            return value
        text = self.written.get(name)
        expected = parse("" if text is None else text)
        if value == expected or (isinstance(value, tuple) and set(value) == set(expected)):
            return value  # sphinx-needs sorts links
        self.issues.append(
            OptionIssue(
                Rule.SET_ELSEWHERE,
                _(
                    "{id}: :{name}: reads {value!r}, not {written!r} as its block writes: a handover need's "
                    "fields are read as written in its block, not set by needextend, a dynamic function or a "
                    "default of conf.py"
                ).format(id=self.need["id"], name=name, value=_shown(value), written=_shown(expected)),
            )
        )
        return expected

    def missing(self, name: str) -> None:
        self.issues.append(
            OptionIssue(
                Rule.MISSING_OPTION,
                _("{type} {id} needs :{name}:").format(type=self.need["type"], id=self.need["id"], name=name),
            )
        )

    def invalid(self, message: str) -> None:
        self.issues.append(OptionIssue(Rule.INVALID_OPTION, f"{self.need['id']}: {message}"))


def _link_ids(text: str) -> tuple[str, ...]:
    """Link ids as sphinx-needs splits a written value."""
    return tuple(item.strip() for item in re.split(r"[;|,]", text) if item.strip())


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def _requirement(fields: _Fields) -> Requirement:
    return fields.done(Requirement)


def _check(fields: _Fields) -> Check:
    verifies = fields.ids("verifies", required=True)
    gate = fields.choice("gate", REVIEWS, DEFAULT_GATE)
    max_age_text = fields.text("max_age")
    max_age = None
    if max_age_text:
        if re.fullmatch(r"[0-9]{1,9}", max_age_text) and int(max_age_text) > 0:
            max_age = int(max_age_text)
        else:
            fields.invalid(_(":max_age: {value!r} is not a positive number of days").format(value=max_age_text))
    return fields.done(
        Check,
        verifies=verifies,
        gate=gate,
        max_age=max_age,
        evidence_kind=fields.text("evidence_kind", narrows=True),
        owner=fields.text("owner"),
        target_rto=fields.duration("target_rto"),
        target_rpo=fields.duration("target_rpo"),
        freshness=fields.choice("freshness", FRESHNESS, "review"),
    )


def _evidence(fields: _Fields) -> Evidence:
    proves = fields.ids("proves", required=True)
    date = fields.date("date", required=True)
    owner = fields.text("owner", required=True)
    artifact = fields.text("artifact", required=True)
    result = fields.choice("result", RESULTS, "pass")
    sha256 = fields.text("sha256")
    if sha256 and not _SHA256.fullmatch(sha256):
        fields.invalid(_(":sha256: {value!r} is not 64 hexadecimal digits").format(value=sha256))
        sha256 = ""
    return fields.done(
        Evidence,
        proves=proves,
        date=date,
        owner=owner,
        artifact=artifact,
        result=result,
        kind=fields.text("kind"),
        sha256=sha256.lower(),
        measured_rto=fields.duration("measured_rto"),
        measured_rpo=fields.duration("measured_rpo"),
    )


def _runbook(fields: _Fields) -> Runbook:
    owner = fields.text("owner", required=True)
    last_exercised = fields.date("last_exercised")
    if last_exercised and last_exercised > fields.as_of:
        fields.invalid(
            _(":last_exercised: {day} is after the as-of date {as_of}: correct the date").format(
                day=last_exercised, as_of=fields.as_of
            )
        )
    return fields.done(Runbook, owner=owner, last_exercised=last_exercised)


_READERS = {"req": _requirement, "check": _check, "evidence": _evidence, "runbook": _runbook}
_COLLECTIONS = {"req": "requirements", "check": "checks", "evidence": "evidence", "runbook": "runbooks"}
