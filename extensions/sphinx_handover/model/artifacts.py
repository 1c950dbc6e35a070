"""Evidence artifacts: where they resolve, whether they exist, whether their hash holds.

Whether an artifact may be read at all is decided by :mod:`.confinement` (inside the
package, outside the build's output, a regular file or a folder of them); this module
only turns a refusal into the gate's rule and a message the author can act on. Nothing
here opens a path that confinement refused, and a file is opened without blocking and
checked again once open, so a FIFO or a device can never hang the build, even if it
replaces the file between the check and the read.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from ..i18n.messages import _
from ..rules.rules_table import Rule
from ..untrusted.confinement import Confinement, Refused

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST_NAME = re.compile(r"[\w.-]+")
_IPV6 = re.compile(r"[0-9a-f:.]+")


@dataclass(frozen=True)
class ArtifactCheck:
    """The outcome for one artifact: a problem (rule, message) or None, and the file."""

    problem: tuple[Rule, str] | None
    path: Path | None = None
    is_url: bool = False


def is_url(artifact: str) -> bool:
    return artifact.lower().startswith("https://")


def _is_web_address(url: str) -> bool:
    """``https://`` with a host and nothing a browser would not take as one address."""
    if any(char.isspace() or ord(char) < 32 for char in url):
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # "https://[" and the like
        return False
    # a name of letters, digits, dots and hyphens (any script), or an IPv6 address
    return bool(_HOST_NAME.fullmatch(host) or (":" in host and _IPV6.fullmatch(host)))


def check_artifact(root: Path, artifact: str, sha256: str = "", outputs: Iterable[Path] = ()) -> ArtifactCheck:
    """Resolve *artifact* against the package *root* and verify it.

    *outputs* are the build's output folders: an artifact inside one is not the
    package's own file (the build wrote it), so it is refused like one outside.
    """
    return ArtifactFiles(root, outputs).check(artifact, sha256)


class ArtifactFiles:
    """The artifacts of one evaluation, each resolved and hashed at most once.

    The gate's rules and the sign-off fingerprint read the same artifacts; resolving
    every path (with its symlinks) and hashing every file once for each of them made the
    gate's cost grow with the evidence several times over. An instance lives for one
    evaluation, so a file replaced between builds is seen by the next build.
    """

    def __init__(self, root: Path, outputs: Iterable[Path] = ()) -> None:
        self.confinement = Confinement.of(root, outputs)
        self._checked: dict[str, ArtifactCheck] = {}
        self._digests: dict[Path, str] = {}

    def check(self, artifact: str, sha256: str = "") -> ArtifactCheck:
        """The outcome for *artifact*; with *sha256*, the file must also match it."""
        outcome = self._checked.get(artifact)
        if outcome is None:
            outcome = self._checked[artifact] = self._resolve(artifact)
        if not sha256 or outcome.problem or outcome.path is None:
            return outcome
        return self._check_hash(artifact, outcome.path, sha256)

    def sha256(self, path: Path) -> str:
        """The SHA-256 of the regular file *path*, or :class:`Refused`."""
        digest = self._digests.get(path)
        if digest is None:
            digest = self._digests[path] = file_sha256(path)
        return digest

    def _resolve(self, artifact: str) -> ArtifactCheck:
        if _URL_SCHEME.match(artifact):
            if not is_url(artifact):
                said = _("artifact {artifact!r}: only https URLs or package paths are accepted")
            elif not _is_web_address(artifact):
                said = _("artifact {artifact!r} is no web address: write it as https://host/path")
            else:
                return ArtifactCheck(None, is_url=True)
            return ArtifactCheck((Rule.INVALID_OPTION, said.format(artifact=artifact)))
        if PurePosixPath(artifact).is_absolute() or PureWindowsPath(artifact).is_absolute():
            return ArtifactCheck(
                (
                    Rule.ARTIFACT_OUTSIDE,
                    _("artifact {artifact!r} is an absolute path: write it relative to the package root").format(
                        artifact=artifact
                    ),
                )
            )
        if "\x00" in artifact:  # no file name holds one; the file system would refuse it
            return ArtifactCheck(
                (
                    Rule.MISSING_ARTIFACT,
                    _("artifact {artifact!r} does not exist: add the file, or correct :artifact:").format(
                        artifact=artifact
                    ),
                )
            )
        confinement = self.confinement
        try:
            path = confinement.file_or_folder(confinement.root / artifact)
        except Refused:
            return ArtifactCheck(refusal(confinement, confinement.root / artifact, artifact))
        if path.is_dir():
            if not confinement.folder_files(path):
                return ArtifactCheck(
                    (
                        Rule.MISSING_ARTIFACT,
                        _("artifact {artifact!r} is an empty folder: put the artifact in it").format(artifact=artifact),
                    ),
                    path,
                )
        elif path.stat().st_size == 0:
            return ArtifactCheck(
                (
                    Rule.MISSING_ARTIFACT,
                    _("artifact {artifact!r} is an empty file: save the real artifact there").format(artifact=artifact),
                ),
                path,
            )
        return ArtifactCheck(None, path)

    def _check_hash(self, artifact: str, path: Path, sha256: str) -> ArtifactCheck:
        if path.is_dir():
            return ArtifactCheck(
                (
                    Rule.ARTIFACT_HASH,
                    _("artifact {artifact!r} is a folder: a :sha256: needs one file").format(artifact=artifact),
                ),
                path,
            )
        try:
            actual = self.sha256(path)
        except Refused:
            return ArtifactCheck(refusal(self.confinement, path, artifact))
        if actual != sha256:
            return ArtifactCheck(
                (
                    Rule.ARTIFACT_HASH,
                    _(
                        "artifact {artifact!r} has changed: the file's sha256 is {actual}, the record's :sha256: is "
                        "{expected}; if the change is intended, run 'handover rehash --write'"
                    ).format(artifact=artifact, actual=actual, expected=sha256),
                ),
                path,
            )
        return ArtifactCheck(None, path)


