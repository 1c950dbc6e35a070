"""Assignments: a name that says "secret", a separator, a value, in any syntax and file type.

``export PGPASSWORD=``, ``DB_PASSWORD=``, ``"password": "…"``, ``set PASSWORD=``,
``$env:API_KEY=``, ``ENV SECRET_KEY …``, ``--api-key=``, ``<!-- pw: … -->``, a token
or signature in a query string, a YAML or code comment: lines are read as text, so
comments are scanned like anything else. Linear in the line: each name is expanded
once from the literal found in it, and everything after it is matched anchored with
bounded repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .secret_words import (
    MIN_VALUE,
    NAME_WORDS,
    is_reference_or_placeholder,
    is_secret_name,
    looks_random,
    names_a_password,
)

_NAME_CHAR = re.compile(r"[\w.$-]")
_NAME_END = re.compile(r"[\w.$-]*")
#: After a name: a closing quote or bracket (JSON, a dict), Markdown emphasis, then the separator.
_SEPARATOR = re.compile(r"""["'`\]]?[*_]{0,2}[ \t]{0,16}(?P<sep>:=|=>|==|[=:])(?!//)[ \t]{0,16}""")
_BLANKS = re.compile(r"[ \t]{1,16}")
_UNQUOTED = re.compile(r"[^\s\"'`,;|<>(){}\[\]、。]+")
_UNQUOTED_IN_QUERY = re.compile(r"[^\s\"'`,;|<>(){}\[\]&#]+")
_PROSE_FOLLOWS = re.compile(r"[ \t]+[A-Za-z\u3000-\u9fff]")


def assignments(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each value assigned to a secret's name on one normalised line."""
    done = 0
    dockerfile_env = norm.lstrip(" \t")[:4].upper() == "ENV "  # once per line, not per name
    for word in NAME_WORDS.finditer(norm):
        if word.start() < done:
            continue  # inside a name already looked at: each character is visited once
        start = word.start()
        while start > done and _NAME_CHAR.match(norm, start - 1):
            start -= 1
        run = _NAME_END.match(norm, word.end())
        end = run.end() if run else word.end()  # the pattern's empty run: never None
        done = end
        name = norm[start:end].strip(".")
        in_query = start > 0 and norm[start - 1] in "?&"
        if not is_secret_name(name, in_query=in_query) and not (in_query and _is_query_key(name, norm, end)):
            continue
        found = _value_after(norm, end, name, in_query, dockerfile_env)
        if found is not None:
            value_start, value_end, quoted = found
            value = norm[value_start:value_end]
            if _value_is_secret(value, quoted, name) and not (quoted is False and _prose(norm, value_end, value)):
                done = max(done, value_end)
                yield value_start, value_end, f"labelled secret ({name.lstrip('-$')[:40]})"


def _value_after(norm: str, end: int, name: str, in_query: bool, dockerfile_env: bool) -> tuple[int, int, bool] | None:
    separator = _SEPARATOR.match(norm, end)
    if separator is None:
        # ``--token abc``, ``ENV SECRET_KEY abc``: a blank separates name and value.
        if not (name.startswith("-") or dockerfile_env):
            return None
        separator = _BLANKS.match(norm, end)
        if separator is None:
            return None
    position = separator.end()
    if position < len(norm) and norm[position] in "\"'`":
        quote = norm[position]
        closing = norm.find(quote, position + 1)
        while closing != -1 and norm[closing - 1] == "\\":  # an escaped quote (JSON, shell)
            closing = norm.find(quote, closing + 1)
        if closing == -1:
            return None
        return position + 1, closing, True
    value = (_UNQUOTED_IN_QUERY if in_query else _UNQUOTED).match(norm, position)
    if value is None:
        return None
    return value.start(), value.end(), False


def _is_query_key(name: str, norm: str, end: int) -> bool:
    """``key=`` in a query string counts when its value is long and random."""
    if name.lower() != "key" or not norm.startswith("=", end):
        return False
    value = _UNQUOTED_IN_QUERY.match(norm, end + 1)
    return value is not None and len(value.group(0)) >= 16 and looks_random(value.group(0))


def _value_is_secret(value: str, quoted: bool, name: str) -> bool:
    value = value.strip()
    if len(value) < MIN_VALUE or is_reference_or_placeholder(value):
        return False
    if not any(char.isascii() and char.isalnum() for char in value):
        return "合言葉" in name or "passphrase" in name.lower()  # Japanese words as a passphrase
    if value.isdigit() and len(value) < 6:
        return "暗証番号" in name  # a PIN; other short numbers are counts and lengths
    if value.isascii() and value.isalpha() and not quoted:
        return names_a_password(name) or looks_random(value)  # auth: basic, token: header
    return True


def _prose(norm: str, value_end: int, value: str) -> bool:
    """``Password: stored in the vault``: a plain word followed by more words is a sentence."""
    return value.isalpha() and value[1:].islower() and _PROSE_FOLLOWS.match(norm, value_end) is not None
