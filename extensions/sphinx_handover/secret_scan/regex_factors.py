"""Literal strings a regular expression cannot match without: a fast first test.

Python's ``re`` tries a pattern at every position of a text unless the pattern starts
with a literal, and never takes that shortcut for a case-insensitive one; most of
detect-secrets' patterns start with lookbehinds and optional groups and ignore case.
If every match of a pattern must contain one of a few literal strings (``password``,
``pwd``, ``key``, ...), a text holding none of them cannot match, and ``in`` finds
that out at C speed. A pattern can have several such requirements, one per mandatory
part (``(?:cloudant|cl)_?(?:key|pwd)``: ``cl``, and ``key`` or ``pwd``); a text must
meet all of them. This is the prefilter idea of RE2's FilteredRE2, kept small: the
factors are read from the pattern's parse tree (``re._parser``; if that fails, or the
pattern has no factor of at least :data:`MIN_LENGTH` characters, there are none and
the pattern is always run). Where a pattern ignores case, a factor holds only ASCII
characters, for which case-insensitive matching is exactly ``str.lower`` once the three
other letters Python's ``re`` matches to ASCII ones are mapped to them, and characters
without case (Japanese), which match only themselves.

A text that holds the factors is searched whole, unless no match of the pattern can
hold a line break (:func:`within_a_line`): then only the lines holding a factor are,
each as ``pattern.search(text, start, end)``, which keeps lookbehinds and ``^`` looking
at the text itself. Lines are few where a factor is common (``key``, ``cl``): this took
the IBM and Cloudant patterns from 0.4 CPU s to almost nothing on the 1k benchmark package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from . import regex_tree

#: Shorter factors are in nearly every text and would only add a test.
MIN_LENGTH = 2
#: The non-ASCII letters ``re.IGNORECASE`` matches to ASCII ones (the ``re`` docs) that
#: ``str.lower`` does not turn into them; the fourth, the Kelvin sign, it does.
_TO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


@dataclass(frozen=True)
class Factored:
    """A pattern with the literals its matches need: each requirement is a set of
    strings one of which every match contains, so a text the pattern matches holds one
    string of every requirement."""

    pattern: re.Pattern[str]
    #: Most selective first; none: the pattern must always be run.
    requirements: tuple[frozenset[str], ...]
    ignore_case: bool
    #: No match holds a line break: only the lines holding a factor need be searched.
    line_bound: bool = False

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Factored:
        ignore_case = bool(pattern.flags & re.IGNORECASE)
        requirements = _requirements(pattern)
        if ignore_case:
            requirements = [{factor.lower() for factor in required} for required in requirements]
        return cls(pattern, _simplest(requirements), ignore_case, within_a_line(pattern))

    def search(self, text: str, folded: Folded) -> bool:
        if not self.requirements:
            return self.pattern.search(text) is not None
        haystack = folded.text if self.ignore_case else text
        if not all(any(factor in haystack for factor in required) for required in self.requirements):
            return False
        if not self.line_bound:
            return self.pattern.search(text) is not None
        # The folded text has the original's length: line spans are the same in both.
        return any(self.pattern.search(text, start, end) for start, end in line_spans(self.requirements[0], haystack))


class Folded:
    """A text in lower case, for case-insensitive factors; made only if one is needed."""

    def __init__(self, text: str) -> None:
        self._original = text
        self._folded: str | None = None

    @property
    def text(self) -> str:
        if self._folded is None:
            text = self._original
            for letter, ascii_letter in _TO_ASCII.items():
                if letter in text:  # rare; str.translate would cost more than lower()
                    text = text.replace(letter, ascii_letter)
            self._folded = text.lower()
        return self._folded


def any_match(patterns: Iterable[Factored], text: str) -> bool:
    folded = Folded(text)
    return any(pattern.search(text, folded) for pattern in patterns)


def lines_holding(factors: Iterable[str], text: str) -> list[int]:
    """The indexes of the lines of *text* that hold one of *factors*, in order.

    Linear: each factor is searched for at C speed, and once it is found on a line the
    rest of that line is skipped; lines are counted once, between sorted positions."""
    positions = _first_on_each_line(factors, text)
    lines: list[int] = []
    line = counted = 0
    for position in positions:
        line += text.count("\n", counted, position)
        counted = position
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def line_spans(factors: Iterable[str], text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of *text* that holds one of *factors*, its line break
    included (a lookahead at the line's end sees it, as in the whole text)."""
    spans: dict[int, int] = {}
    for position in _first_on_each_line(factors, text):
        start = text.rfind("\n", 0, position) + 1
        if start not in spans:
            end = text.find("\n", position)
            spans[start] = len(text) if end == -1 else end + 1
    return list(spans.items())


