"""``handover evidence add CHECK ARTIFACT``: an evidence record, hashed and written beside its check.

The record goes right after the check's block (after the records already there), or at
the end of a page the user names. The artifact must be a regular file inside the
package (decided by the extension's :mod:`sphinx_handover.untrusted.confinement`, as the build
decides it); its SHA-256 is computed here. Every value typed is checked by
:mod:`.option_values`; the page with the record is parsed again before it is written,
and must read back with exactly this record added, or nothing is written. A record
never replaces another: an id already used is refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sphinx_handover.model import package_data
from sphinx_handover.model.artifacts import file_sha256
from sphinx_handover.model.units import format_duration, parse_duration
from sphinx_handover.untrusted.confinement import Confinement, Refused

from ..errors import UserError
from ..runner import require_package
from . import option_values
from .need_blocks import NeedBlock, Page, markdown_pages, need_blocks, package_blocks, read_page
from .page_write import replace_page

#: sphinx-needs' own id pattern (``^[A-Z0-9_]{5,}``) with the evidence prefix.
_EVIDENCE_ID = re.compile(r"EV_[A-Z0-9_]{2,}")
_KIND = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class EvidenceRequest:
    package: Path
    check: str
    artifact: Path
    owner: str | None = None
    kind: str | None = None
    result: str = "pass"
    date: dt.date | None = None
    measured_rto: str | None = None
    measured_rpo: str | None = None
    record_id: str | None = None
    title: str | None = None
    page: Path | None = None


@dataclass(frozen=True)
class Written:
    path: Path
    line: int
    id: str
    artifact: str
    sha256: str
    #: What the user should know before the build tells them (a target missed).
    notes: tuple[str, ...] = ()


def add_evidence(request: EvidenceRequest, today: dt.date | None = None) -> Written:
    root = require_package(request.package)
    data = package_data.load(root, os.path.relpath(root / package_data.FILENAME))
    blocks = package_blocks(root)
    check = _find_check(blocks, request.check)
    artifact, sha256 = _hashed_artifact(request, root, data.policy.max_file_mb)
    record_date = _record_date(request.date, today or dt.date.today())
    options = {
        "id": _record_id(request, check, record_date, {block.id for block in blocks if block.id}),
        "proves": check.id,
        "date": record_date.isoformat(),
        "owner": option_values.clean("--owner", request.owner or ""),
        "artifact": option_values.clean("ARTIFACT", artifact),
        "kind": _kind(request.kind, check),
        "result": request.result,
        "sha256": sha256,
        **_measurements(request, check, data.policy.required_measurements),
    }
    title = option_values.clean_title(request.title or f"{options['kind']}: {Path(artifact).name}")
    record = [f"{{evidence}} {title}", *(option_values.option_line(name, value) for name, value in options.items())]
    if request.page is None:
        page, line, prefix, fence = _beside(check)
    else:
        page, line, prefix, fence = _at_end(root, request.page)
    text, record_line = _inserted(page, line, prefix, fence, record)
    _require_reads_back(page, text, record_line, title, options)
    replace_page(page, text)
    notes = _targets_missed(check, data.service, options)
    return Written(page.path, record_line + 1, options["id"], artifact, sha256, notes)


def _find_check(blocks: list[NeedBlock], check_id: str) -> NeedBlock:
    checks = [block for block in blocks if block.type == "check"]
    found = [block for block in checks if block.id == check_id]
    if not found:
        ids = sorted({block.id for block in checks if block.id})
        close = difflib.get_close_matches(check_id.upper(), ids, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else f"; the package's checks: {', '.join(ids) or 'none'}"
        raise UserError(f"{check_id!r}: no check has this id{hint}")
    if len(found) > 1:
        places = ", ".join(f"{os.path.relpath(block.page.path)}:{block.lineno}" for block in found)
        raise UserError(f"{check_id}: is written more than once ({places}); keep one, then add the record")
    return found[0]


def _hashed_artifact(request: EvidenceRequest, root: Path, max_file_mb: int) -> tuple[str, str]:
    """The artifact as the record names it (relative to the package) and its SHA-256."""
    given = option_values.shown(os.fsdecode(request.artifact))
    relative = _relative_to_package(request.artifact, request.package, root)
    confinement = Confinement.of(root, [root / "_build"])
    rule = f"an artifact must be a regular file inside the package ({os.path.relpath(root)})"
    if relative is None:
        raise UserError(f"{given}: resolves outside the package; {rule}")
    try:
        real = confinement.file(root / relative)
        size = real.stat().st_size
        if size == 0:
            raise UserError(f"{given}: is an empty file, which proves nothing")
        if size > max_file_mb * 1024 * 1024:
            raise UserError(
                f"{given}: is {size / 1024 / 1024:.1f} MB, over the {max_file_mb} MB a package file may be (policy.max_file_mb)"
            )
        return relative, file_sha256(real)
    except Refused as reason:
        raise UserError(f"{given}: {reason}; {rule}") from None


def _relative_to_package(given: Path, package: Path, root: Path) -> str | None:
    """*given* (a path as the shell sees it) relative to the package, written as the
    user wrote it (a link inside stays a link), or None when it lies outside."""
    absolute = os.path.abspath(given)
    for base in (os.path.abspath(package), str(root)):
        relative = os.path.relpath(absolute, base)
        if relative != os.curdir and relative.split(os.sep)[0] != os.pardir:
            return Path(relative).as_posix()
    return None


def _record_date(given: dt.date | None, today: dt.date) -> dt.date:
    if given is not None and given > today:
        raise UserError(f"--date {given}: is after today ({today}); record evidence once it exists")
    return given or today


def _record_id(request: EvidenceRequest, check: NeedBlock, day: dt.date, taken: set[str]) -> str:
    if request.record_id is not None:
        record_id = request.record_id.strip()
        if not _EVIDENCE_ID.fullmatch(record_id):
            raise UserError(
                f"--id {request.record_id!r}: an evidence id is EV_ and at least two capital letters, digits or _"
            )
        if record_id in taken:
            raise UserError(f"--id {record_id}: is already used; handover evidence add never replaces a record")
        return record_id
    base = f"EV_{check.id.removeprefix('CHK_')}_{day:%Y_%m_%d}"
    candidates = (base if number == 1 else f"{base}_{number}" for number in range(1, len(taken) + 2))
    return next(candidate for candidate in candidates if candidate not in taken)


def _kind(given: str | None, check: NeedBlock) -> str:
    wanted = check.options.get("evidence_kind", "").strip()
    kind = option_values.clean("--kind", given) if given is not None else wanted
    if not kind:
        raise UserError(f"{check.id}: names no :evidence_kind:; give --kind (e.g. document)")
    if not _KIND.fullmatch(kind):
        raise UserError(f"--kind {kind!r}: a kind is letters, digits, '.', '_' or '-' (e.g. restore-test)")
    if wanted and kind != wanted:
        raise UserError(
            f"--kind {kind}: {check.id} takes evidence of kind {wanted} only; a {kind} record would not count"
        )
    return kind


def _measurements(request: EvidenceRequest, check: NeedBlock, required: dict[str, tuple[str, ...]]) -> dict[str, str]:
    kind = check.options.get("evidence_kind", "").strip() or (request.kind or "").strip()
    measured: dict[str, str] = {}
    for measure, given in (("rto", request.measured_rto), ("rpo", request.measured_rpo)):
        if given is None:
            if measure in required.get(kind, ()):
                raise UserError(
                    f"{check.id}: a {kind} record needs --measured-{measure} (a duration: 45m, 2h, 1h42m; "
                    "policy.required_measurements in handover.yaml)"
                )
            continue
        duration = parse_duration(given)
        if duration is None:
            raise UserError(f"--measured-{measure} {given!r}: is not a duration (e.g. 30m, 4h, 1h30m, 3m12s)")
        measured[f"measured_{measure}"] = format_duration(duration)
    return measured


def _targets_missed(check: NeedBlock, service: package_data.Service, options: dict[str, str]) -> tuple[str, ...]:
    """A measured value over the check's target (else the service's): recorded as
    measured, but the build will not count the record."""
    notes = []
    for measure in ("rto", "rpo"):
        measured = parse_duration(options.get(f"measured_{measure}", ""))
        own_target = parse_duration(check.options.get(f"target_{measure}", ""))
        target = own_target or getattr(service, measure)
        if measured is not None and target is not None and measured > target:
            notes.append(
                f"measured {measure.upper()} {format_duration(measured)} is over the target {format_duration(target)} "
                f"of {check.id}: the build will not count this record (target_missed)"
            )
    return tuple(notes)


def _beside(check: NeedBlock) -> tuple[Page, int, str, str]:
    """Where the record goes: after the check's block and the records that follow it."""
    if check.close_line is None:
        raise UserError(
            f"{os.path.relpath(check.page.path)}:{check.lineno}: {check.id}: its block has no closing fence"
        )
    opened = {block.open_line: block for block in need_blocks(check.page)}
    lines, end = check.page.lines, check.close_line
    while True:
        following = end + 1
        while following < len(lines) and lines[following].strip() in ("", check.prefix.strip()):
            following += 1
        block = opened.get(following)
        if block is None or block.type != "evidence" or block.prefix != check.prefix or block.close_line is None:
            return check.page, end + 1, check.prefix, check.fence
        end = block.close_line


