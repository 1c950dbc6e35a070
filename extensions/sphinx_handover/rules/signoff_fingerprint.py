"""What a sign-off approved: a SHA-256 over the content and the verdict, and a digest
per part so that a stale sign-off can say what changed.

Parts: every need (sphinx-needs' own ``fingerprint``, derived into the field
:data:`NEED_FINGERPRINT`: id, type, title, content and every option and link), every
top-level section of handover.yaml (the parsed data as canonical JSON, so comments and
layout do not count), every evidence artifact (its SHA-256; a folder's files by path),
each check's status, and the verdict (review, ready). signoffs.yaml itself is no part.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..i18n.messages import _
from ..model import yamlsrc
from ..untrusted.confinement import Refused

if TYPE_CHECKING:
    from .verdict import GateContext

NEED_FINGERPRINT = "content_fingerprint"
#: The parts that do not depend on the day or the review evaluated.
CONTENT_PARTS = ("needs", "data", "artifacts")


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(parts: Mapping[str, Any], scope: tuple[str, ...] | None = None) -> str:
    """The SHA-256 of *parts* (only those of *scope*, when given) as canonical JSON."""
    return digest({name: value for name, value in parts.items() if scope is None or name in scope})


def current_parts(ctx: GateContext, ready: bool) -> dict[str, Any]:
    return {
        "needs": {need.id: ctx.need_digests.get(need.id, "") for need in ctx.needs.all()},
        "data": _data_sections(ctx),
        "artifacts": _artifacts(ctx),
        "statuses": {check.id: check.status for check in ctx.checks.values()},
        "verdict": {"review": ctx.gate, "ready": ready},
    }


def _data_sections(ctx: GateContext) -> dict[str, str]:
    # The tree handover.yaml was validated from: no second, unchecked parse that could fail.
    data = yamlsrc.plain_value(*yamlsrc.compose(ctx.data.path, str(ctx.data.path))) or {}
    if not isinstance(data, dict):
        return {}
    return {str(section): digest(value) for section, value in data.items()}


def _artifacts(ctx: GateContext) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for evidence in ctx.needs.evidence.values():
        if evidence.artifact and evidence.artifact not in hashes:
            hashes[evidence.artifact] = _artifact_digest(ctx, evidence.artifact)
    return hashes


def _artifact_digest(ctx: GateContext, artifact: str) -> str:
    files = ctx.artifacts
    outcome = files.check(artifact)
    if outcome.is_url:
        return "url"
    if outcome.path is None or (outcome.problem and not outcome.path.exists()):
        return "missing"
    try:
        if outcome.path.is_dir():
            inside = files.confinement.folder_files(outcome.path)
            return digest({file.relative_to(outcome.path).as_posix(): files.sha256(file) for file in inside})
        return files.sha256(outcome.path)
    except (Refused, OSError):
        return "unreadable"


def changes(old: Mapping[str, Any], new: Mapping[str, Any], scope: tuple[str, ...]) -> list[str]:
    """What differs between the parts a sign-off recorded and the current ones, in words."""
    said: list[str] = []
    for part in scope:
        before, after = old.get(part) or {}, new.get(part) or {}
        if part == "verdict":
            if before != after:
                said.append(
                    _("verdict was {old}, is {new}").format(old=_verdict_words(before), new=_verdict_words(after))
                )
            continue
        if part == "statuses":
            moves = [
                f"{name} {before[name]} → {after[name]}"
                for name in after
                if name in before and before[name] != after[name]
            ]
            if moves:
                said.append(_("statuses moved: {moves}").format(moves=", ".join(moves)))
            continue
        added = [name for name in after if name not in before]
        removed = [name for name in before if name not in after]
        edited = [name for name in after if name in before and before[name] != after[name]]
        for template, names in zip(_TEMPLATES[part], (added, removed, edited), strict=True):
            if names:
                said.append(template().format(names=", ".join(names)))
    return said


def _verdict_words(verdict: Mapping[str, Any]) -> str:
    ready = _("READY") if verdict.get("ready") else _("NOT READY")
    return f"{ready} ({verdict.get('review') or '-'})"


_Words = Callable[[], str]

#: Per part: what was added, removed, edited, each looked up in the build's language when said.
_TEMPLATES: dict[str, tuple[_Words, _Words, _Words]] = {
    "needs": (
        lambda: _("needs added: {names}"),
        lambda: _("needs removed: {names}"),
        lambda: _("needs edited: {names}"),
    ),
    "data": (
        lambda: _("handover.yaml sections added: {names}"),
        lambda: _("handover.yaml sections removed: {names}"),
        lambda: _("handover.yaml sections changed: {names}"),
    ),
    "artifacts": (
        lambda: _("artifacts added: {names}"),
        lambda: _("artifacts no longer named: {names}"),
        lambda: _("artifacts replaced: {names}"),
    ),
}
