"""``handover diff OLD NEW``: what changed between two reviews, from two JSON reports.

Both reports must be of schema 2 (they carry the content digests: needs, handover.yaml
sections, artifacts). Exit 0 when nothing differs, 1 when something does, as diff(1).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sphinx_handover.model.timeline import REVIEWS

from ..cli_parser import Commands
from ..errors import ExitCode, UserError
from .diff_git import report_at
from .signoff import date_argument

#: A report (handover-report.json) as json.loads reads it: the extension's Verdict.as_dict.
Report = dict[str, Any]
#: One change found between two reports; its values are the reports' own.
Change = dict[str, Any]

#: handover.yaml sections a reviewer knows by another name.
_SECTION_NAMES = {"sla": "SLA", "olas": "OLA", "ucs": "UC", "raci": "RACI", "escalation": "contacts and escalation"}


def add_parser(commands: Commands) -> None:
    diff = commands.add_parser("diff", help="what changed between two reports of a package, or two git revisions")
    diff.add_argument(
        "old", metavar="OLD", help="the earlier report (handover-report.json), or git revision with --git"
    )
    diff.add_argument("new", metavar="NEW", help="the later report, or git revision with --git")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.add_argument("--git", action="store_true", help="OLD and NEW are git revisions of the package: check each")
    diff.add_argument(
        "--package", type=Path, default=Path("."), metavar="DIR", help="with --git: the package (default: .)"
    )
    diff.add_argument(
        "--as-of",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="with --git: evaluate both on this day (default: today)",
    )
    diff.add_argument("--gate", choices=list(REVIEWS), help="with --git: the review to evaluate both at")
    diff.set_defaults(command=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    if args.git:
        old, new = (report_at(args.package, revision, args.as_of, args.gate) for revision in (args.old, args.new))
    else:
        old, new = read_report(Path(args.old)), read_report(Path(args.new))
    changes = compare(old, new)
    if args.json:
        sys.stdout.write(json.dumps(changes, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(as_text(changes))
    return ExitCode.NOT_READY if any(changes.values()) else ExitCode.READY


def read_report(path: Path) -> Report:
    try:
        report = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such report") from None
    except (OSError, ValueError, RecursionError) as error:  # ValueError: bad JSON, a number of 5,000 digits
        raise UserError(f"{path}: not a JSON report: {str(error)[:200]}") from None
    version = report.get("schema_version") if isinstance(report, dict) else None
    if not isinstance(report, dict) or version != 2:
        raise UserError(
            f"{path}: report schema_version {version!r}; handover diff reads schema 2: build it again with this handover-kit"
        )
    problem = _shape_problem(report)
    if problem:
        raise UserError(
            f"{path}: not a report as handover writes it ({problem}): build it again with this handover-kit"
        )
    return report


def _shape_problem(report: Report) -> str | None:
    """What of the parts :func:`compare` reads is missing or of another type (a report is
    a file anyone can edit): None when it can be compared."""
    checks, needs, content = report.get("checks"), report.get("needs"), report.get("content")
    if not isinstance(checks, list) or not all(isinstance(check, dict) for check in checks):
        return "'checks' is no list of checks"
    for check in checks:
        if not _has(check, id=str, title=str, status=str, evidence=list):
            return f"a check lacks id, title, status or evidence: {str(check)[:80]}"
        for record in check["evidence"]:
            if not isinstance(record, dict) or not _has(record, id=str, artifact=str, counts=bool):
                return f"an evidence record of {check['id']} lacks id, artifact or counts"
    if not isinstance(needs, dict) or not all(_has(need, type=str, title=str) for need in needs.values()):
        return "'needs' is no mapping of needs with type and title"
    if not isinstance(content, dict) or not all(
        isinstance(content.get(part), dict) for part in ("needs", "artifacts", "data")
    ):
        return "'content' lacks its needs, artifacts and data"
    signoffs = report.get("signoffs", [])
    keys = {"review": str, "at": str, "fingerprint": str, "current": bool, "superseded": bool}
    if not isinstance(signoffs, list) or not all(_has(item, **keys) for item in signoffs):
        return "'signoffs' is no list of sign-offs"
    return None


def _has(item: object, **types: type) -> bool:
    return isinstance(item, dict) and all(isinstance(item.get(key), kind) for key, kind in types.items())


def compare(old: Report, new: Report) -> dict[str, list[Change]]:
    return {
        "checks_status": _status_changes(old, new),
        "requirements": _added_removed(old, new, "req"),
        "checks": _added_removed(old, new, "check"),
        "evidence": _evidence_changes(old, new),
        "handover_yaml": _sections(old, new),
        "signoffs_stale": _newly_stale(old, new),
    }


def _status_changes(old: Report, new: Report) -> list[Change]:
    before = {check["id"]: check["status"] for check in old["checks"]}
    return [
        {"id": check["id"], "title": check["title"], "old": before[check["id"]], "new": check["status"]}
        for check in new["checks"]
        if check["id"] in before and before[check["id"]] != check["status"]
    ]


def _of_type(report: Report, need_type: str) -> dict[str, str]:
    return {need_id: need["title"] for need_id, need in report["needs"].items() if need["type"] == need_type}


def _added_removed(old: Report, new: Report, need_type: str, edited: bool = True) -> list[Change]:
    """Needs of *need_type* added, removed and (with *edited*) whose content changed."""
    before, after = _of_type(old, need_type), _of_type(new, need_type)
    old_digests, new_digests = old["content"]["needs"], new["content"]["needs"]
    return (
        [{"id": i, "title": t, "change": "added"} for i, t in after.items() if i not in before]
        + [{"id": i, "title": t, "change": "removed"} for i, t in before.items() if i not in after]
        + [
            {"id": i, "title": t, "change": "edited"}
            for i, t in after.items()
            if edited and i in before and old_digests.get(i) != new_digests.get(i)
        ]
    )


def _evidence_changes(old: Report, new: Report) -> list[Change]:
    found = _added_removed(old, new, "evidence", edited=False)
    records_before, records_after = _records(old), _records(new)
    old_needs, new_needs = old["content"]["needs"], new["content"]["needs"]
    old_files, new_files = old["content"]["artifacts"], new["content"]["artifacts"]
    for record_id, record in records_after.items():
        earlier = records_before.get(record_id)
        if earlier is None:
            continue
        artifact = record["artifact"]
        if artifact != earlier["artifact"] or old_files.get(artifact) != new_files.get(artifact):
            found.append({"id": record_id, "change": "replaced", "artifact": artifact})
        elif old_needs.get(record_id) != new_needs.get(record_id):
            found.append({"id": record_id, "change": "edited", "artifact": artifact})
        if earlier["counts"] and not record["counts"]:
            found.append({"id": record_id, "change": "invalidated", "reason": record["reason"]})
        elif record["counts"] and not earlier["counts"]:
            found.append({"id": record_id, "change": "now counts"})
    return found


def _records(report: Report) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for check in report["checks"]:
        for record in check["evidence"]:
            known = records.setdefault(record["id"], dict(record))
            known["counts"] = known["counts"] and record["counts"]
            known["reason"] = known["reason"] or record["reason"]
    return records


def _sections(old: Report, new: Report) -> list[Change]:
    before, after = old["content"]["data"], new["content"]["data"]
    names = list(dict.fromkeys([*before, *after]))
    return [
        {"section": name, "change": "added" if name not in before else "removed" if name not in after else "changed"}
        for name in names
        if before.get(name) != after.get(name)
    ]


def _newly_stale(old: Report, new: Report) -> list[Change]:
    current_before = {_key(item) for item in old.get("signoffs", []) if item["current"]}
    return [
        {
            "review": item["review"],
            "decision": item["decision"],
            "by": item["by"],
            "role": item["role"],
            "at": item["at"],
            "changes": item["changes"],
        }
        for item in new.get("signoffs", [])
        if not item["current"] and not item["superseded"] and (_key(item) in current_before or not old.get("signoffs"))
    ]


def _key(signoff: dict[str, Any]) -> tuple[str, str, str]:
    return signoff["review"], signoff["at"], signoff["fingerprint"]


def as_text(changes: dict[str, list[Change]]) -> str:
    lines: list[str] = []
    for title, items, say in (
        (
            "Checks whose status changed",
            changes["checks_status"],
            lambda i: f"{i['id']} ({i['title']}): {i['old']} → {i['new']}",
        ),
        (
            "Requirements added, removed or edited",
            changes["requirements"],
            lambda i: f"{i['change']}: {i['id']} ({i['title']})",
        ),
        ("Checks added, removed or edited", changes["checks"], lambda i: f"{i['change']}: {i['id']} ({i['title']})"),
        ("Evidence", changes["evidence"], _evidence_words),
        (
            "handover.yaml",
            changes["handover_yaml"],
            lambda i: f"{_SECTION_NAMES.get(i['section'], i['section'])}: {i['change']}",
        ),
        ("Sign-offs that went stale", changes["signoffs_stale"], _signoff_words),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  {say(item)}" for item in items)
    return "\n".join(lines) + "\n" if lines else "No changes.\n"


def _evidence_words(item: Change) -> str:
    change = item["change"]
    if change == "replaced":
        return f"replaced: {item['id']}: its artifact {item['artifact']} is another file"
    if change == "invalidated":
        return f"invalidated: {item['id']} no longer counts: {item['reason']}"
    if change in ("added", "removed"):
        return f"{change}: {item['id']} ({item['title']})"
    return f"{change}: {item['id']}"


def _signoff_words(item: Change) -> str:
    changed = "; ".join(item["changes"])
    return f"{item['review']} {item['decision']} by {item['by']} ({item['role']}, {item['at']}): {changed}"
