"""A package's ``conf.py``, read as data: the ``handover`` command never runs it.

``conf.py`` is Python, and the package comes from another company: running it would
run their code on the machine of whoever builds the package. A package's conf.py
needs no code (handover.yaml holds its data), so the ``handover`` command reads only
literal assignments to the few settings below and refuses anything else at its line.
Extensions are limited to the ones handover-kit is built on: any other is code too.
Plain ``sphinx-build`` runs conf.py as usual; the README's threat model says so.

A Sphinx project that adopted handover-kit (``handover init``) keeps its own theme,
title and metadata: those settings are taken too. ``html_theme`` names a theme installed
on the building machine (code its operator installed, as the extensions are), never a
folder of the package (``html_theme_path`` is not taken). ``templates_path`` and
``html_static_path`` as ``sphinx-quickstart`` writes them are accepted while every folder
they name is missing or empty, and then left out: a template is code, and a static file
would be published without the checks artifacts pass. A project with more (its own
extensions, templates, static files, code) builds with ``sphinx-build``, which runs conf.py.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from ..rules.rules_table import Rule
from .errors import HandoverInputError

#: The settings taken from conf.py, and the type each must have.
SETTINGS: dict[str, type] = {
    "extensions": list,
    "language": str,
    "project": str,
    "copyright": str,
    "html_title": str,
    "suppress_warnings": list,
    "html_theme": str,
    "author": str,
    "version": str,
    "release": str,
    "exclude_patterns": list,
    "root_doc": str,
    "master_doc": str,
}
#: Taken only while every folder they name is missing or empty, and then left out.
EMPTY_FOLDERS = ("templates_path", "html_static_path")
EXTENSIONS = ("sphinx_handover", "myst_parser", "sphinx_needs")


def read_conf(path: Path, display: str) -> dict[str, Any]:
    """The settings *path* assigns, as a dict for Sphinx's ``confoverrides``."""
    try:
        text = path.read_text("utf-8")
        tree = ast.parse(text, filename=display)
    except UnicodeDecodeError as error:
        raise HandoverInputError(
            display, "is not valid UTF-8 text (save it as UTF-8)", 1, rule=Rule.PACKAGE_CONF
        ) from error
    except SyntaxError as error:
        raise HandoverInputError(
            display, f"invalid Python: {error.msg}", error.lineno or 1, rule=Rule.PACKAGE_CONF
        ) from error
    except (OSError, ValueError) as error:
        raise HandoverInputError(display, f"cannot be read ({error})", rule=Rule.PACKAGE_CONF) from error
    settings: dict[str, Any] = {}
    for statement in tree.body:
        if _is_docstring(statement):
            continue
        name, value = _literal_assignment(statement, display)
        if name in EMPTY_FOLDERS:
            _require_empty_folders(path.parent, name, value, display, statement.lineno)
        else:
            settings[name] = value
    _require_extensions(settings.get("extensions", []), display, tree)
    return settings


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _require_empty_folders(root: Path, name: str, folders: list[str], display: str, line: int) -> None:
    for folder in folders:
        path = root / folder
        if path.is_symlink() or path.is_file() or (path.is_dir() and any(path.iterdir())):
            raise HandoverInputError(
                display,
                f"{name} names {folder!r}, which is not empty: handover builds without a project's own templates "
                "and static files (a template is code, a static file would be published unchecked); "
                "build this project with sphinx-build, which runs conf.py",
                line,
                rule=Rule.PACKAGE_CONF,
            )


def _literal_assignment(statement: ast.stmt, display: str) -> tuple[str, Any]:
    allowed = ", ".join([*SETTINGS, *EMPTY_FOLDERS])
    target: ast.expr | None = None
    value: ast.expr | None = None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    if not isinstance(target, ast.Name) or value is None:
        raise HandoverInputError(
            display,
            f"handover reads conf.py without running it: only assignments of literal values to {allowed} "
            "are taken (the package's data belongs in handover.yaml)",
            statement.lineno,
            rule=Rule.PACKAGE_CONF,
        )
    name = target.id
    if name not in SETTINGS and name not in EMPTY_FOLDERS:
        raise HandoverInputError(
            display,
            f"{name!r} is not a setting handover takes from conf.py (it takes {allowed}; "
            "the package's data belongs in handover.yaml; a Sphinx project with more builds with sphinx-build)",
            statement.lineno,
            rule=Rule.PACKAGE_CONF,
        )
    try:
        literal = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise HandoverInputError(
            display,
            f"{name} must be a literal value (handover reads conf.py without running it)",
            statement.lineno,
            rule=Rule.PACKAGE_CONF,
        ) from None
    wanted = SETTINGS.get(name, list)
    if isinstance(literal, tuple) and wanted is list:
        literal = list(literal)
    strings = isinstance(literal, list) and all(isinstance(item, str) for item in literal)
    if not isinstance(literal, wanted) or (wanted is list and not strings):
        kind = "a list of strings" if wanted is list else "a string"
        raise HandoverInputError(display, f"{name} must be {kind}", statement.lineno, rule=Rule.PACKAGE_CONF)
    return name, literal


def _require_extensions(extensions: list[str], display: str, tree: ast.Module) -> None:
    line = next(
        (s.lineno for s in tree.body if isinstance(s, (ast.Assign, ast.AnnAssign)) and _names(s) == "extensions"), 1
    )
    others = [name for name in extensions if name not in EXTENSIONS]
    if others:
        raise HandoverInputError(
            display,
            f"extension {others[0]!r} is not one handover builds with ({', '.join(EXTENSIONS)}): "
            "an extension is code, and a package brings none (a Sphinx project with its own extensions builds with sphinx-build)",
            line,
            rule=Rule.PACKAGE_CONF,
        )
    if "sphinx_handover" not in extensions:
        raise HandoverInputError(display, 'extensions must list "sphinx_handover"', line, rule=Rule.PACKAGE_CONF)


def _names(statement: ast.Assign | ast.AnnAssign) -> str:
    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
    return target.id if isinstance(target, ast.Name) else ""
