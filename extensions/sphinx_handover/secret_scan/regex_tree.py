"""The parse tree of ``re._parser``, which has no type stubs, behind a typed boundary.

A tree is a sequence of (opcode, argument) nodes. An opcode is one of the named
constants of ``re._constants``, compared by identity; its argument's shape depends on
it. This is the one place that says what those shapes are: the readers of regex_factors take a
node's argument through the function for its opcode. A tree of another shape (a
future Python) raises in the reader, and the caller then treats the pattern as one it
knows nothing about.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Protocol, cast

#: An opcode of ``re._constants`` (an ``int`` subclass, compared by identity).
Op = object
#: One node of a parsed (sub)pattern: its opcode and that opcode's argument.
Node = tuple[Op, object]
Tree = Sequence[Node]


class Opcodes(Protocol):
    """The opcodes of ``re._constants`` that the readers tell apart."""

    ANY: Op
    ASSERT: Op
    ASSERT_NOT: Op
    AT: Op
    BRANCH: Op
    CATEGORY: Op
    IN: Op
    LITERAL: Op
    NEGATE: Op
    NOT_LITERAL: Op
    RANGE: Op
    SUBPATTERN: Op


class Parser(Protocol):
    def parse(self, string: str, flags: int, /) -> Tree: ...


def parse(pattern: re.Pattern[str]) -> tuple[Opcodes, list[Node]]:
    """The opcodes and the parse tree of *pattern*, from ``re``'s own (private) parser."""
    parser = cast(Parser, importlib.import_module("re._parser"))
    ops = cast(Opcodes, importlib.import_module("re._constants"))
    return ops, list(parser.parse(pattern.pattern, pattern.flags))


def char(value: object) -> int:
    """LITERAL, NOT_LITERAL: the character's code."""
    return cast(int, value)


def subpattern(value: object) -> tuple[int | None, int, int, Tree]:
    """SUBPATTERN: (group number or None, flags added, flags removed, its items)."""
    return cast(tuple[int | None, int, int, Tree], value)


def alternatives(value: object) -> list[Tree]:
    """BRANCH: the items of each alternative."""
    return cast(tuple[None, list[Tree]], value)[1]


def repeat(value: object) -> tuple[int, int, Tree]:
    """MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT: (least, most, the repeated items)."""
    return cast(tuple[int, int, Tree], value)


def items(value: object) -> Tree:
    """ATOMIC_GROUP: its items; IN: the set's members, each a (kind, argument) node."""
    return cast(Tree, value)


def assertion(value: object) -> tuple[int, Tree]:
    """ASSERT, ASSERT_NOT: (direction: 1 ahead, -1 behind, the asserted items)."""
    return cast(tuple[int, Tree], value)


def char_range(value: object) -> tuple[int, int]:
    """RANGE in a set: (lowest, highest character code)."""
    return cast(tuple[int, int], value)
