"""Reading YAML with a source location on every value.

PyYAML's own constructors lose line numbers and raise unlocated errors for values
such as ``2026-02-30``. Here the document is only *composed* (parsed into nodes that
carry marks), and each value is converted by the reader that knows what it expects,
so every problem can be reported as ``file:line:col``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .errors import HandoverInputError

# libyaml's parser when PyYAML was built with it (its wheels are): the same node tree with
# the same marks, about ten times faster than the pure-Python one. Its error messages are
# vaguer, so a file it rejects is parsed again by the pure-Python one for the message.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Source:
    """The YAML file being read, for locating errors."""

    path: Path
    display: str

    def error(self, node: yaml.Node | None, problem: str) -> HandoverInputError:
        if node is None:
            return HandoverInputError(self.display, problem)
        mark = node.start_mark
        return HandoverInputError(self.display, problem, mark.line + 1, mark.column + 1)

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1


def compose(path: Path, display: str) -> tuple[Source, yaml.Node | None]:
    """Parse *path* into a node tree; syntax and encoding errors become located errors."""
    source = Source(path, display)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise HandoverInputError(display, "is not valid UTF-8 text", line) from exc
    except OSError as exc:
        raise HandoverInputError(display, f"cannot be read: {exc.strerror}") from exc
    try:
        return source, _plain_tree(source, yaml.compose(text, Loader=_LOADER))
    except yaml.YAMLError:
        pass
    except RecursionError:
        raise _too_deep(source, text) from None
    try:  # again, for the pure-Python parser's messages: it names the character at fault
        return source, _plain_tree(source, yaml.compose(text, Loader=yaml.SafeLoader))
    except RecursionError:
        raise _too_deep(source, text) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise HandoverInputError(display, f"invalid YAML: {problem}") from exc
        raise HandoverInputError(display, f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from exc
    except yaml.YAMLError as exc:
        raise HandoverInputError(display, f"invalid YAML: {exc}") from exc


#: Nesting deeper than any handover.yaml needs; PyYAML's composer recurses per level.
MAX_DEPTH = 50


def _too_deep(source: Source, text: str) -> HandoverInputError:
    """Where the nesting passes MAX_DEPTH, found by the scanner, which does not recurse."""
    depth = 0
    opening = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockMappingStartToken,
               yaml.BlockSequenceStartToken)  # fmt: skip
    closing = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            depth += isinstance(token, opening) - isinstance(token, closing)
            if depth > MAX_DEPTH:
                mark = token.start_mark
                return HandoverInputError(
                    source.display, f"nested deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
                )
    except yaml.YAMLError:
        pass
    return HandoverInputError(source.display, f"nested deeper than {MAX_DEPTH} levels")


#: The tags of YAML's core schema, which every reader here understands. An explicit
#: other tag (``!!python/object``, ``!!binary``, ``!custom``) would be kept as text by the
#: readers that only read ``node.value`` and refused, with a traceback, by those that
#: construct; it is refused once, here, with its line.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _plain_tree(source: Source, document: yaml.Node | None) -> yaml.Node | None:
    """The node tree of plain values, else a located error: an alias (``*name``) that
    reuses a node (a few lines of aliases can stand for billions of values, and no
    handover.yaml needs them), a merge key (``<<``), a tag outside YAML's core schema,
    or a key written twice in one mapping (YAML's loaders keep the last one silently)."""
    seen: set[int] = set()
    stack = [document] if document is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise source.error(node, "YAML anchors and aliases (&name, *name) are not accepted: write each value out")
        seen.add(id(node))
        if node.tag == _MERGE_TAG:
            raise source.error(node, "YAML merge keys (<<) are not accepted: write each key out")
        if node.tag not in _CORE_TAGS:
            raise source.error(node, f"the YAML tag {node.tag!r} is not accepted: write a plain value")
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        raise source.error(key, f"duplicate key {key.value!r}: YAML would keep only the last one")
                    keys.add(key.value)
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return document


def mapping(
    source: Source, node: yaml.Node, what: str, allowed: Iterable[str] | None = None
) -> dict[str, tuple[yaml.ScalarNode, yaml.Node]]:
    """The entries of a mapping node, keyed by name; unknown keys get a did-you-mean."""
    if not isinstance(node, yaml.MappingNode):
        raise source.error(node, f"{what} must be a mapping of keys to values")
    allowed = list(allowed) if allowed is not None else None
    entries: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise source.error(key_node, f"keys in {what} must be plain names")
        key = key_node.value
        if key in entries:
            raise source.error(key_node, f"duplicate key {key!r} in {what}")
        if allowed is not None and key not in allowed:
            raise source.error(key_node, f"unknown key {key!r} in {what}{_did_you_mean(key, allowed)}")
        entries[key] = (key_node, value_node)
    return entries


def sequence(source: Source, node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise source.error(node, f"{what} must be a list")
    return list(node.value)


_NULL_TAG = "tag:yaml.org,2002:null"


def scalar_text(node: yaml.ScalarNode) -> str:
    """A scalar's text; `~` and `null` are YAML's spelling of "no value", like an empty one."""
    return "" if node.tag == _NULL_TAG else node.value.strip()


def text(source: Source, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise source.error(node, f"{what} must be a single value, not a list or mapping")
    value = scalar_text(node)
    if not value and not allow_empty:
        raise source.error(node, f"{what} must not be empty")
    control = _CONTROL.search(value)
    if control:  # "\x1b]..." in a name would be printed as a terminal command by `handover check`
        raise source.error(node, f"{what}: holds the control character {control.group()!r}: write plain text")
    return value


#: C0 and C1 control characters other than tab and line feed (which YAML's line ends become).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def date(source: Source, node: yaml.Node, what: str) -> dt.date:
    value = text(source, node, what)
    parsed = parse_date(value)
    if parsed is None:
        raise source.error(node, f"{what}: {value!r} is not a valid date (YYYY-MM-DD)")
    return parsed


def positive_int(source: Source, node: yaml.Node, what: str) -> int:
    value = text(source, node, what)
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) <= 0:
        raise source.error(node, f"{what}: {value!r} is not a positive whole number")
    return int(value)


def choice(source: Source, node: yaml.Node, what: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    value = text(source, node, what)
    if value not in choices:
        raise source.error(node, f"{what}: {value!r} is not one of {', '.join(choices)}{_did_you_mean(value, choices)}")
    return value


def parse_date(value: str) -> dt.date | None:
    """A strict ``YYYY-MM-DD`` date, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    return _did_you_mean(word, candidates)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _or_text(construct: Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], object]) -> object:
    def constructed(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> object:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return node.value

    return constructed


class _TextKeepingConstructor(yaml.constructor.SafeConstructor):
    """YAML's safe constructor, except that a plain scalar that looks like a timestamp or a
    number but is not a valid one (``2026-02-30``, an integer of 5,000 digits) stays text
    instead of raising an unlocated ValueError; the reader that expects a date says so."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **yaml.constructor.SafeConstructor.yaml_constructors,
        "tag:yaml.org,2002:timestamp": _or_text(yaml.constructor.SafeConstructor.construct_yaml_timestamp),
        "tag:yaml.org,2002:int": _or_text(yaml.constructor.SafeConstructor.construct_yaml_int),
    }


def plain_value(source: Source, node: yaml.Node | None) -> object:
    """The Python value of a tree from :func:`compose` (dicts, lists, str, int, float,
    bool, None, dates), as ``yaml.safe_load`` gives it for a valid file, and never an
    exception other than a located error."""
    if node is None:
        return None
    try:
        return _TextKeepingConstructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise HandoverInputError(source.display, f"invalid YAML: {exc.problem or exc.context}", *where) from None
    except yaml.YAMLError as exc:
        raise source.error(node, f"invalid YAML: {exc}") from None
