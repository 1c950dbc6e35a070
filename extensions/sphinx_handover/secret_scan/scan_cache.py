"""Files already scanned and found clean, remembered by what decides the result, beside the doctrees.

The secret and unsafe-markup scans read every file of the package on every build;
an edit to one runbook should not pay for scanning the other thousand again. A file
is skipped when the same content, *of the same type* (detect-secrets and the HTML
scan read a ``.yaml`` or ``.md`` file differently from a ``.log``), was found clean by
the same scanners: the version of each library and a digest of the scanners' own
source, so an edited detector never trusts a judgement of the old one. Only digests of
clean files are kept, so the cache never holds anything secret; a file with a finding
is scanned on every build, as its values are needed for redaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from .._version import __version__
from ..integration.files import text_digest, write_atomically

_NAME = "handover-clean-files.json"


#: The modules whose code decides what a scan finds, with every module of this package
#: they import (:func:`scanner_modules`): a detector split into a new module is counted
#: without being listed here.
_SCANNERS = ("secrets_scan", "unsafe_html", "scan_cache")
#: ``from .name import ...``, ``from ..package.name import ...`` and ``from . import name, ...``,
#: at any indentation (imports made inside a function count too). One in a docstring only
#: adds a module to the digest.
_RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+\.+([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.MULTILINE)


@functools.cache
def scanner_version() -> str:
    """Changes whenever a scanner may judge the same content differently."""
    code = code_digest(Path(__file__).parents[1])
    return f"handover-kit {__version__}; detect-secrets {metadata.version('detect-secrets')}; code {code}"


def code_digest(folder: Path) -> str:
    """A digest of the source of every scanner module of the package in *folder*."""
    digest = hashlib.sha256()
    for name, path in sorted(_scanner_paths(folder).items()):
        digest.update(f"{name}\0".encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:16]


def module_paths(folder: Path) -> dict[str, Path]:
    """Every module of the package in *folder* by its name (the names are unique across
    its subpackages; ``tests/test_architecture.py`` holds them so)."""
    return {path.stem: path for path in sorted(folder.rglob("*.py")) if path.name != "__init__.py"}


def scanner_modules(folder: Path) -> list[str]:
    """The scanners and every module of the package in *folder* they import, however
    indirectly: a regular expression over the source, cheaper than parsing it on every
    build (``tests/test_secret_scan_cache.py`` compares it with Python's own parser)."""
    return sorted(_scanner_paths(folder))


def _scanner_paths(folder: Path) -> dict[str, Path]:
    paths = module_paths(folder)
    found: dict[str, Path] = {}
    pending = list(_SCANNERS)
    while pending:
        name = pending.pop()
        if name in found or name not in paths:
            continue
        found[name] = paths[name]
        try:
            source = paths[name].read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for module, names in _RELATIVE_IMPORT.findall(source):
            leaf = module.rpartition(".")[2]
            imported = [leaf] if leaf in paths else re.findall(r"\w+", names)
            pending.extend(candidate for candidate in imported if candidate in paths)
    return found


def cache_key(path: Path, text: str) -> str:
    """The content's digest with the file's type: the same text as ``.yaml`` and as
    ``.log`` is scanned by different rules."""
    kind = path.suffix.lower() or path.name.lower()
    return f"{kind}:{text_digest(text)}"


class ScanCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / _NAME
        try:
            stored = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            stored = {}
        valid = isinstance(stored, dict) and stored.get("scanner") == scanner_version()
        self.clean: set[str] = set(stored.get("clean", ())) if valid else set()

    def unknown(self, texts: Mapping[Path, str | None]) -> dict[Path, str | None]:
        """The files that must be scanned: unreadable ones and content not seen clean."""
        return {path: text for path, text in texts.items() if text is None or cache_key(path, text) not in self.clean}

    def save(self, texts: Mapping[Path, str | None], flagged: Iterable[Path]) -> None:
        flagged = set(flagged)
        clean = sorted(
            {cache_key(path, text) for path, text in texts.items() if text is not None and path not in flagged}
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps({"scanner": scanner_version(), "clean": clean}))
