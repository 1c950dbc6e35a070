"""Which files of a package the secret scan reads, their text, and what each file is.

The walk over the package (:func:`package_files`), the one reading of every file's text
(:func:`read_texts`) and the :class:`FileKind` of each file: text that was scanned,
binary (by its first bytes), or text that is not UTF-8 and so could not be scanned
(:class:`Unscanned`, never published). The scan itself is :mod:`.secrets_scan`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class FileKind(str, Enum):
    """What the scan could make of a file; only TEXT and BINARY may ever be published."""

    TEXT = "text"  #: UTF-8 text, scanned by detect-secrets and the detectors here
    BINARY = "binary"  #: a known binary signature or NUL bytes; its printable parts scanned
    UNDECODABLE = "undecodable"  #: text that is not UTF-8 (Shift_JIS, cp932 CSV): not scanned
    UNREADABLE = "unreadable"  #: not a regular file that could be read


@dataclass(frozen=True)
class Unscanned:
    """A file the scan could not read as text: never published, reported where it fails."""

    path: Path
    line: int
    kind: FileKind


def file_key(path: Path) -> Path:
    return Path(os.path.realpath(path))


def read_texts(paths: Iterable[Path]) -> dict[Path, str | None]:
    """Each file's text, read once for every scan; None for binary or unreadable files."""
    return {path: _read_text(path) for path in paths}


def classify(paths: Iterable[Path], texts: Mapping[Path, str | None]) -> tuple[dict[Path, FileKind], list[Unscanned]]:
    """The kind of every file; files that are not UTF-8 text are sniffed by their bytes."""
    kinds: dict[Path, FileKind] = {}
    unscanned: list[Unscanned] = []
    for path in paths:
        if texts.get(path) is not None:
            kinds[file_key(path)] = FileKind.TEXT
            continue
        kind, line = _sniff(path)
        kinds[file_key(path)] = kind
        if kind is not FileKind.BINARY:
            unscanned.append(Unscanned(path, line, kind))
    return kinds, unscanned


#: First bytes of formats that are binary whatever else they hold.
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh",
               b"7z\xbc\xaf", b"\xfd7zXZ", b"RIFF", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*", b"\xd0\xcf\x11\xe0",
               b"SQLite format 3", b"\x7fELF", b"MZ", b"wOFF", b"wOF2", b"\x00asm", b"OggS", b"fLaC", b"ID3")  # fmt: skip
_TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16: text, with NUL bytes


def _sniff(path: Path) -> tuple[FileKind, int]:
    try:
        data = path.read_bytes()
    except OSError:
        return FileKind.UNREADABLE, 1
    head = data[:8192]
    if not head.startswith(_TEXT_BOMS) and (head.startswith(_SIGNATURES) or b"\x00" in head):
        return FileKind.BINARY, 1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FileKind.UNDECODABLE, data[: exc.start].count(b"\n") + 1
    return FileKind.UNREADABLE, 1  # decodes now but did not when read: changing under the build


def package_files(root: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """Every file of the package that is not build output or version-control data.

    Hidden files are included: a dotfile can be an artifact (``.env.example``) and is
    scanned like any other file."""
    skipped = {os.path.realpath(path) for path in skip}
    files: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        # Pruned here rather than filtered after: an output folder inside the package
        # holds more files than the package itself.
        subfolders[:] = [
            name
            for name in subfolders
            if not _ignored(name) and os.path.realpath(os.path.join(folder, name)) not in skipped
        ]
        files.extend(path for name in names if not _ignored(name) and (path := Path(folder, name)).is_file())
    return sorted(files)


_NEVER_SCANNED = {".git", ".hg", ".svn", "_build", "__pycache__"}


def _ignored(name: str) -> bool:
    return name in _NEVER_SCANNED


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary, not UTF-8 or unreadable: see classify
