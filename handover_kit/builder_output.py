"""What the check builder leaves behind, taken away again (`handover check`, `handover export xlsx`)."""

from __future__ import annotations

import shutil
from pathlib import Path

#: What sphinx-needs puts into any builder's output folder, `check`'s too.
NEEDS_OUTPUT = frozenset({"_static", "permalink.html", "schema_violations.json"})


def discard_builder_output(folder: Path) -> None:
    """`check` writes no pages, but sphinx-needs puts its static files and a permalink
    page into its builder's output folder (OUT/check): it goes again, when it holds
    nothing else (a folder a user keeps other files in stays)."""
    if folder.is_dir() and not folder.is_symlink() and {entry.name for entry in folder.iterdir()} <= NEEDS_OUTPUT:
        shutil.rmtree(folder, ignore_errors=True)
