"""``handover signoff``: record one go / no-go decision, bound to what it approves.

The check build runs in-process at the review signed off; its verdict carries the
parts of what is approved (see sphinx_handover.rules.signoff_fingerprint). The record is
appended to signoffs.yaml: the old text plus the new record, written to a temporary
file and moved into place, and only while the file is as it was read.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import tempfile
from pathlib import Path

from sphinx_handover.model import package_data, signoffs
from sphinx_handover.model.signoffs import DECISIONS, Signoff, SignoffFileError
from sphinx_handover.model.timeline import REVIEWS
from sphinx_handover.model.yamlsrc import parse_date
from sphinx_handover.rules.signoff_fingerprint import fingerprint
from sphinx_handover.rules.signoff_rules import accountable_role

from ..cli_parser import Commands
from ..errors import ExitCode, UserError
from ..runner import BuildRequest, require_package, run
from .summary import verdict_line


def add_parser(commands: Commands) -> None:
    sign = commands.add_parser("signoff", help="record a go / no-go decision bound to the content it approves")
    sign.add_argument(
        "directory", type=Path, nargs="?", default=Path("."), metavar="DIR", help="the package (default: .)"
    )
    sign.add_argument("--review", required=True, choices=list(REVIEWS), help="the review decided")
    sign.add_argument("--decision", required=True, choices=list(DECISIONS))
    sign.add_argument(
        "--condition", action="append", default=[], metavar="TEXT", help="a condition of a conditional go (repeat)"
    )
    sign.add_argument("--by", required=True, metavar="NAME", help="who decides")
    sign.add_argument("--role", required=True, metavar="ROLE", help="their role: a role id of handover.yaml")
    sign.add_argument("--note", default="", metavar="TEXT")
    sign.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
    sign.add_argument(
        "--at",
        type=time_argument,
        metavar="YYYY-MM-DDTHH:MM[+09:00]",
        help="when the decision was taken, if not now (a meeting recorded afterwards); not in the future",
    )
    sign.set_defaults(command=sign_off)


def sign_off(args: argparse.Namespace) -> int:
    package = require_package(args.directory)
    data = package_data.load(package)
    _check_words(args)
    _check_role(data, args.review, args.role, args.by)
    before = _read_text(package)
    verdict = run(BuildRequest(package, package / "_build", as_of=args.as_of, gate=args.review, html=False))
    if verdict.input_errors:
        raise UserError(f"{package}: the sources are malformed (listed above): fix them before signing off")
    record = Signoff(
        review=args.review,
        decision=args.decision,
        by=args.by.strip(),
        role=args.role,
        at=(args.at or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        fingerprint=fingerprint(verdict.content),
        parts=verdict.content,
        conditions=tuple(text.strip() for text in args.condition),
        note=args.note.strip(),
    )
    _append(package, before, signoffs.record_text(record))
    print(
        f"Signed off {record.review}: {record.decision} by {record.by} ({record.role}), {record.at}; fingerprint {record.fingerprint[:12]}"
    )
    # The verdict as built, before this record: not what it says of the sign-offs.
    print(verdict_line(dataclasses.replace(verdict, signoffs=())))
    return ExitCode.READY


def _check_words(args: argparse.Namespace) -> None:
    if args.decision == "conditional" and not any(text.strip() for text in args.condition):
        raise UserError("--decision conditional needs at least one --condition TEXT")
    if any(not text.strip() for text in args.condition):
        raise UserError("--condition: a condition is text; an empty one says nothing")
    if args.decision != "conditional" and args.condition:
        raise UserError("--condition is for --decision conditional")
    for option, value in (
        ("--by", args.by),
        ("--note", args.note),
        *(("--condition", text) for text in args.condition),
    ):
        if any(ord(char) < 32 or char == "\x7f" for char in value) or len(value) > 1000:
            raise UserError(f"{option}: one line of at most 1000 characters, without control characters")
    if args.at and args.at > dt.datetime.now(dt.UTC):
        raise UserError(f"--at {args.at.isoformat()}: a decision is recorded when or after it is taken, not before")
    if not args.by.strip():
        raise UserError("--by: name who decides")


def _check_role(data: package_data.HandoverData, review: str, role: str, by: str) -> None:
    roles = data.structured.roles
    where = os.path.relpath(data.path)
    if role not in roles:
        line = data.lines.get("roles", 1)
        raise UserError(
            f"{where}:{line}: role {role!r} is not a role of handover.yaml (roles: {', '.join(roles) or 'none'})"
        )
    _check_accountable(data, review, role)
    if not roles[role].names(by):
        raise UserError(
            f"{where}:{roles[role].line_of('who')}: {by!r} is not named by role {role!r} (who: {roles[role].who!r}): "
            "the person the role names signs off; if the role changed hands, correct its 'who' first"
        )


def _check_accountable(data: package_data.HandoverData, review: str, role: str) -> None:
    where = os.path.relpath(data.path)
    decision, accountable = accountable_role(data, review)
    if decision is None:
        return
    row = next((row for row in data.structured.raci if row.decision == decision), None)
    if row is None:
        line = data.lines.get("raci", 1)
        raise UserError(
            f"{where}:{line}: the {review} decision needs the RACI row {decision} with one accountable role (A): add it"
        )
    if accountable is None:
        raise UserError(f"{where}:{row.line}: RACI row {decision} has no single accountable role (A): mark exactly one")
    if role != accountable:
        raise UserError(
            f"{where}:{row.line}: role {role!r} is not accountable for {decision} ({review}): the RACI makes {accountable!r} accountable (A)"
        )


def _read_text(package: Path) -> str:
    try:
        return signoffs.read(package)[0]
    except SignoffFileError as error:
        raise UserError(f"{signoffs.FILENAME}:{error.line}: {error}") from None


def _append(package: Path, before: str, record: str) -> None:
    path = package / signoffs.FILENAME
    now = path.read_text("utf-8") if path.is_file() else ""
    if now != before:
        raise UserError(f"{signoffs.FILENAME}: changed while the build ran; nothing was written: sign off again")
    separator = "" if not before or before.endswith("\n") else "\n"
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=package)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(before + separator + record)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def date_argument(value: str) -> dt.date:
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)")
    return parsed


def time_argument(value: str) -> dt.datetime:
    """An ISO date and time; without an offset, UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM, optionally +09:00)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
