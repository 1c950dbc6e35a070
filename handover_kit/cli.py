"""The ``handover`` command: new, init, build, check, add, evidence add, rehash, serve,
export, signoff, diff. Each verb's parser and handler live where the verb belongs
(``commands``, ``authoring/commands``, ``review/``); here is the entry point and the one
place where errors become ``handover: error: …`` lines and exit codes.

Exit codes: 0 ready, 1 not ready, 2 usage or input error, 3 internal error (a bug).
Expected errors become one line on stderr; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import traceback
from collections.abc import Sequence

from sphinx.errors import ConfigError, ExtensionError, SphinxError

from sphinx_handover._version import __version__
from sphinx_handover.model.errors import HandoverInputError, input_errors_raised

from . import commands as package_commands
from .authoring import commands as authoring
from .cli_parser import Parser
from .errors import ExitCode, UserError
from .review import diff, signoff
from .runner import short_words


def main(argv: Sequence[str] | None = None, *, then_exit: bool = False) -> int:
    """Run one command; *then_exit*: the process ends right after (see entrypoint)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version or a usage error
        return int(exc.code or 0)
    args.then_exit = then_exit
    try:
        with input_errors_raised():
            return int(args.command(args))
    except (UserError, HandoverInputError, ConfigError) as exc:
        _error(str(exc))
    except SphinxError as exc:
        if isinstance(exc, ExtensionError) and isinstance(exc.orig_exc, OSError) and exc.orig_exc.filename:
            _error(_file_system_error(exc.orig_exc))
        elif isinstance(exc, ExtensionError) and exc.orig_exc is not None:
            return _internal_error(exc)
        else:
            _error(f"{exc.category}: {exc}")
    except OSError as exc:
        if not exc.filename:
            return _internal_error(exc)
        _error(_file_system_error(exc))
    except KeyboardInterrupt:
        _error("interrupted; nothing was left half-written")
        return ExitCode.INTERRUPTED
    except Exception as exc:
        return _internal_error(exc)
    return ExitCode.INPUT_ERROR


def entrypoint() -> None:
    # Started with a stream closed (handover check >&-): Python has None there, and every
    # print and flush would raise; what would be shown goes nowhere, the exit code stays.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (open until os._exit)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show Japanese (PYTHONIOENCODING=ascii, a C locale without
        # UTF-8): the verdict is printed with escapes, not lost to a UnicodeEncodeError.
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="backslashreplace")
    code = main(sys.argv[1:], then_exit=True)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (handover check --json | head)
            stream.flush()
    if sys.getprofile() or sys.gettrace():
        sys.exit(code)  # a profiler or coverage writes its data at exit
    # As mypy does (mypy.util.hard_exit): the objects of a whole build are not freed one
    # by one on the way out, which took over a second at 1,000 needs.
    os._exit(code)


def _file_system_error(error: OSError) -> str:
    """A file the build could not read or write (a read-only output folder, a full disk,
    a name too long for the file system): one line naming it, not a traceback."""
    return f"{os.path.relpath(os.fsdecode(error.filename))}: {error.strerror or error}"


def _error(message: str) -> None:
    print(f"handover: error: {short_words(message)}", file=sys.stderr)


def _internal_error(exc: BaseException) -> int:
    traceback.print_exception(exc, file=sys.stderr)
    print(
        "handover: internal error (a bug in handover-kit or a Sphinx extension); please report it with the traceback above",
        file=sys.stderr,
    )
    return ExitCode.INTERNAL_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="handover", description="Operations handover packages as docs-as-code.")
    parser.add_argument("--version", action="version", version=f"handover-kit {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, parser_class=Parser)
    # In the order `handover --help` lists them.
    authoring.add_new_parser(commands)
    authoring.add_init_parser(commands)
    authoring.add_add_parser(commands)
    authoring.add_evidence_parser(commands)
    package_commands.add_export_parser(commands)
    signoff.add_parser(commands)
    diff.add_parser(commands)
    authoring.add_rehash_parser(commands)
    package_commands.add_serve_parser(commands)
    package_commands.add_build_parsers(commands)
    return parser
