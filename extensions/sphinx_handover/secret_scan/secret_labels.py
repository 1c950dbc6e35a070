"""Values a label points at without ``=`` or ``:`` between them: Markdown tables and labels alone on a line.

A value in a table cell beside a label cell (``| パスワード | S3cr3t! |``), in a column
under a label heading, or on the line under a label that stands alone (``パスワード:``,
``**Password**``, a definition term). No syntax says a value follows, so only one token
that looks random counts. A table row belongs to one table, so each row is read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .secret_lines import ALLOWLIST_MARK, Hit, Line, Lines
from .secret_words import MIN_VALUE, is_reference_or_placeholder, is_secret_label, looks_random

_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?")
_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,3}[.)])[ \t]+")
_LABEL_ALONE = re.compile(r"[\w ()-]{1,40}")
_DEFINITION = re.compile(r":[ \t]+")


def table(lines: Lines, index: int) -> tuple[list[Hit], int]:
    """The hits of the table whose row *index* is, if it has a label cell, and the last
    row looked at: a value beside a label cell, or under a label column heading."""
    line = lines[index]
    cells = _cells(line.norm)
    labels = [number for number, (start, end) in enumerate(cells) if is_secret_label(_label_text(line.norm[start:end]))]
    if not labels:
        return [], index
    hits: list[Hit] = []
    last = index
    if index + 1 < len(lines) and _DELIMITER_ROW.fullmatch(lines.raw[index + 1].strip()):
        row = index + 2
        while row < len(lines) and lines.raw[row].lstrip().startswith("|"):
            hits.extend(_cell_hits(lines, row, labels, offset=0))
            last = row
            row += 1
        return hits, last
    hits.extend(_cell_hits(lines, index, labels, offset=1))
    return hits, index


def _cell_hits(lines: Lines, index: int, columns: list[int], offset: int) -> Iterator[Hit]:
    line = lines[index]
    if ALLOWLIST_MARK in line.text:
        return
    cells = _cells(line.norm)
    for column in columns:
        if column + offset < len(cells):
            start, end = cells[column + offset]
            value = _strip_markup(line.norm[start:end])
            if _unlabelled_value_is_secret(value):
                begin = start + line.norm[start:end].find(value)
                yield Hit(index + 1, "value in a secret's table column", line.original(begin, begin + len(value)))


def value_under_label(lines: Lines, index: int, line: Line) -> Iterator[Hit]:
    """The value on the first line under a label alone on its line (``パスワード:``, ``**Password**``)."""
    label = _label_text(_LIST_MARKER.sub("", line.norm.strip(), count=1))
    if not label or not _LABEL_ALONE.fullmatch(label) or not _names_a_secret_last(label):
        return
    for following in range(index + 1, min(index + 4, len(lines))):
        below = lines[following]
        stripped = below.norm.strip()
        if not stripped or stripped.startswith("```"):
            continue
        if ALLOWLIST_MARK in below.text:
            return
        value = _strip_markup(_DEFINITION.sub("", stripped, count=1))
        if " " not in value and _unlabelled_value_is_secret(value):
            begin = below.norm.find(value)
            yield Hit(
                following + 1, f"value under a secret's label ({label})", below.original(begin, begin + len(value))
            )
        return


def _names_a_secret_last(label: str) -> bool:
    """A short label that ends with a secret's name (``DB password``, ``API key``), not a
    sentence that merely holds one."""
    words = label.split()
    if any(char.isdigit() for char in label):
        return False  # a value on the line: ``ENV SECRET_KEY dj4ngo``
    return 0 < len(words) <= 4 and is_secret_label(" ".join(words[-2:])) and is_secret_label(label)


def _cells(norm: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a Markdown table row, without the outer pipes."""
    start = norm.find("|") + 1
    spans = []
    while True:
        end = norm.find("|", start)
        if end == -1:
            if norm[start:].strip():
                spans.append((start, len(norm)))
            return spans
        spans.append((start, end))
        start = end + 1


def _label_text(text: str) -> str:
    return text.strip().strip("*_`").strip().rstrip(":").strip().strip("*_`").strip()


def _strip_markup(text: str) -> str:
    return text.strip().strip("*_`").strip()


def _unlabelled_value_is_secret(value: str) -> bool:
    """Where no ``=`` or ``:`` says a value follows: one token that could be a secret."""
    return (
        len(value) >= MIN_VALUE
        and not any(char.isspace() for char in value)
        and not is_reference_or_placeholder(value)
        and looks_random(value)
    )