def refusal(confinement: Confinement, path: Path, artifact: str) -> tuple[Rule, str]:
    """The rule and message for a path that :class:`Confinement` refused.

    Confinement decides; this only says why, in the package's language. What leads out
    of the package (the path itself, or a file of its folder) is ``artifact_outside``;
    anything else that is not a regular file (nothing there, a FIFO, a device, a socket,
    a symlink loop, a link to a folder) is ``missing_artifact``: either way there is no
    artifact file to show, and the fix is to put one there.
    """
    rule, what = _why_refused(confinement, path, top=True)
    if not what and os.path.isdir(path):
        folder = Path(os.path.realpath(path))
        for entry in _folder_entries(folder):
            rule, what = _why_refused(confinement, entry, top=False)
            if what:
                inner = entry.relative_to(folder).as_posix()
                return rule, _("artifact {artifact!r} holds {entry!r}, which {reason}").format(
                    artifact=artifact, entry=inner, reason=what
                )
    if rule is Rule.MISSING_ARTIFACT and what == _("does not exist"):
        return rule, _("artifact {artifact!r} does not exist: add the file, or correct :artifact:").format(
            artifact=artifact
        )
    if rule is Rule.ARTIFACT_OUTSIDE and what == _("resolves outside the package root"):
        return rule, _(
            "artifact {artifact!r} resolves outside the package root: copy the file into the package, e.g. under evidence/"
        ).format(artifact=artifact)
    return rule, _("artifact {artifact!r} {reason}").format(artifact=artifact, reason=what or _("cannot be read"))


def _why_refused(confinement: Confinement, path: Path, *, top: bool) -> tuple[Rule, str]:
    """(rule, reason) for one entry; an empty reason for a regular file of the package,
    and for a folder: the artifact itself may be one (or a link to one), while a link
    to a folder inside a folder artifact may lead up or out, and is refused."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as error:
        mode = None
        if getattr(error, "errno", None) == errno.ELOOP:
            return Rule.MISSING_ARTIFACT, _("is a symlink loop")
    refused = confinement.refusal(path)
    if refused is not None and refused.where:
        return Rule.ARTIFACT_OUTSIDE, _("is in the build's output folder") if refused.where == "output" else _(
            "resolves outside the package root"
        )
    if refused is not None:  # a name the file system cannot hold, a folder it may not enter
        return Rule.MISSING_ARTIFACT, str(refused)
    if mode is None:
        return Rule.MISSING_ARTIFACT, _("is a broken symlink") if os.path.islink(path) else _("does not exist")
    if stat.S_ISDIR(mode):
        return Rule.MISSING_ARTIFACT, _("is a link to a folder") if os.path.islink(path) and not top else ""
    if stat.S_ISREG(mode):
        return Rule.MISSING_ARTIFACT, ""
    kind = (
        _("a FIFO (named pipe)")
        if stat.S_ISFIFO(mode)
        else _("a socket")
        if stat.S_ISSOCK(mode)
        else _("a device")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else _("a special file")
    )
    return Rule.MISSING_ARTIFACT, _("is {kind}, not a regular file").format(kind=kind)


def _folder_entries(folder: Path) -> list[Path]:
    """Every entry of *folder*, links not followed, in a stable order."""
    entries: list[Path] = []
    for parent, subfolders, names in os.walk(folder, followlinks=False):
        entries.extend(Path(parent, name) for name in sorted(subfolders) + sorted(names))
    return entries


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks so a large artifact costs no memory."""
    with open_regular(path) as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def read_regular(path: Path) -> bytes:
    """The whole content of the regular file *path*, or :class:`Refused`."""
    with open_regular(path) as stream:
        return stream.read()


def open_regular(path: Path) -> io.BufferedReader:
    """*path* opened for reading in binary, only if it is a regular file once open.

    Opened without blocking (a FIFO would otherwise wait for a writer forever) and
    without following a final symlink (the path was resolved before), then checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise Refused("is not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
