"""A line as the secret detectors read it: normalised with NFKC, mapped back to what is written.

Full-width ``ＰＷ：`` and ``ｐａｓｓｗｏｒｄ＝`` are matched as their NFKC form, and the
*original* characters of a match are what is reported and redacted: :class:`Line`
keeps the map between the two. The form is what a reader sees: invisible format
characters (zero-width space and joiners, soft hyphen, BOM, bidi controls) are dropped
and HTML character references (``pass&#119;ord``, ``&#x50;``, ``&amp;``) are decoded,
because Markdown renders them as the characters they stand for (one that would decode
to a line break is read as a blank, so lines keep their numbers). :class:`Lines` makes a line's form only when a detector
first looks at it, and forgets it once no detector can come back to it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

ALLOWLIST_MARK = "pragma: allowlist secret"

#: Format characters a reader does not see, which would split a name or a value.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
#: An HTML character reference, numeric or named (bounded: linear).
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _decoded(reference: str) -> str:
    """What a character reference renders as, as the detectors read it."""
    text = html.unescape(reference)
    if text == reference:
        return text  # not a reference HTML knows: left as written
    return _readable(text)


def _readable(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    return "".join(" " if char in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else char for char in text)


def normal_text(text: str) -> str:
    """A whole text as the detectors read it, line for line (see the module's docstring)."""
    if not text.isascii():
        text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    if "&" in text:
        text = _REFERENCE.sub(lambda match: _decoded(match.group(0)), text)
    return text


def _needs_map(text: str) -> bool:
    if "&" in text and _REFERENCE.search(text):
        return True
    if text.isascii():
        return False
    return not unicodedata.is_normalized("NFKC", text) or INVISIBLE.search(text) is not None


@dataclass(frozen=True)
class Hit:
    line: int
    kind: str
    #: The secret as written in the file (not normalised).
    value: str


class Line:
    """One line and its readable form, with the map from the form's offsets to the line's."""

    def __init__(self, text: str) -> None:
        self.text = text.rstrip("\r")
        # Most lines are their readable form already (only full-width ASCII, half-width
        # kana, invisible characters and references change): checked in C, they need no
        # map built character by character.
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        if not _needs_map(self.text):
            self.norm = self.text
            return
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        index = 0
        while index < len(self.text):
            char = self.text[index]
            reference = _REFERENCE.match(self.text, index) if char == "&" else None
            end = reference.end() if reference else index + 1
            normal = _decoded(reference.group(0)) if reference else char if char.isascii() else _readable(char)
            pieces.append(normal)
            starts.extend([index] * len(normal))
            ends.extend([end] * len(normal))
            index = end
        starts.append(len(self.text))
        self.norm, self._starts, self._ends = "".join(pieces), starts, ends

    def original(self, start: int, end: int) -> str:
        """The characters as written behind the form's ``[start, end)`` (a reference or an
        invisible character inside the span is part of it)."""
        if self._starts is None:
            return self.text[start:end]
        if end <= start:
            return ""
        return self.text[self._starts[start] : self._ends[end - 1]]


class Lines:
    """The lines of a text as written (:attr:`raw`), each made a :class:`Line` when first asked for."""

    def __init__(self, raw: list[str]) -> None:
        self.raw = raw
        self._made: dict[int, Line] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, index: int) -> Line:
        if index not in self._made:
            self._made[index] = Line(self.raw[index])
        return self._made[index]

    def forget(self, index: int) -> None:
        self._made.pop(index, None)
