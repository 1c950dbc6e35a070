"""``handover.yaml``: the package's structured data, read with a location on every error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import yaml

from . import structured, yamlsrc
from .data_entry import Entry
from .errors import HandoverInputError
from .structured import Structured
from .timeline import REVIEWS

FILENAME = "handover.yaml"
SCHEMA_VERSION = 1
LANGUAGES = ("ja", "en")

#: Allowed evidence age in days, per evidence kind, unless handover.yaml says otherwise.
DEFAULT_MAX_AGE_DAYS: dict[str, int] = {
    "restore-test": 365,
    "dry-run": 90,
    "escalation-drill": 90,
    # Not an evidence kind: the oldest last_exercised a runbook may have.
    "runbook-exercise": 365,
}

#: Measurements an evidence kind must carry to count, unless handover.yaml says otherwise:
#: a restore test measures recovery time and data loss; a dry run measures recovery time.
DEFAULT_REQUIRED_MEASUREMENTS: dict[str, tuple[str, ...]] = {
    "restore-test": ("rto", "rpo"),
    "dry-run": ("rto",),
}
MEASURES = ("rto", "rpo")

#: The checks every template ships (chapter 10): (a)-(h) of the operational readiness
#: review first, then the five from the contract side. Required unless handover.yaml
#: lists its own policy.required_checks, so dropping one is a reviewed change there.
TEMPLATE_CHECKS: tuple[str, ...] = (
    "CHK_MONITORING",
    "CHK_RECOVERY_DRYRUN",
    "CHK_RESTORE_TEST",
    "CHK_ACCESS_FLOW",
    "CHK_INCIDENT_COMMS",
    "CHK_KPI_DASHBOARD",
    "CHK_SLA_CHAIN",
    "CHK_ESCALATION_DRILL",
    "CHK_RACI_AGREED",
    "CHK_LEDGERS",
    "CHK_KEYS_CERTS",
    "CHK_CHANGE_PROCESS",
    "CHK_HYPERCARE_EXIT",
)


@dataclass(frozen=True)
class Project:
    system: str
    vendor: str
    customer: str
    release_date: dt.date
    language: str


@dataclass(frozen=True)
class Service:
    hours: str
    availability: str = ""
    rto: dt.timedelta | None = None
    rpo: dt.timedelta | None = None


DEFAULT_MAX_FILE_MB = 20


@dataclass(frozen=True)
class RequiredCheck:
    """A check id the package must hold, and the handover.yaml line that requires it
    (None for the template's default list, which no line states)."""

    id: str
    line: int | None = None


@dataclass(frozen=True)
class Policy:
    max_age_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_AGE_DAYS))
    #: The largest file a package may hold. Every file is read whole by the secret scan,
    #: so this also bounds the build's memory; large logs belong outside, as an excerpt.
    max_file_mb: int = DEFAULT_MAX_FILE_MB
    #: evidence kind -> the measurements ("rto", "rpo") a record of that kind must carry.
    required_measurements: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_REQUIRED_MEASUREMENTS)
    )
    required_checks: tuple[RequiredCheck, ...] = tuple(RequiredCheck(check) for check in TEMPLATE_CHECKS)
    #: The line of policy.required_checks; None while the template's default applies.
    required_checks_line: int | None = None
    #: Reviews whose gate needs a current go sign-off by the accountable role.
    signoff_required: tuple[str, ...] = ()
    signoff_required_line: int | None = None


class _PolicyOptions(TypedDict, total=False):
    """The fields of :class:`Policy` that keep their default unless handover.yaml names them."""

    required_checks: tuple[RequiredCheck, ...]
    required_checks_line: int
    required_measurements: dict[str, tuple[str, ...]]
    signoff_required: tuple[str, ...]
    signoff_required_line: int


@dataclass(frozen=True)
class HandoverData:
    """What handover.yaml says, plus where it was read from."""

    path: Path
    project: Project
    service: Service
    policy: Policy
    #: Top-level key -> line, so rules can point at a section.
    lines: dict[str, int]
    structured: Structured = field(default_factory=Structured)


def load(root: Path, display: str = FILENAME) -> HandoverData:
    """Read ``root/handover.yaml``; any problem raises :class:`HandoverInputError`."""
    path = root / FILENAME
    if not path.is_file():
        raise HandoverInputError(root, f"not a handover package: {FILENAME} not found (create one with 'handover new')")
    source, document = yamlsrc.compose(path, display)
    if document is None:
        raise HandoverInputError(display, "is empty: it needs at least a 'project' section", 1)
    top = yamlsrc.mapping(source, document, FILENAME, _SECTIONS)
    for required in ("schema_version", "project"):
        if required not in top:
            raise source.error(document, f"missing required key {required!r}")
    version = yamlsrc.positive_int(source, top["schema_version"][1], "schema_version")
    if version != SCHEMA_VERSION:
        raise source.error(
            top["schema_version"][1],
            f"schema_version {version} is not supported (this handover-kit reads {SCHEMA_VERSION})",
        )
    return HandoverData(
        path=path,
        project=_project(source, top["project"][1]),
        service=_service(source, top["service"][1]) if "service" in top else Service(hours=""),
        policy=_policy(source, top["policy"][1]) if "policy" in top else Policy(),
        lines={key: source.line_of(key_node) for key, (key_node, _) in top.items()},
        structured=structured.load(source, top),
    )


