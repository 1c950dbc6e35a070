"""MyST directive blocks (```` ```{name} argument ````) found in a page and rewritten.

Only blocks opened at the start of a line are seen, which is how every need and
every handover directive of the example package is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_OPEN = re.compile(r"^```\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<marks>#{1,6}) ")
_FENCE = re.compile(r"^\s*```")


@dataclass(frozen=True)
class Block:
    name: str
    argument: str
    options: tuple[tuple[str, str], ...]
    body: str
    #: Level of the last heading above the block (0 before any heading).
    heading_level: int

    def option(self, key: str) -> str | None:
        return dict(self.options).get(key)


#: Returns the replacement text of a block, or None to keep it as written.
Rewriter = Callable[[Block], "str | None"]


def rewrite(text: str, rewriter: Rewriter) -> str:
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    level, index, in_fence = 0, 0, False
    while index < len(lines):
        line = lines[index]
        opened = None if in_fence else _OPEN.match(line.rstrip("\n"))
        if opened:
            end = _closing(lines, index)
            block = _parse(opened, lines[index + 1 : end], level)
            replacement = rewriter(block)
            out.append("".join(lines[index : end + 1]) if replacement is None else replacement)
            index = end + 1
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := _HEADING.match(line)):
            level = len(heading["marks"])
        out.append(line)
        index += 1
    return "".join(out)


def find(text: str, name: str) -> list[Block]:
    found: list[Block] = []

    def keep(block: Block) -> None:
        if block.name == name:
            found.append(block)

    rewrite(text, keep)
    return found


def _closing(lines: list[str], start: int) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() == "```":
            return index
    raise ValueError(f"directive opened at line {start + 1} is never closed")


def _parse(opened: re.Match[str], inner: list[str], level: int) -> Block:
    options: list[tuple[str, str]] = []
    index = 0
    while index < len(inner) and (option := _OPTION.match(inner[index].rstrip("\n"))):
        options.append((option["key"], option["value"].strip()))
        index += 1
    body = "".join(inner[index:]).strip("\n")
    return Block(opened["name"], opened["argument"].strip(), tuple(options), body, level)
