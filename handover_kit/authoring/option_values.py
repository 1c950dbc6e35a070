"""Values typed on the command line, made safe to write into a need directive.

Every value is untrusted: a line break would start a new option or close the fence, a
fence marker or an option-like ``:id:`` would read as structure to a human reviewer or
a later edit, ``[[...]]`` is a sphinx-needs dynamic function. Those are refused. What
remains is written plain when MyST's own option parser reads it back unchanged, else
double-quoted (``Team #2`` would lose ``#2`` to a YAML comment), and refused if even
that does not read back.
"""

from __future__ import annotations

import json
import re
import unicodedata

from myst_parser.parsers.options import TokenizeError, options_to_items

from ..errors import UserError

MAX_LENGTH = 1000
#: Joiners that some scripts and emoji need; every other format character is refused.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
_FENCE = re.compile(r"`{3,}|~{3,}")
_OPTION_LIKE = re.compile(r"(?:^|\s):[^\s:]+:")


def clean(what: str, value: str) -> str:
    """*value* stripped, or a :class:`UserError` saying why it cannot be written."""
    value = value.strip()
    if not value:
        raise UserError(f"{what}: is empty")
    if len(value) > MAX_LENGTH:
        raise UserError(f"{what}: is {len(value)} characters long, over the {MAX_LENGTH} a value may have")
    for character in value:
        if _is_control(character):
            raise UserError(f"{what}: {value!r} holds {_name(character)}: a value is one line of text")
    if _FENCE.search(value):
        raise UserError(f"{what}: {value!r} holds a code fence marker (``` or ~~~)")
    if _OPTION_LIKE.search(value):
        raise UserError(f"{what}: {value!r} holds what reads as a directive option (:name:)")
    if "[[" in value:
        raise UserError(f"{what}: {value!r} holds '[[', which sphinx-needs would run as a dynamic function")
    return value


def clean_title(value: str) -> str:
    """A title goes on the fence's own line, where a backtick would end the fence."""
    value = clean("--title", value)
    if "`" in value:
        raise UserError(f"--title: {value!r} holds a backtick, which a fence's opening line cannot hold")
    return value


def option_line(name: str, value: str) -> str:
    """``:name: value``, quoted when plain text would not read back as *value*."""
    for written in (value, json.dumps(value, ensure_ascii=False)):
        if _reads_back(name, written, value):
            return f":{name}: {written}"
    raise UserError(f"--{name.replace('_', '-')}: {value!r} cannot be written as a directive option")


def shown(text: str) -> str:
    """*text* for a terminal: as is when printable, else quoted with its escapes visible."""
    return text if text.isprintable() else repr(text)


def _reads_back(name: str, written: str, value: str) -> bool:
    try:
        items, _state = options_to_items(f"{name}: {written}")
    except TokenizeError:
        return False
    return items == [(name, value)]


def _is_control(character: str) -> bool:
    category = unicodedata.category(character)
    return category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and character not in _ALLOWED_FORMAT)


def _name(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name.lower()})" if name else "")
