"""``handover new``: render the template tree in memory, then move it into place.

The template is data (``docs_template/common`` plus ``docs_template/<language>``):
files ending in ``.jinja`` are rendered with the answers and lose the suffix, the
others are copied as they are. An answer is never pasted in as it is: each template
writes it through the filter for its file's language (``yaml_scalar``, ``py_literal``,
``md_text``), so any answer gives a file that reads back as the very answer.
Dates of the timeline are not rendered here at all: the pages write
``{handover-date}`T-7``` and the site computes them from handover.yaml. Nothing is written until every file has rendered,
and then only into a fresh folder beside the target that is renamed at the end, so
an error or an interrupt leaves no half-written package and never touches a file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from sphinx_handover._version import __version__

from ..errors import UserError

TEMPLATE_SUFFIX = ".jinja"


@dataclass(frozen=True)
class Answers:
    """What `handover new` asks; recorded in the package's handover.yaml."""

    language: str
    system_name: str
    vendor: str
    customer: str
    release_date: dt.date
    service_hours: str

    def context(self) -> dict[str, object]:
        values = asdict(self)
        values["release_date"] = self.release_date.isoformat()  # for handover.yaml only
        values["handover_version"] = __version__
        return values


def render(answers: Answers) -> dict[str, str]:
    """Every file of the new package: relative path -> text."""
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters.update(yaml_scalar=yaml_scalar, py_literal=py_literal, md_text=md_text)
    template_root = resources.files("handover_kit.docs_template")
    files: dict[str, str] = {}
    for tree in ("common", answers.language):
        for relative, source in _walk(template_root / tree):
            text = source.read_text("utf-8")
            if relative.endswith(TEMPLATE_SUFFIX):
                relative = relative[: -len(TEMPLATE_SUFFIX)]
                text = env.from_string(text).render(answers.context())
            files[relative] = text
    return files


def yaml_scalar(value: object) -> str:
    """*value* as one YAML scalar that loads back as the same string.

    Always double-quoted: valid in block and flow context alike (``{who: "a, b"}``),
    never read as a bool, null, number or date (``yes``, ``null``, ``1.0``,
    ``2026-12-01``), and every quote, backslash or character YAML reserves is escaped
    by the emitter itself rather than by hand. Never folded onto a second line."""
    dumped = yaml.safe_dump(str(value), default_style='"', allow_unicode=True, width=math.inf)
    return dumped.removesuffix("\n").removesuffix("\n...")


def py_literal(value: object) -> str:
    """*value* as a Python string literal (for conf.py)."""
    return repr(str(value))


#: Characters that mean markup anywhere in a line of MyST Markdown: emphasis, code,
#: links, roles, raw HTML and entities, table cells, escapes.
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>|&~$!])")
#: What means markup only at the start of a line (a heading, list, quote, fence,
#: table rule): escaped when an answer starts with it, as it may start a line.
_MARKDOWN_LINE_START = re.compile(r"^(?:([#>+=:-])|(\d+)([.)]))")


def md_text(value: object) -> str:
    """*value* as Markdown text that shows as *value*: nothing in a system or company name
    can become a heading, a list, a link, a role, a table column or raw HTML. (An English
    site still curls straight quotes: Sphinx's smart quotes, as for all its text.)"""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", str(value))
    return _MARKDOWN_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped, count=1)


def create(target: Path, files: dict[str, str]) -> None:
    """Write *files* as a new package at *target*, all or nothing."""
    _refuse_existing(target)
    parent = target.parent.resolve()
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
    emptied = False
    try:
        # mkdtemp makes the folder private (0700); the package is the user's, as mkdir makes it.
        staging.chmod(0o777 & ~current_umask())
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        _refuse_existing(target)
        if target.is_dir():
            target.rmdir()  # empty, checked just above; rename cannot replace a folder
            emptied = True
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if emptied and not target.exists():
            target.mkdir()  # the user's empty folder, as it was
        raise


def current_umask() -> int:
    """The process's umask (reading it means setting it: set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_existing(target: Path) -> None:
    if target.is_symlink():
        raise UserError(f"{target}: is a symbolic link; choose a plain new directory")
    if target.exists() and not target.is_dir():
        raise UserError(f"{target}: exists and is not a directory")
    if target.is_dir() and any(target.iterdir()):
        raise UserError(f"{target}: directory is not empty; handover new never overwrites files")


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__":
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_walk(entry, relative + "/"))
        else:
            found.append((relative, entry))
    return found