def _first_on_each_line(factors: Iterable[str], text: str) -> list[int]:
    positions = []
    for factor in factors:
        position = text.find(factor)
        while position != -1:
            positions.append(position)
            end = text.find("\n", position + len(factor))
            position = -1 if end == -1 else text.find(factor, end + 1)
    positions.sort()
    return positions


def within_a_line(pattern: re.Pattern[str]) -> bool:
    """Whether no match of *pattern* can hold a line break: nothing it consumes and no
    lookahead can match one (a negative lookahead may: cut off at the line's end, it
    can only let more through). Lookbehinds see the whole text. False if unsure."""
    try:
        ops, tree = regex_tree.parse(pattern)
        return _NewlineFree(ops, bool(pattern.flags & re.DOTALL)).sequence(tree)
    except Exception:  # any surprise in a private module: searched whole
        return False


def _requirements(pattern: re.Pattern[str]) -> list[set[str]]:
    try:
        ops, tree = regex_tree.parse(pattern)
        return _Reader(ops, bool(pattern.flags & re.IGNORECASE)).sequence(tree)
    except Exception:  # any surprise in a private module: no factors, always run
        return []


def _simplest(requirements: Iterable[set[str]]) -> tuple[frozenset[str], ...]:
    """Each requirement without the strings that hold another of its strings (a text
    holding ``key"`` holds ``key``: the test is the same, with fewer strings), each
    once, the longest shortest string first: the likeliest to rule a text out."""
    simplest = {
        frozenset(factor for factor in required if not any(other != factor and other in factor for other in required))
        for required in requirements
    }
    return tuple(sorted(simplest, key=lambda required: (-_shortest(required), sorted(required))))