_SECTIONS = ("schema_version", "project", "service", "policy", *structured.SECTIONS)
#: The years a release date may fall in: the reviews are days before and after it, and a
#: date near year 1 or 9999 has none.
RELEASE_YEARS = (1970, 9000)


def is_release_date(date: dt.date) -> bool:
    return RELEASE_YEARS[0] <= date.year <= RELEASE_YEARS[1]


def _project(source: yamlsrc.Source, node: yaml.Node) -> Project:
    keys = ("system", "vendor", "customer", "release_date", "language")
    entries = yamlsrc.mapping(source, node, "project", keys)
    missing = [key for key in keys if key not in entries]
    if missing:
        raise source.error(node, f"project: missing required key {missing[0]!r}")
    release_date = yamlsrc.date(source, entries["release_date"][1], "project.release_date")
    if not is_release_date(release_date):
        raise source.error(
            entries["release_date"][1],
            f"project.release_date: {release_date} is not a release date (a year from {RELEASE_YEARS[0]} "
            f"to {RELEASE_YEARS[1]})",
        )
    return Project(
        system=yamlsrc.text(source, entries["system"][1], "project.system"),
        vendor=yamlsrc.text(source, entries["vendor"][1], "project.vendor"),
        customer=yamlsrc.text(source, entries["customer"][1], "project.customer"),
        release_date=release_date,
        language=yamlsrc.choice(source, entries["language"][1], "project.language", LANGUAGES),
    )


def _service(source: yamlsrc.Source, node: yaml.Node) -> Service:
    entry = Entry(source, node, "service", ("hours", "availability", "rto", "rpo"))
    return Service(
        hours=entry.text("hours"),
        availability=entry.text("availability"),
        rto=entry.duration("rto"),
        rpo=entry.duration("rpo"),
    )


def _policy(source: yamlsrc.Source, node: yaml.Node) -> Policy:
    keys = ("max_age_days", "max_file_mb", "required_checks", "required_measurements", "signoff_required")
    entries = yamlsrc.mapping(source, node, "policy", keys)
    max_age = dict(DEFAULT_MAX_AGE_DAYS)
    if "max_age_days" in entries:
        kinds = yamlsrc.mapping(source, entries["max_age_days"][1], "policy.max_age_days")
        for kind, (_, value) in kinds.items():
            max_age[kind] = yamlsrc.positive_int(source, value, f"policy.max_age_days.{kind}")
    max_file_mb = DEFAULT_MAX_FILE_MB
    if "max_file_mb" in entries:
        max_file_mb = yamlsrc.positive_int(source, entries["max_file_mb"][1], "policy.max_file_mb")
    optional: _PolicyOptions = {}
    if "required_checks" in entries:
        key, value = entries["required_checks"]
        optional["required_checks"] = _required_checks(source, value)
        optional["required_checks_line"] = source.line_of(key)
    if "required_measurements" in entries:
        optional["required_measurements"] = _required_measurements(source, entries["required_measurements"][1])
    if "signoff_required" in entries:
        key, value = entries["signoff_required"]
        reviews = yamlsrc.sequence(source, value, "policy.signoff_required")
        chosen = (yamlsrc.choice(source, item, "policy.signoff_required", REVIEWS) for item in reviews)
        optional["signoff_required"] = tuple(dict.fromkeys(chosen))
        optional["signoff_required_line"] = source.line_of(key)
    return Policy(max_age_days=max_age, max_file_mb=max_file_mb, **optional)


def _required_checks(source: yamlsrc.Source, node: yaml.Node) -> tuple[RequiredCheck, ...]:
    items = yamlsrc.sequence(source, node, "policy.required_checks")
    return tuple(
        RequiredCheck(yamlsrc.text(source, item, "policy.required_checks"), source.line_of(item)) for item in items
    )


def _required_measurements(source: yamlsrc.Source, node: yaml.Node) -> dict[str, tuple[str, ...]]:
    """kind -> [rto, rpo]; a kind listed with [] needs no measurement (the defaults of
    the kinds not listed stay)."""
    required = dict(DEFAULT_REQUIRED_MEASUREMENTS)
    for kind, (_, value) in yamlsrc.mapping(source, node, "policy.required_measurements").items():
        what = f"policy.required_measurements.{kind}"
        measures = yamlsrc.sequence(source, value, what)
        required[kind] = tuple(dict.fromkeys(yamlsrc.choice(source, item, what, MEASURES) for item in measures))
    return required
