"""Files already scanned and found clean, remembered by content, beside the doctrees.

The secret and unsafe-markup scans read every file of the package on every build;
an edit to one runbook should not pay for scanning the other thousand again. A file
whose exact content was found clean by the same scanners is skipped. Only digests of
clean files are kept, so the cache never holds anything secret; a file with a finding
is scanned on every build, as its values are needed for redaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from .files import text_digest, write_atomically

_NAME = "handover-clean-files.json"


def scanner_version() -> str:
    """Changes whenever a scanner may judge the same content differently."""
    from . import __version__

    return f"handover-kit {__version__}; detect-secrets {metadata.version('detect-secrets')}"


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
        return {path: text for path, text in texts.items() if text is None or text_digest(text) not in self.clean}

    def save(self, texts: Mapping[Path, str | None], flagged: Iterable[Path]) -> None:
        flagged = set(flagged)
        clean = sorted({text_digest(text) for path, text in texts.items() if text is not None and path not in flagged})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps({"scanner": scanner_version(), "clean": clean}))
