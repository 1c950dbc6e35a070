"""``handover add runbook TITLE``: a new runbook from the template, listed in chapter 3.

The title may be in any language; the file name is made from its Latin letters and
digits (``--slug`` chooses it). The title is written as Markdown text in the heading and
as the runbook directive's argument, so it is refused when it holds what would end or
change the directive (a line break, a control character, a backtick, ``[[``). Chapter 3
lists the runbook in its toctree and as a row of its table of runbooks.

Both files are prepared in full first. The runbook is created exclusively (an existing
file is never replaced), then chapter 3 is swapped in atomically; if that fails or is
interrupted, the new runbook is removed again, so the package is left as it was.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from sphinx_handover.integration.files import write_atomically
from sphinx_handover.model import package_data

from ..errors import UserError
from ..runner import require_package
from .questions import text_problem
from .scaffold import md_text

RUNBOOK_CHAPTER = Path("chapters") / "03-runbooks.md"
_TOCTREE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{toctree\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


#: The runbook table's columns, by header: what a new row holds in each (else a marker).
_TITLE_HEADERS = {"Runbook", "手順書"}
_ID_HEADERS = {"ID"}
_MARKER = {"ja": "【要記入】", "en": "[FILL IN]"}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Added:
    path: Path
    #: Warnings for the user: a near-duplicate name, a table not found, a made-up file name.
    notes: tuple[str, ...] = ()


def add_runbook(directory: Path, name: str, slug: str | None = None) -> Added:
    package = require_package(directory)
    title = _title(name)
    notes: list[str] = []
    language = package_data.load(package, str(package / package_data.FILENAME)).project.language
    runbooks = _inside(package, package / "runbooks")
    if slug is None:
        slug = _slug(title)
        if len(slug) < 2:  # an id needs 5 characters: RB_ and two
            slug = _numbered(runbooks)
            notes.append(
                f"the title has no Latin letters or digits, so the file is {slug}.md; --slug NAME chooses the name"
            )
    elif not _SLUG.fullmatch(slug) or len(slug) < 2:
        raise UserError(
            f"--slug {slug!r}: use lower-case Latin letters, digits and '-', at least 2 characters, e.g. cert-renewal"
        )
    target = _inside(package, runbooks / f"{slug}.md")
    if target.exists() or target.is_symlink():
        raise UserError(f"{target}: exists; handover add never overwrites a file")
    notes += _near_duplicates(runbooks, slug)
    runbook_id = "RB_" + slug.upper().replace("-", "_")
    chapter_path = _inside(package, package / RUNBOOK_CHAPTER)
    chapter = _with_entry(chapter_path, f"/runbooks/{slug}")
    chapter, listed = _with_table_row(chapter, language, title, runbook_id)
    if not listed:
        notes.append(
            f"{os.path.relpath(chapter_path)}: no table of runbooks (a header 'Runbook' or '手順書') found: add its row by hand"
        )
    text = _render(language, title=title, runbook_id=runbook_id)
    runbooks.mkdir(exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    try:
        write_atomically(chapter_path, chapter)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Added(target, tuple(notes))


def _title(name: str) -> str:
    """The title as given, refused when it would break the runbook's directive or heading."""
    title = name.strip()
    if not title:
        raise UserError("the runbook needs a title, e.g. 'Certificate renewal' or '証明書更新'")
    if problem := text_problem(title):
        raise UserError(f"{title!r}: {problem.replace('an answer', 'a title')}")
    for refused, why in (("`", "a backtick"), ("[[", "'[['"), ("]]", "']]'")):
        if refused in title:
            raise UserError(f"{title!r}: a title cannot hold {why} (it would end or change the runbook's directive)")
    return title


def _slug(title: str) -> str:
    """The file name made of the title's Latin letters and digits (full-width ones too)."""
    folded = unicodedata.normalize("NFKC", title).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")


def _numbered(runbooks: Path) -> str:
    taken = {path.stem for path in runbooks.glob("*.md")} if runbooks.is_dir() else set()
    return next(f"runbook-{number:02d}" for number in range(1, 10_000) if f"runbook-{number:02d}" not in taken)


def _near_duplicates(runbooks: Path, slug: str) -> list[str]:
    """Runbooks whose name differs only by separators or a letter (batch-re-run, batch-rerun)."""
    if not runbooks.is_dir():
        return []
    bare = slug.replace("-", "")
    close = [
        path
        for path in sorted(runbooks.glob("*.md"))
        if (other := path.stem.replace("-", "").replace("_", "")) == bare
        or difflib.SequenceMatcher(None, other, bare).ratio() >= 0.9
    ]
    return [
        f"{os.path.relpath(path)}: already exists with a name close to {slug}.md; is it the same runbook?"
        for path in close
    ]


def _inside(package: Path, path: Path) -> Path:
    """*path*, refusing a symlink (or a folder) that leads out of the package."""
    if not path.resolve().is_relative_to(package.resolve()):
        raise UserError(f"{path}: is a symbolic link pointing outside the package; refusing to write there")
    return path


def _with_entry(chapter_path: Path, entry: str) -> str:
    try:
        text = chapter_path.read_text("utf-8")
    except OSError as exc:
        raise UserError(
            f"{chapter_path}: cannot be read ({exc.strerror}); add the runbook to a toctree by hand"
        ) from exc
    match = _TOCTREE.search(text)
    if match is None:
        raise UserError(f"{chapter_path}: has no toctree to list the runbook in")
    if entry in match.group("body").split():
        raise UserError(f"{chapter_path}: already lists {entry}")
    body = match.group("body").rstrip("\n") + f"\n{entry}\n"
    return text[: match.start("body")] + body + text[match.end("body") :]


def _with_table_row(text: str, language: str, title: str, runbook_id: str) -> tuple[str, bool]:
    """Chapter 3 with a row for the runbook at the end of its table of runbooks: the last
    table whose header names a runbook column, before the toctree (or anywhere)."""
    lines = text.split("\n")
    toctree = _TOCTREE.search(text)
    before = text[: toctree.start()].count("\n") if toctree else len(lines)
    tables = _tables(lines)
    candidates = [t for t in tables if t[1] <= before] or tables
    if not candidates:
        return text, False
    header, end = candidates[-1]
    cells = []
    for column in _cells(lines[header]):
        if column in _ID_HEADERS:
            cells.append(runbook_id)
        elif column in _TITLE_HEADERS:
            cells.append(md_text(title))
        else:
            cells.append(_MARKER[language])
    lines.insert(end, "| " + " | ".join(cells) + " |")
    return "\n".join(lines), True


def _tables(lines: list[str]) -> list[tuple[int, int]]:
    """(header line, line after the last row) of each table whose header names a runbook column."""
    found = []
    index = 0
    while index < len(lines):
        if (
            lines[index].startswith("|")
            and index + 1 < len(lines)
            and re.fullmatch(r"\|[-:| ]+\|?\s*", lines[index + 1])
        ):
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            if _TITLE_HEADERS & set(_cells(lines[index])):
                found.append((index, end))
            index = end
        else:
            index += 1
    return found


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _render(language: str, **values: str) -> str:
    template = resources.files("handover_kit.docs_template") / "add" / language / "runbook.md.jinja"
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["md_text"] = md_text
    return env.from_string(template.read_text("utf-8")).render(**values)
