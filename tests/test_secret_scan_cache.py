"""The scan cache's key changes whenever the code that decides a scan's result does.

Files found clean are skipped on the next build while the scanner's version is the
same; that version holds a digest of every scanner module's source, found by following
the package's own imports from the scanners, so a detector moved into a new module
still counts.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import sphinx_handover
from sphinx_handover.secret_scan.scan_cache import _SCANNERS, code_digest, scanner_modules

PACKAGE = Path(sphinx_handover.__file__).parent


def imported_by_parser(folder: Path) -> set[str]:
    """The same closure as scanner_modules, from Python's own parse of every module."""
    paths = {path.stem: path for path in folder.rglob("*.py") if path.name != "__init__.py"}
    found, pending = set(), list(_SCANNERS)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        for node in ast.walk(ast.parse(paths[name].read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                leaf = (node.module or "").rpartition(".")[2]
                names = [leaf] if leaf in paths else [alias.name for alias in node.names]
                pending.extend(module for module in names if module in paths)
    return found


def test_the_digest_covers_every_module_the_scanners_import():
    modules = set(scanner_modules(PACKAGE))
    assert modules == imported_by_parser(PACKAGE)
    detectors = {
        "secret_detectors",
        "secret_lines",
        "secret_assignments",
        "command_secrets",
        "cloud_keys",
        "secret_labels",
    }
    assert detectors | {"secret_words", "regex_factors", "secrets_scan", "unsafe_html", "html_tokens"} <= modules
    assert {"scanned_files", "detect_secrets_pass"} <= modules  # split out of secrets_scan
    assert "gate" not in modules


def test_an_edit_to_any_scanner_module_changes_the_digest_and_others_do_not(tmp_path):
    folder = tmp_path / "sphinx_handover"
    shutil.copytree(PACKAGE, folder, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"))
    before = code_digest(folder)
    assert before == code_digest(PACKAGE)
    gate = next(folder.rglob("gate.py"))
    gate.write_text(gate.read_text("utf-8") + "\n# elsewhere\n", "utf-8")
    assert code_digest(folder) == before
    for module in ("cloud_keys", "secret_labels", "html_tokens"):
        path = next(folder.rglob(f"{module}.py"))
        original = path.read_text("utf-8")
        path.write_text(original + "\nX = 1\n", "utf-8")
        assert code_digest(folder) != before, module
        path.write_text(original, "utf-8")
    next(folder.rglob("secret_assignments.py")).unlink()
    assert code_digest(folder) != before
