"""The parts of the ``handover`` command's parser that every verb shares.

Each verb adds its own parser beside its handler (``add_parser(commands)``); here are
the parser class (a usage error is one line and exit 2), the type of ``commands``, and
the options several verbs take alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import NoReturn, Protocol

from sphinx_handover.model.timeline import REVIEWS
from sphinx_handover.model.yamlsrc import parse_date

from .errors import ExitCode

PACKAGE_HELP = "the package (default: the one holding the current folder, found upwards)"
GATE_HELP = "the review to evaluate (default: the latest review held by the as-of date)"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as for every input error
        self.exit(ExitCode.INPUT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class Commands(Protocol):
    """Where a verb adds its parser: the subcommands of ``handover`` (or of a verb such as
    ``evidence``), made with ``add_subparsers(parser_class=Parser)``."""

    def add_parser(self, name: str, *, help: str | None = None) -> Parser: ...


def date_value(value: str) -> dt.date:
    """A YYYY-MM-DD option (``--as-of``, ``--date``)."""
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid date (YYYY-MM-DD)")
    return parsed


def add_package_argument(parser: argparse.ArgumentParser) -> None:
    """DIR: the package, found upwards from the current folder when not given."""
    parser.add_argument("directory", type=Path, nargs="?", metavar="DIR", help=PACKAGE_HELP)


def add_gate_options(parser: argparse.ArgumentParser, *, gate_help: str = GATE_HELP) -> None:
    """--as-of and --gate: the day and the review the gate is evaluated at."""
    parser.add_argument("--as-of", type=date_value, metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
    parser.add_argument("--gate", choices=list(REVIEWS), help=gate_help)


def add_verbose_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="store_true", help="show Sphinx's progress")