class _Reader:
    """The strings one of which every match of a parsed (sub)pattern contains.

    Parts that match only a few exact strings (``api``, ``_?``, ``(?:key|pwd)``) are
    spelled out together, so ``api_?key`` requires ``apikey`` or ``api_key`` rather
    than just ``api``, which half the pages of a handover hold.
    """

    #: More exact strings than this and a run of parts is cut in two.
    MAX_STRINGS = 64

    def __init__(self, ops: regex_tree.Opcodes, ignore_case: bool) -> None:
        self.ops = ops
        self.ignore_case = ignore_case
        self.repeats: set[regex_tree.Op] = {
            getattr(ops, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(ops, name)
        }

    def sequence(self, items: regex_tree.Tree) -> list[set[str]]:
        """Every requirement of a sequence of at least :data:`MIN_LENGTH` characters:
        the strings each run of exact parts spells, and what each of its other
        mandatory parts requires."""
        requirements: list[set[str]] = []
        run = {""}
        for op, value in items:
            strings = self.exact(op, value)
            if strings is None:
                requirements.append(run)
                requirements.extend(self.part(op, value))
                run = {""}
                continue
            joined = {before + after for before in run for after in strings}
            if len(joined) > self.MAX_STRINGS:
                requirements.append(run)
                joined = strings
            run = joined
        requirements.append(run)
        return [required for required in requirements if min(map(len, required)) >= MIN_LENGTH]

    def part(self, op: regex_tree.Op, value: object) -> list[set[str]]:
        if op is self.ops.SUBPATTERN:
            _, added, removed, items = regex_tree.subpattern(value)
            return [] if (added | removed) & re.IGNORECASE else self.sequence(list(items))
        if op is self.ops.BRANCH:
            # One requirement: each alternative's best one, joined.
            best = [
                max(self.sequence(list(items)), key=_shortest, default=None) for items in regex_tree.alternatives(value)
            ]
            found = [required for required in best if required]
            return [set[str]().union(*found)] if len(found) == len(best) else []
        if op in self.repeats:
            low, _, items = regex_tree.repeat(value)
            return self.sequence(list(items)) if low >= 1 else []
        if op is getattr(self.ops, "ATOMIC_GROUP", None):
            return self.sequence(list(regex_tree.items(value)))
        return []  # classes, anchors, lookarounds, back references: no literal here

    def exact(self, op: regex_tree.Op, value: object) -> set[str] | None:
        """Every string the part can match, if they are few and each character can stand
        in a factor; else None."""
        if op is self.ops.LITERAL:
            return {chr(regex_tree.char(value))} if self.literal(regex_tree.char(value)) else None
        if op is self.ops.IN:
            members = regex_tree.items(value)
            if all(kind is self.ops.LITERAL and self.literal(regex_tree.char(char)) for kind, char in members):
                return {chr(regex_tree.char(char)) for _, char in members}
            return None
        if op is self.ops.SUBPATTERN:
            _, added, removed, items = regex_tree.subpattern(value)
            return None if (added | removed) & re.IGNORECASE else self.exact_sequence(list(items))
        if op is self.ops.BRANCH:
            alternatives = [self.exact_sequence(list(items)) for items in regex_tree.alternatives(value)]
            found = [strings for strings in alternatives if strings is not None]
            if len(found) < len(alternatives):
                return None
            union = set[str]().union(*found)
            return union if len(union) <= self.MAX_STRINGS else None
        if op in self.repeats:
            low, high, items = regex_tree.repeat(value)
            strings = self.exact_sequence(list(items))
            if strings is None or (low, high) not in ((0, 1), (1, 1)):
                return None
            return strings | {""} if low == 0 else strings
        return None

    def literal(self, code: int) -> bool:
        """Whether a character can stand in a factor: any, matched as written; ignoring
        case, an ASCII one or one without case (パ, 番), which matches only itself."""
        char = chr(code)
        return not self.ignore_case or char.isascii() or char.lower() == char == char.upper()

    def exact_sequence(self, items: regex_tree.Tree) -> set[str] | None:
        strings = {""}
        for op, value in items:
            part = self.exact(op, value)
            if part is None:
                return None
            strings = {before + after for before in strings for after in part}
            if len(strings) > self.MAX_STRINGS:
                return None
        return strings


def _shortest(strings: AbstractSet[str]) -> int:
    return min(map(len, strings))


class _NewlineFree:
    """Whether a parsed (sub)pattern cannot match a line break."""

    #: Categories that hold ``\n``.
    _WITH_NEWLINE = ("CATEGORY_NOT_DIGIT", "CATEGORY_SPACE", "CATEGORY_NOT_WORD", "CATEGORY_LINEBREAK")

    def __init__(self, ops: regex_tree.Opcodes, dotall: bool) -> None:
        self.ops = ops
        self.dotall = dotall
        self.repeats: set[regex_tree.Op] = {
            getattr(ops, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(ops, name)
        }
        self.with_newline: set[regex_tree.Op] = {getattr(ops, name) for name in self._WITH_NEWLINE}

    def sequence(self, items: regex_tree.Tree) -> bool:
        return all(self.part(op, value) for op, value in items)

    def part(self, op: regex_tree.Op, value: object) -> bool:
        ops = self.ops
        if op is ops.LITERAL:
            return value != ord("\n")
        if op is ops.NOT_LITERAL:
            return value == ord("\n")
        if op is ops.ANY:
            return not self.dotall
        if op is ops.IN:
            return not self.holds_newline(regex_tree.items(value))
        if op is ops.AT:
            return True
        if op is ops.SUBPATTERN:
            _, added, _, items = regex_tree.subpattern(value)
            return not added & re.DOTALL and self.sequence(list(items))
        if op is ops.BRANCH:
            return all(self.sequence(list(items)) for items in regex_tree.alternatives(value))
        if op in self.repeats:
            return self.sequence(list(regex_tree.repeat(value)[2]))
        if op is getattr(ops, "ATOMIC_GROUP", None):
            return self.sequence(list(regex_tree.items(value)))
        if op is ops.ASSERT_NOT:
            return True
        if op is ops.ASSERT:
            direction, items = regex_tree.assertion(value)
            return direction < 0 or self.sequence(list(items))
        return False  # back references, conditionals and anything unknown

    def holds_newline(self, items: regex_tree.Tree) -> bool:
        held = False
        negated = False
        for kind, char in items:
            if kind is self.ops.NEGATE:
                negated = True
            elif kind is self.ops.LITERAL:
                held |= char == ord("\n")
            elif kind is self.ops.RANGE:
                low, high = regex_tree.char_range(char)
                held |= low <= ord("\n") <= high
            elif kind is self.ops.CATEGORY:
                held |= char in self.with_newline
            else:
                return True  # unknown: assume it does
        return held != negated
