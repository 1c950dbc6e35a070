"""Evidence artifacts: where they resolve, whether they exist, whether their hash holds."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .messages import _
from .rules_table import Rule

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ArtifactCheck:
    """The outcome for one artifact: a problem (rule, message) or None, and the file."""

    problem: tuple[Rule, str] | None
    path: Path | None = None
    is_url: bool = False


def check_artifact(root: Path, artifact: str, sha256: str = "") -> ArtifactCheck:
    """Resolve *artifact* against the package *root* and verify it."""
    if _URL_SCHEME.match(artifact):
        if artifact.lower().startswith("https://"):
            return ArtifactCheck(None, is_url=True)
        return ArtifactCheck(
            (Rule.INVALID_OPTION, _("artifact {artifact!r}: only https URLs or package paths are accepted").format(artifact=artifact))
        )
    if PurePosixPath(artifact).is_absolute() or PureWindowsPath(artifact).is_absolute():
        return ArtifactCheck((Rule.ARTIFACT_OUTSIDE, _("artifact {artifact!r} is an absolute path").format(artifact=artifact)))
    real_root = root.resolve()
    path = (real_root / artifact).resolve()
    if not path.is_relative_to(real_root):
        return ArtifactCheck(
            (Rule.ARTIFACT_OUTSIDE, _("artifact {artifact!r} resolves outside the package root").format(artifact=artifact))
        )
    if not path.exists():
        return ArtifactCheck((Rule.MISSING_ARTIFACT, _("artifact {artifact!r} does not exist").format(artifact=artifact)))
    if path.is_file() and path.stat().st_size == 0:
        return ArtifactCheck((Rule.MISSING_ARTIFACT, _("artifact {artifact!r} is an empty file").format(artifact=artifact)), path)
    if sha256:
        if not path.is_file():
            return ArtifactCheck(
                (Rule.ARTIFACT_HASH, _("artifact {artifact!r} is a folder: a :sha256: needs one file").format(artifact=artifact)), path
            )
        actual = file_sha256(path)
        if actual != sha256:
            return ArtifactCheck(
                (Rule.ARTIFACT_HASH, _("artifact {artifact!r} has sha256 {actual}…, not {expected}…").format(
                    artifact=artifact, actual=actual[:12], expected=sha256[:12]
                )),
                path,
            )
    return ArtifactCheck(None, path)


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks so a large artifact costs no memory."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
