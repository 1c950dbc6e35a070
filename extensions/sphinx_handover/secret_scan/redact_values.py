"""Redaction of found secrets from data, before anything is serialised.

A global replace over a finished JSON or XML text corrupts it (a secret holding ``"``
or ``\\`` is escaped differently there) and rewrites unrelated text (a secret equal to
a common word). So redaction applies to the *values*: each string of the report's
dict, each text and attribute of the JUnit tree, each field of handover.yaml's parsed
data, each text node of a page; the writers then escape ``[REDACTED]`` like any text.

A secret shorter than :data:`MIN_LENGTH` characters is never replaced (it would hit
unrelated text everywhere; the detectors widen such a value to its syntax, e.g.
``:pw@``). A secret that could be a word (letters only, or short) is replaced only
where it stands as a token, not inside a longer word; a random-looking one anywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
MIN_LENGTH = 4


def redact(text: str, values: Iterable[str]) -> str:
    """*text* with every secret of *values* replaced by ``[REDACTED]``."""
    pattern = _pattern(frozenset(values))
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def redact_data(data: Any, values: Iterable[str]) -> Any:
    """A copy of *data* (dicts, lists, tuples, dataclasses, strings; keys too) with every
    string redacted; everything else is returned as it is."""
    pattern = _pattern(frozenset(values))
    if pattern is None:
        return data
    return _Walker(pattern).walk(data)


class _Walker:
    """Iterative where data can nest deeply (a report's lists of dicts); dataclasses of
    handover.yaml are a few levels deep and walked recursively."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def walk(self, data: Any, depth: int = 0) -> Any:
        if isinstance(data, str):
            return self.pattern.sub(REDACTED, data) if data else data
        if depth > 200:
            return data  # nothing the build makes is nested this deep
        if isinstance(data, dict):
            return {self.walk(key, depth + 1): self.walk(value, depth + 1) for key, value in data.items()}
        if isinstance(data, list):
            return [self.walk(item, depth + 1) for item in data]
        if isinstance(data, tuple) and not hasattr(data, "_fields"):
            return tuple(self.walk(item, depth + 1) for item in data)
        if dataclasses.is_dataclass(data) and not isinstance(data, type):
            changes = {}
            for item in dataclasses.fields(data):
                value = getattr(data, item.name)
                redacted = self.walk(value, depth + 1)
                if redacted is not value and redacted != value:
                    changes[item.name] = redacted
            return dataclasses.replace(data, **changes) if changes else data
        return data


@functools.lru_cache(maxsize=32)
def _pattern(values: frozenset[str]) -> re.Pattern[str] | None:
    alternatives = [
        _alternative(value) for value in sorted(values, key=lambda v: (-len(v), v)) if len(value) >= MIN_LENGTH
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


def _alternative(value: str) -> str:
    escaped = re.escape(value)
    if _could_be_a_word(value):
        before = r"(?<![A-Za-z0-9_])" if value[0].isalnum() else ""
        after = r"(?![A-Za-z0-9_])" if value[-1].isalnum() else ""
        return f"{before}{escaped}{after}"
    return escaped


def _could_be_a_word(value: str) -> bool:
    return len(value) < 8 or value.isalpha()
