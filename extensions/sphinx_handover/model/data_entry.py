"""One entry of handover.yaml's structured sections: the record's location
(:class:`Located`) and the reader of its mapping, field by field, with located errors
(:class:`Entry`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from . import units, yamlsrc


@dataclass(frozen=True)
class Located:
    line: int
    #: field name -> line, to point at the exact value a rule is about.
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


class Entry:
    """One mapping of the file, read field by field with located errors."""

    def __init__(self, source: yamlsrc.Source, node: yaml.Node, what: str, keys: Iterable[str]) -> None:
        self.source, self.node, self.what = source, node, what
        self.entries = yamlsrc.mapping(source, node, what, keys)

    def line(self) -> int:
        return self.source.line_of(self.node)

    def lines(self) -> dict[str, int]:
        return {key: self.source.line_of(value) for key, (_, value) in self.entries.items()}

    def has(self, key: str) -> bool:
        return key in self.entries

    def text(self, key: str, *, required: bool = False) -> str:
        if key not in self.entries:
            if required:
                raise self.source.error(self.node, f"{self.what}: missing required key {key!r}")
            return ""
        return yamlsrc.text(self.source, self.entries[key][1], f"{self.what}.{key}", allow_empty=not required)

    def duration(self, key: str) -> dt.timedelta | None:
        value = self.text(key)
        if not value:
            return None
        parsed = units.parse_duration(value)
        if parsed is None:
            raise self.source.error(
                self.entries[key][1], f"{self.what}.{key}: {value!r} is not a duration (e.g. 30m, 4h, 1h30m, 2d)"
            )
        return parsed

    def hours(self, key: str) -> units.ServiceHours | None:
        value = self.text(key)
        if not value:
            return None
        parsed = units.parse_hours(value)
        if parsed is None:
            raise self.source.error(
                self.entries[key][1],
                f"{self.what}.{key}: {value!r} is not service hours (e.g. 24x7, Mon-Fri 09:00-18:00, 平日 9:00-18:00)",
            )
        return parsed

    def date(self, key: str) -> dt.date | None:
        return yamlsrc.date(self.source, self.entries[key][1], f"{self.what}.{key}") if self.text(key) else None

    def names(self, key: str) -> tuple[str, ...]:
        if key not in self.entries:
            return ()
        node = self.entries[key][1]
        if isinstance(node, yaml.ScalarNode):
            return tuple(part.strip() for part in yamlsrc.scalar_text(node).split(",") if part.strip())
        items = yamlsrc.sequence(self.source, node, f"{self.what}.{key}")
        return tuple(yamlsrc.text(self.source, item, f"{self.what}.{key}") for item in items)


def items(source: yamlsrc.Source, node: yaml.Node | None, what: str) -> list[tuple[int, yaml.Node]]:
    """The entries of a section that lists them, numbered; none when it is absent or empty."""
    if node is None or (isinstance(node, yaml.ScalarNode) and not yamlsrc.scalar_text(node)):
        return []
    return list(enumerate(yamlsrc.sequence(source, node, what)))
