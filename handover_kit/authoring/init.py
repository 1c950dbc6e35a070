"""``handover init [DIR]``: adopt handover-kit in an existing Sphinx project.

The pages of a new package (handover.yaml, the ten chapters, the runbooks, the
traceability page, evidence/) are rendered as ``handover new`` renders them, and added
beside the project's own files. Nothing of the project is changed: its ``conf.py`` and
``index`` stay as they are (the cover of the handover becomes ``handover.md``), the CI
files and ``.gitignore`` of ``handover new`` are left out (a docs folder is rarely a
repository's root), and what to add to conf.py and to a toctree is printed instead.

All or nothing, like ``handover new``: every path that exists is listed and then nothing
is written; files are created exclusively, and an error or an interrupt part-way removes
what was created.
"""

from __future__ import annotations

import ast
import contextlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sphinx_handover.model.package_data import LANGUAGES

from ..errors import UserError
from . import scaffold

#: The handover cover and dashboard (index.md in a package of its own).
COVER = "handover.md"


@dataclass(frozen=True)
class Adoption:
    """What ``handover init`` added to the project at *root*."""

    root: Path
    files: tuple[str, ...]
    conf_lists_extension: bool


def require_sphinx_project(directory: Path) -> Path:
    if not directory.is_dir():
        raise UserError(f"{directory}: no such directory")
    if not (directory / "conf.py").is_file():
        raise UserError(
            f"{directory}: no conf.py, so not a Sphinx project; "
            "give the folder that holds conf.py, or create a package with 'handover new'"
        )
    return directory


def conf_language(directory: Path) -> str | None:
    """The project's ``language``, when conf.py assigns it a literal ja or en (read, never run)."""
    try:
        tree = ast.parse((directory / "conf.py").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and [getattr(target, "id", None) for target in statement.targets] == ["language"]
            and isinstance(statement.value, ast.Constant)
            and statement.value.value in LANGUAGES
        ):
            return statement.value.value
    return None


def adopted_files(answers: scaffold.Answers) -> dict[str, str]:
    """The files ``handover new`` writes from the language's tree, the cover renamed."""
    rendered = scaffold.render(answers)
    tree = resources.files("handover_kit.docs_template") / answers.language
    names = {name.removesuffix(scaffold.TEMPLATE_SUFFIX) for name, _ in scaffold._walk(tree)}
    return {(COVER if name == "index.md" else name): rendered[name] for name in sorted(names)}


def conflicts(root: Path, files: dict[str, str]) -> list[str]:
    """Every file that is there already, or whose folder cannot be one (a file, a link out)."""
    found = []
    real_root = root.resolve()
    for relative in files:
        path = root / relative
        if path.exists() or path.is_symlink():
            found.append(f"{path}: exists")
            continue
        for parent in path.relative_to(root).parents:
            folder = root / parent
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                found.append(f"{folder}: is a file or a link where a folder of the handover pages goes")
                break
            if folder.exists() and not folder.resolve().is_relative_to(real_root):
                found.append(f"{folder}: leads outside {root}")
                break
    return list(dict.fromkeys(found))


def adopt(directory: Path, answers: scaffold.Answers) -> Adoption:
    root = require_sphinx_project(directory)
    files = adopted_files(answers)
    if problems := conflicts(root, files):
        raise UserError(
            f"{root}: handover init never overwrites a file, and nothing was written; "
            f"{len(problems)} conflict(s):\n  " + "\n  ".join(problems)
        )
    _write_all(root, files)
    conf = (root / "conf.py").read_text("utf-8", "replace")
    return Adoption(root=root, files=tuple(files), conf_lists_extension="sphinx_handover" in conf)


def _write_all(root: Path, files: dict[str, str]) -> None:
    created_files: list[Path] = []
    created_folders: list[Path] = []
    try:
        for relative, text in files.items():
            path = root / relative
            for folder in reversed(path.relative_to(root).parents):
                if not (root / folder).exists():
                    (root / folder).mkdir()
                    created_folders.append(root / folder)
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                created_files.append(path)
                stream.write(text)
    except BaseException:
        for path in reversed(created_files):
            path.unlink(missing_ok=True)
        for folder in reversed(created_folders):
            with contextlib.suppress(OSError):  # something else was put there meanwhile: left as it is
                folder.rmdir()
        raise


def conf_language_mismatch(directory: Path, language: str) -> str | None:
    """Why the answers' language cannot go with this conf.py, or None."""
    stated = conf_language(directory)
    if stated is not None and stated != language:
        return (
            f"{directory / 'conf.py'}: language = {stated!r}, but the package would be {language!r}; "
            f"use --language {stated} (the site's language is the project's)"
        )
    return None
