"""Exit codes and the one error type the CLI turns into a message."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    READY = 0
    NOT_READY = 1
    INPUT_ERROR = 2
    INTERNAL_ERROR = 3
    #: Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
    INTERRUPTED = 130


class UserError(Exception):
    """Bad input from the user: shown as one line, exit code 2. Never a traceback."""
