"""``handover rehash [DIR] [--write]``: evidence records whose artifact no longer matches
its ``:sha256:``, listed, and on request updated.

Only records that give a ``:sha256:`` and name a file of the package are hashed (a
URL cannot be read offline). Writing changes the value on each ``:sha256:`` line and
nothing else; each page is written atomically and only if no one changed it since it
was read, and must read back with only those values changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sphinx_handover.model.artifacts import check_artifact, file_sha256, is_url
from sphinx_handover.untrusted.confinement import Refused

from ..errors import UserError
from .need_blocks import NeedBlock, Page, need_blocks, package_blocks
from .page_write import replace_page

_SHA256_LINE = re.compile(r"(?P<head>.*?:sha256:[ \t]*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s#]*)(?P<tail>.*)", re.DOTALL)


@dataclass(frozen=True)
class Mismatch:
    record: NeedBlock
    artifact: str
    recorded: str
    actual: str

    @property
    def where(self) -> str:
        return f"{os.path.relpath(self.record.page.path)}:{self.record.lineno}"


@dataclass(frozen=True)
class Unhashable:
    record: NeedBlock
    artifact: str
    reason: str

    @property
    def where(self) -> str:
        return f"{os.path.relpath(self.record.page.path)}:{self.record.lineno}"


def compare_hashes(root: Path) -> tuple[list[Mismatch], list[Unhashable]]:
    """Every hashed record whose artifact differs, and every one that cannot be hashed."""
    mismatches, unhashable = [], []
    for record in package_blocks(root):
        recorded = record.options.get("sha256", "").strip()
        artifact = record.options.get("artifact", "").strip()
        if record.type != "evidence" or "sha256" not in record.options or not artifact or is_url(artifact):
            continue
        actual, problem = _hash(root, artifact)
        if problem:
            unhashable.append(Unhashable(record, artifact, problem))
        elif actual != recorded.lower():
            mismatches.append(Mismatch(record, artifact, recorded, actual))
    return mismatches, unhashable


def write_hashes(mismatches: Iterable[Mismatch]) -> None:
    """Put each artifact's hash on its record's ``:sha256:`` line, page by page."""
    by_page: dict[Path, list[Mismatch]] = {}
    for mismatch in mismatches:
        by_page.setdefault(mismatch.record.page.path, []).append(mismatch)
    for changes in by_page.values():
        page = changes[0].record.page
        lines = page.lines
        for change in changes:
            index = change.record.option_lines["sha256"]
            match = _SHA256_LINE.fullmatch(lines[index])
            if match is None:
                raise UserError(
                    f"{os.path.relpath(page.path)}:{index + 1}: this :sha256: line cannot be rewritten; write {change.actual} by hand"
                )
            head = match["head"] if match["head"][-1].isspace() else match["head"] + " "
            lines[index] = head + change.actual + match["tail"]
        text = "".join(lines)
        _require_only_hashes_changed(page, text, {change.record.open_line: change.actual for change in changes})
        replace_page(page, text)


def _hash(root: Path, artifact: str) -> tuple[str, str]:
    """(the artifact's SHA-256, "") or ("", why it cannot be hashed), as the build decides."""
    checked = check_artifact(root, artifact, outputs=[root / "_build"])
    if checked.problem is not None:
        return "", checked.problem[1]
    if checked.path is None or checked.path.is_dir():
        return "", f"artifact {artifact!r} is a folder: a :sha256: needs one file"
    try:
        return file_sha256(checked.path), ""
    except Refused as reason:
        return "", f"artifact {artifact!r} {reason}"


def _require_only_hashes_changed(page: Page, text: str, new_hashes: dict[int, str]) -> None:
    before = need_blocks(page)
    after = need_blocks(Page(page.path, text, text.encode("utf-8")))
    expected = [
        (
            block.open_line,
            block.type,
            {**block.options, "sha256": new_hashes[block.open_line]}
            if block.open_line in new_hashes
            else block.options,
        )
        for block in before
    ]
    if [(block.open_line, block.type, block.options) for block in after] != expected:
        raise UserError(
            f"{os.path.relpath(page.path)}: would change more than its :sha256: values; nothing was written"
        )
