"""The one error type for bad package input (exit code 2 in the CLI).

It subclasses :class:`sphinx.errors.SphinxError` so that Sphinx's event machinery
passes it through unchanged instead of wrapping it in an ``ExtensionError``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import ParamSpec, TypeVar

from sphinx.errors import SphinxError

from ..rules.rules_table import Rule

P = ParamSpec("P")
R = TypeVar("R")


class HandoverInputError(SphinxError):
    """A problem in the user's package that stops the build: one located line."""

    category = "handover input error"

    def __init__(
        self,
        path: str | Path,
        problem: str,
        line: int | None = None,
        column: int | None = None,
        *,
        rule: Rule = Rule.PACKAGE_DATA,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        self.rule = rule
        super().__init__(self.located())

    def located(self, *, with_rule: bool = True) -> str:
        """``file:line:column: problem [handover.rule]``; without the rule for a file that is
        not the package's (the answers file of ``handover new``)."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.problem} [{self.rule.label}]" if with_rule else f"{where}: {self.problem}"

    def __str__(self) -> str:
        return self.located()


class HandoverStop(SystemExit):
    """Ends a plain ``sphinx-build`` at a :class:`HandoverInputError`: exit code 2 after
    its one line, where Sphinx would print its crash report (versions, extensions, a
    saved traceback) for any exception an extension raises. ``sphinx-build`` catches
    every ``Exception`` but lets ``SystemExit`` through. The ``handover`` command asks
    for the error itself instead (:func:`input_errors_raised`) and prints it its own way.
    """

    def __init__(self, error: HandoverInputError) -> None:
        super().__init__(2)
        self.error = error


_RAISED: ContextVar[bool] = ContextVar("handover_input_errors_raised", default=False)


@contextmanager
def input_errors_raised() -> Iterator[None]:
    """Within this block, a package that cannot be configured raises HandoverInputError."""
    token = _RAISED.set(True)
    try:
        yield
    finally:
        _RAISED.reset(token)


def stops_the_build(handler: Callable[P, R]) -> Callable[P, R]:
    """*handler* (of an event before reading), whose HandoverInputError ends a plain
    sphinx-build with one line (:func:`stop`)."""

    @functools.wraps(handler)
    def handled(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return handler(*args, **kwargs)
        except HandoverInputError as error:
            raise stop(error) from error

    return handled


def stop(error: HandoverInputError) -> HandoverStop | HandoverInputError:
    """What to raise for *error*: itself for the ``handover`` command, else after printing
    it as one line, a stop of the build."""
    if _RAISED.get():
        return error
    print(f"sphinx_handover: error: {error}", file=sys.stderr)
    return HandoverStop(error)
