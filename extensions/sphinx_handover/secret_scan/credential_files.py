"""Secrets whose place a file's format gives, with no name beside the value.

- a PostgreSQL password file (``.pgpass``, ``pgpass.conf``): ``host:port:db:user:password``,
  the last field of each line;
- a delimited table (``.csv``, ``.tsv``): every value in a column whose heading names a
  secret (``password``, ``パスワード``, ``api_key``), as in a Markdown table;
- a PuTTY private key (``PuTTY-User-Key-File-``, in any file): the ``Private-Lines``
  below its header and its ``Private-MAC``.

Each reads a line once: linear in the file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from .secret_lines import ALLOWLIST_MARK, Hit
from .secret_words import MIN_VALUE, is_reference_or_placeholder, is_secret_label

PGPASS_NAMES = frozenset({".pgpass", "pgpass.conf"})
_PUTTY_HEADER = "PuTTY-User-Key-File-"
_PRIVATE_LINES = re.compile(r"Private-Lines:[ \t]*([0-9]{1,4})[ \t]*")
_PRIVATE_MAC = re.compile(r"Private-(?:MAC|Hash):[ \t]*(?P<value>\S{8,512})")


def credential_file_hits(path: Path, text: str) -> list[Hit]:
    """Every secret the format of *path* places (see the module's docstring)."""
    hits: list[Hit] = []
    name = path.name.lower()
    if name in PGPASS_NAMES:
        hits.extend(_pgpass(text))
    if path.suffix.lower() in (".csv", ".tsv"):
        hits.extend(_delimited(text, "\t" if path.suffix.lower() == ".tsv" else ","))
    if _PUTTY_HEADER in text:
        hits.extend(_putty(text))
    return hits


def _pgpass(text: str) -> list[Hit]:
    hits = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#") or ALLOWLIST_MARK in line:
            continue
        fields = _pgpass_fields(line)
        if len(fields) >= 5 and fields[4] and not is_reference_or_placeholder(fields[4]):
            hits.append(Hit(number, "password in a .pgpass line", ":".join(fields[4:])))
    return hits


def _pgpass_fields(line: str) -> list[str]:
    """The fields of a ``.pgpass`` line: split at each colon not escaped with ``\\``."""
    fields, current, index = [], [], 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line):
            current.append(line[index : index + 2])
            index += 2
            continue
        if char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    fields.append("".join(current))
    return fields


def _delimited(text: str, delimiter: str) -> list[Hit]:
    """Values under a secret's heading; a row the reader cannot split is skipped."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    hits: list[Hit] = []
    try:
        header = next(reader, None)
        if header is None:
            return []
        columns = [
            index
            for index, cell in enumerate(header)
            if is_secret_label(unicodedata.normalize("NFKC", cell).strip().strip("\"'*_`").strip())
        ]
        if not columns:
            return []
        for row in reader:
            for column in columns:
                if column < len(row):
                    value = row[column].strip()
                    if (
                        len(value) >= MIN_VALUE
                        and not is_reference_or_placeholder(value)
                        and ALLOWLIST_MARK not in value
                    ):
                        hits.append(Hit(reader.line_num, f"value in a secret's column ({header[column][:40]})", value))
    except csv.Error:
        return hits
    return hits


def _putty(text: str) -> list[Hit]:
    lines = text.split("\n")
    hits: list[Hit] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        count = _PRIVATE_LINES.fullmatch(line)
        if count is not None:
            body = [part.rstrip("\r") for part in lines[index + 1 : index + 1 + int(count.group(1))]]
            hits.extend(Hit(index + 2 + offset, "PuTTY private key", part) for offset, part in enumerate(body) if part)
            index += 1 + len(body)
            continue
        mac = _PRIVATE_MAC.match(line)
        if mac is not None:
            hits.append(Hit(index + 1, "PuTTY private key", mac.group("value")))
        index += 1
    return hits
