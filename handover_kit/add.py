"""``handover add runbook NAME``: a new runbook from the template, listed in chapter 3.

Both files are prepared in full first. The runbook is created exclusively (an existing
file is never replaced), then chapter 3 is swapped in atomically; if that fails or is
interrupted, the new runbook is removed again, so the package is left as it was.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sphinx_handover import package_data
from sphinx_handover.files import write_atomically

from .errors import UserError
from .runner import require_package

RUNBOOK_CHAPTER = Path("chapters") / "03-runbooks.md"
_TOCTREE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{toctree\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def add_runbook(directory: Path, name: str) -> Path:
    package = require_package(directory)
    slug = _slug(name)
    language = package_data.load(package, str(package / package_data.FILENAME)).project.language
    runbooks = _inside(package, package / "runbooks")
    target = _inside(package, runbooks / f"{slug}.md")
    if target.exists() or target.is_symlink():
        raise UserError(f"{target}: exists; handover add never overwrites a file")
    chapter_path = _inside(package, package / RUNBOOK_CHAPTER)
    chapter = _with_entry(chapter_path, f"/runbooks/{slug}")
    text = _render(language, title=name.strip(), runbook_id="RB_" + slug.upper().replace("-", "_"))
    runbooks.mkdir(exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    try:
        write_atomically(chapter_path, chapter)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise UserError(
            f"{name!r}: give the runbook a name in Latin letters or digits for its file name, "
            "e.g. 'certificate renewal' (the title can be changed in the file afterwards)"
        )
    return slug


def _inside(package: Path, path: Path) -> Path:
    """*path*, refusing a symlink (or a folder) that leads out of the package."""
    if not path.resolve().is_relative_to(package.resolve()):
        raise UserError(f"{path}: is a symbolic link pointing outside the package; refusing to write there")
    return path


def _with_entry(chapter_path: Path, entry: str) -> str:
    try:
        text = chapter_path.read_text("utf-8")
    except OSError as exc:
        raise UserError(f"{chapter_path}: cannot be read ({exc.strerror}); add the runbook to a toctree by hand") from exc
    match = _TOCTREE.search(text)
    if match is None:
        raise UserError(f"{chapter_path}: has no toctree to list the runbook in")
    if entry in match.group("body").split():
        raise UserError(f"{chapter_path}: already lists {entry}")
    body = match.group("body").rstrip("\n") + f"\n{entry}\n"
    return text[: match.start("body")] + body + text[match.end("body") :]


def _render(language: str, **values: str) -> str:
    template = resources.files("handover_kit.docs_template") / "add" / language / "runbook.md.jinja"
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    return env.from_string(template.read_text("utf-8")).render(**values)
