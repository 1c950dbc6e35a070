"""A line as the secret detectors read it: normalised with NFKC, mapped back to what is written.

Full-width ``ＰＷ：`` and ``ｐａｓｓｗｏｒｄ＝`` are matched as their NFKC form, and the
*original* characters of a match are what is reported and redacted: :class:`Line`
keeps the map between the two. :class:`Lines` makes a line's form only when a detector
first looks at it, and forgets it once no detector can come back to it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ALLOWLIST_MARK = "pragma: allowlist secret"


@dataclass(frozen=True)
class Hit:
    line: int
    kind: str
    #: The secret as written in the file (not normalised).
    value: str


class Line:
    """One line and its NFKC form, with the map from the form's offsets to the line's."""

    def __init__(self, text: str) -> None:
        self.text = text.rstrip("\r")
        # Most Japanese lines are NFKC already (only full-width ASCII and half-width kana
        # change): checked in C, they need no map built character by character.
        if self.text.isascii() or unicodedata.is_normalized("NFKC", self.text):
            self.norm, self._map = self.text, None
        else:
            pieces, offsets = [], []
            for index, char in enumerate(self.text):
                normal = unicodedata.normalize("NFKC", char) if not char.isascii() else char
                pieces.append(normal)
                offsets.extend([index] * len(normal))
            offsets.append(len(self.text))
            self.norm, self._map = "".join(pieces), offsets

    def original(self, start: int, end: int) -> str:
        if self._map is None:
            return self.text[start:end]
        return self.text[self._map[start] : self._map[end - 1] + 1 if end > start else self._map[start]]


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
