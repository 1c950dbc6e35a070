"""The one error type for bad package input (exit code 2 in the CLI).

It subclasses :class:`sphinx.errors.SphinxError` so that Sphinx's event machinery
passes it through unchanged instead of wrapping it in an ``ExtensionError``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import SphinxError


class HandoverInputError(SphinxError):
    """A problem in the user's package that stops the build: one located line."""

    category = "handover input error"

    def __init__(
        self, path: str | Path, problem: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(self.located())

    def located(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.problem}"

    def __str__(self) -> str:
        return self.located()
