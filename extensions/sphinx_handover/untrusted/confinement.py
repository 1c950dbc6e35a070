"""The one place that decides whether the build may read a file of the package.

A package is written by another company and built on the customer's machines, so
every path it names (a page, an include of any kind, an image, a download, an
evidence artifact and everything inside a folder artifact) is resolved here, with its
symlinks, before anything opens it. A path is accepted only when it lies inside the
package root, outside the build's output folders, and is a regular file (or, where a
folder is asked for, a folder holding only such files). Everything else is refused
with a reason a user can act on; special files (FIFOs, devices, sockets) are refused
from their metadata, so nothing ever blocks reading one.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n.messages import _

#: Symlink hops followed before a chain is called a loop (as the kernel's own limit).
_MAX_HOPS = 40


class Refused(Exception):
    """The path may not be read; ``str()`` says why, in words for the package's author.
    *where* is set when the path itself is elsewhere: ``"outside"`` the package, or in
    its ``"output"`` folder (then it is the file's place that is wrong, not the file)."""

    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__(reason)
        self.where = where


@dataclass(frozen=True)
class UnconfinedFile:
    """An entry of the package that the build will not read, and why."""

    path: Path
    reason: str
    #: What to do about it, when it is not to move the file into the package.
    fix: str = ""


@dataclass(frozen=True)
class Confinement:
    root: Path
    outputs: tuple[Path, ...] = field(default=())

    @classmethod
    def of(cls, root: Path | str, outputs: Iterable[Path | str] = ()) -> Confinement:
        return cls(Path(os.path.realpath(root)), tuple(Path(os.path.realpath(out)) for out in outputs))

    def file(self, path: Path | str) -> Path:
        """The real path of *path*, a regular file of the package, or :class:`Refused`."""
        real = self._inside(path)
        mode = self._mode(real)
        if stat.S_ISDIR(mode):
            raise Refused(_("is a folder, not a file"))
        if not stat.S_ISREG(mode):
            raise Refused(_("is {kind}, not a regular file").format(kind=_kind(mode)))
        return real

    def file_or_folder(self, path: Path | str) -> Path:
        """Like :meth:`file`, but a folder is accepted when :meth:`folder_files` accepts it."""
        real = self._inside(path)
        mode = self._mode(real)
        if stat.S_ISDIR(mode):
            self.folder_files(real)
            return real
        if not stat.S_ISREG(mode):
            raise Refused(_("is {kind}, not a regular file").format(kind=_kind(mode)))
        return real

    def folder_files(self, folder: Path | str) -> list[Path]:
        """Every file under *folder*, each a regular file of the package.

        Symlinks inside are not followed into other folders: a link to a folder (which
        may lead back up, or out) refuses the whole folder, and so does any file that
        the link-free walk finds to be special or to resolve outside.
        """
        real = self._inside(folder)
        files = []
        for entry in _walk(real):
            relative = entry.relative_to(real).as_posix()
            if entry.is_symlink() and entry.is_dir():
                raise Refused(_("holds {name!r}, a link to a folder").format(name=relative))
            try:
                files.append(self.file(entry))
            except Refused as reason:
                raise Refused(_("holds {name!r}, which {reason}").format(name=relative, reason=reason)) from None
        return sorted(files)

    def contains(self, path: Path | str) -> bool:
        return self.refusal(path) is None

    def refusal(self, path: Path | str) -> Refused | None:
        """Why *path* is not a place of the package the build may read, or None."""
        try:
            self._inside(path)
        except Refused as refused:
            return refused
        return None

    def _inside(self, path: Path | str) -> Path:
        real = _resolve(Path(path))
        if not real.is_relative_to(self.root):
            raise Refused(_("resolves outside the package"), "outside")
        for output in self.outputs:
            if real.is_relative_to(output):
                raise Refused(_("is in the build's output folder"), "output")
        return real

    @staticmethod
    def _mode(real: Path) -> int:
        try:
            return real.stat().st_mode
        except FileNotFoundError:
            raise Refused(_("does not exist")) from None
        except OSError as error:
            raise Refused(_("cannot be read ({reason})").format(reason=error.strerror)) from None


def _resolve(path: Path) -> Path:
    """*path* with every symlink resolved; a loop or an over-long chain is refused."""
    _require_no_loop(path)
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, ValueError) as error:
        raise Refused(_("cannot be resolved ({reason})").format(reason=error)) from None


def _require_no_loop(path: Path) -> None:
    # realpath(strict=False) silently stops at a loop and returns a path inside it.
    probe, hops = path, 0
    while _is_symlink(probe):
        hops += 1
        if hops > _MAX_HOPS:
            raise Refused(_("is a symlink loop"))
        try:
            probe = probe.parent / os.readlink(probe)
        except OSError:
            return
    try:
        os.stat(path)
    except ValueError:
        raise Refused(_("is not a valid file name")) from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a loop in a parent folder
            raise Refused(_("is a symlink loop")) from None


def _is_symlink(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except ValueError:
        raise Refused(_("is not a valid file name")) from None
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return False  # said as "does not exist" once resolved
        # A name the file system cannot hold (too long), a folder it may not enter.
        raise Refused(_("cannot be read ({reason})").format(reason=error.strerror)) from None


def _walk(folder: Path) -> Iterator[Path]:
    for parent, subfolders, names in os.walk(folder, followlinks=False):
        base = Path(parent)
        for name in subfolders:
            if (base / name).is_symlink():
                yield base / name
        for name in names:
            yield base / name


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return _("a FIFO")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("a special file")
