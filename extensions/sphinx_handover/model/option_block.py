"""The option block of a MyST directive, read as MyST reads it, with every key's line.

MyST gives a directive its options as a mapping, so an option written twice reaches it
once, with the last value (``:result: fail`` then ``:result: pass`` reads as pass while
the reader of the page sees fail first). This reads the same block with MyST's own
tokenizer and keeps every key, so that a repeated option can be refused where it is
written; the commands that edit a need in place find its options the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from myst_parser.parsers.directives import is_option_line
from myst_parser.parsers.options import TokenizeError, options_to_tokens

#: How a MyST directive's fence starts (backticks, tildes, or colons with ``colon_fence``).
_FENCES = ("```", "~~~", ":::")


@dataclass(frozen=True)
class OptionBlock:
    """The options in the order written: ``(key, value, line)``; lines count from the
    first line of the directive's content as *first_line*."""

    items: tuple[tuple[str, str, int], ...]
    #: Lines of content the block takes (the ``---`` delimiters included).
    length: int

    @property
    def options(self) -> dict[str, str]:
        """As MyST gives them to the directive: the last of a repeated key."""
        return {key: value for key, value, _line in self.items}

    @property
    def lines(self) -> dict[str, int]:
        return {key: line for key, _value, line in self.items}

    def repeated(self) -> list[tuple[str, int, int]]:
        """``(key, first line, repeated line)`` for each key written again."""
        counts = Counter(key for key, _value, _line in self.items)
        first: dict[str, int] = {}
        found = []
        for key, _value, line in self.items:
            if key in first:
                found.append((key, first[key], line))
            elif counts[key] > 1:
                first[key] = line
        return found


def read(content: list[str], first_line: int) -> OptionBlock:
    """The ``:key: value`` lines or the ``---`` YAML block at the start of *content*."""
    if content and content[0].startswith("---"):
        for index, line in enumerate(content[1:], start=1):
            if line.startswith("---"):
                return OptionBlock(_tokens("\n".join(content[1:index]), first_line + 1), index + 1)
        return OptionBlock(_tokens("\n".join(content[1:]), first_line + 1), len(content))
    block = []
    for line in content:
        if not is_option_line(line):
            break
        block.append(line.lstrip()[1:])
    return OptionBlock(_tokens("\n".join(block), first_line), len(block))


def of_directive(block_text: str, lineno: int) -> OptionBlock | None:
    """The option block of a directive as MyST hands it over (``block_text`` is the
    fence, the content and the closing fence); None for a directive written in rST,
    whose parser refuses a repeated option itself."""
    if not block_text.startswith(_FENCES):
        return None
    return read(block_text.splitlines()[1:], lineno + 1)


def _tokens(block: str, first_line: int) -> tuple[tuple[str, str, int], ...]:
    try:
        pairs, _state = options_to_tokens(block)
    except TokenizeError:
        return ()  # the build reports it at its line; nothing here can be trusted
    return tuple(
        (key.value, value.value if value is not None else "", first_line + key.start.line) for key, value in pairs
    )