def _at_end(root: Path, path: Path) -> tuple[Page, int, str, str]:
    real = Path(os.path.realpath(path))
    if real not in {Path(os.path.realpath(page)) for page in markdown_pages(root)}:
        raise UserError(
            f"{option_values.shown(os.fsdecode(path))}: is not a page of the package the build reads (an existing .md file, "
            "not under evidence/ or _build/); create it and list it in a toctree first"
        )
    page = read_page(real)
    return page, len(page.lines), "", "```"


def _inserted(page: Page, at: int, prefix: str, fence: str, record: list[str]) -> tuple[str, int]:
    """The page's text with *record* inserted before line *at*, and the record's first line."""
    lines = page.lines
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    before, after = lines[:at], lines[at:]
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    blank = prefix.rstrip() + newline
    block = [
        f"{prefix}{fence}{record[0]}{newline}",
        *(f"{prefix}{line}{newline}" for line in record[1:]),
        f"{prefix}{fence}{newline}",
    ]
    lead = [blank] if before and before[-1].strip() not in ("", prefix.strip()) else []
    trail = [blank] if after and after[0].strip() not in ("", prefix.strip()) else []
    return "".join([*before, *lead, *block, *trail, *after]), len(before) + len(lead)


def _require_reads_back(page: Page, text: str, line: int, title: str, options: dict[str, str]) -> None:
    """The page with the record must hold every block it held, plus exactly this record."""
    before = [(block.type, block.id) for block in need_blocks(page)]
    after = need_blocks(Page(page.path, text, text.encode("utf-8")))
    added = [block for block in after if block.open_line == line]
    if (
        len(after) != len(before) + 1
        or len(added) != 1
        or (added[0].type, added[0].title) != ("evidence", title)
        or added[0].options != options
        or [(block.type, block.id) for block in after if block is not added[0]] != before
    ):
        raise UserError(
            f"{os.path.relpath(page.path)}:{line + 1}: the record would not read back as written there "
            "(an unclosed block around it?); nothing was written"
        )
