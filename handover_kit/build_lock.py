"""One build at a time per output folder.

Two builds writing one folder interleave their pages, caches and report: the site
could show one build's verdict beside the other's pages. The lock is an advisory
``flock`` on a file in the output folder, released by the kernel when the process
ends, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType

from .errors import UserError

LOCK_NAME = ".handover-build.lock"


class BuildLock:
    def __init__(self, out: Path) -> None:
        self.out = out
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise UserError(f"{os.path.relpath(self.out)}: cannot write the output folder ({error.strerror})") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(self._fd)
            self._fd = None
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise UserError(
                    f"{os.path.relpath(self.out)}: another handover build is writing this folder; "
                    "wait for it to finish or use another --out"
                ) from None
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None
