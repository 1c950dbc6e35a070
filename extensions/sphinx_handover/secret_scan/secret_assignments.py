"""Assignments: a name that says "secret", a separator, a value, in any syntax and file type.

``export PGPASSWORD=``, ``DB_PASSWORD=``, ``"password": "…"``, ``set PASSWORD=``,
``$env:API_KEY=``, ``ENV SECRET_KEY …``, ``--api-key=``, ``<!-- pw: … -->``, a token
or signature in a query string, a YAML or code comment: lines are read as text, so
comments are scanned like anything else. Where no separator follows the name, a value
may still follow it as a reader would read it: after blanks, a Japanese particle
(``パスワードは``), an opening bracket or quote (``パスワード「…」``) or an HTML tag
(``<td>Password</td><td>…``), if it ends the phrase (the line, a closing bracket or
punctuation, ``です``) and looks generated (:func:`.secret_words.looks_generated`):
``Password for admin is …``, ``.netrc``'s ``password …``, a heading ``Admin password …``, ``-storepass …``. Linear in the line: each name is expanded
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
    looks_generated,
    looks_random,
    name_parts,
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
#: What may stand between a name and its value where no separator does (bounded).
_GAP = re.compile(
    r"(?:[ \t]{0,8}(?:</?[A-Za-z][A-Za-z0-9]{0,9}(?:[ \t][^<>]{0,80})?>[ \t]{0,8}){1,4}"
    r"|[\"'][ \t]{0,8},[ \t]{0,8}[\"']"  # the next item of a list: ["--password", "…"]
    r"|[\"'][ \t]{1,8}(?:value|content)[ \t]{0,4}=[ \t]{0,4}[\"']"  # <add key="ApiKey" value="…">
    r"|[\"']?>[ \t]{0,8}"  # an element named by the secret: <password>…</password>, <entry key="db.password">…
    r"|[ \t]{1,8}(?:(?:for|of)[ \t]{1,8}(?:[\w@.-]{1,40}[ \t]{1,8}){1,3})?(?:is|was)[ \t]{1,8}[\"'`]?"  # … for admin is …
    r"|[ \t]{0,8}(?:は|が|も|を|、|,)[ \t]{0,8}[「『（(\"'`]?|[ \t]{0,8}[「『（(\"'`]|[ \t]{1,16})"
)
_PARTICLES = "はがもを"
_LOOSE_VALUE = re.compile(r"[A-Za-z0-9!#$%&*+\-./=?@^_~]{6,256}")
#: What ends a phrase after a value: the line, a closing bracket, quote or tag, punctuation, ``です``.
_PHRASE_END = re.compile(r"[ \t]*(?:$|[」』）)\"'`<。、,.;!]|です|でした|だ(?:$|[。、]))")


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
        if not word.group(0).isascii():
            end = _japanese_name_end(norm, word.end(), end)
        done = end
        name = norm[start:end].strip(".")
        in_query = start > 0 and norm[start - 1] in "?&"
        secret_name = is_secret_name(name, in_query=in_query) or is_option_password(name)
        if not secret_name and not (in_query and _is_query_key(name, norm, end)):
            continue
        found = _value_after(norm, end, name, in_query, dockerfile_env)
        if found is None and not in_query:
            loose = _loose_value(norm, end, name)
            if loose is not None:
                done = max(done, loose[1])
                yield *loose, f"labelled secret ({name.lstrip('-$')[:40]})"
            continue
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


def _loose_value(norm: str, end: int, name: str) -> tuple[int, int] | None:
    """A value after a name with no separator, as a reader reads it (see the module's docstring)."""
    if name.startswith("-") and not is_secret_name(name):
        return None  # an option is secret by its name alone, tested by the caller
    gap = _GAP.match(norm, end)
    if gap is None and name[-1] not in _PARTICLES:
        return None
    value = _LOOSE_VALUE.match(norm, gap.end() if gap else end)
    if value is None or not _PHRASE_END.match(norm, value.end()):
        # a trailing full stop or comma belongs to the sentence, not to the value
        return None
    token = value.group(0)
    if not looks_generated(token.rstrip(".,")):
        return None
    return value.start(), value.start() + len(token.rstrip(".,"))


def _japanese_name_end(norm: str, start: int, end: int) -> int:
    """A Japanese name ends where ASCII letters or digits start (``パスワードはXy9…``)."""
    for position in range(start, end):
        if norm[position].isascii() and norm[position].isalnum():
            return position
    return end


def is_option_password(name: str) -> bool:
    """``-storepass``, ``--keypass``, ``-srcstorepass``: an option named for a password."""
    parts = name_parts(name)
    return name.startswith("-") and bool(parts) and parts[-1].endswith(("pass", "passwd", "pwd"))


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
