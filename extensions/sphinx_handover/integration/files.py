"""Writing the build's own files: all or nothing, so no reader sees half a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to a new file beside *path*, then move it into place."""
    # A short prefix: a name near the file system's limit (255 bytes) leaves no room.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:32]}.", dir=path.parent)
    try:
        # A name read from the disk may hold bytes that are no UTF-8 (as lone surrogates):
        # written as escapes, never a crash at the end of a build.
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def text_digest(text: str) -> str:
    """SHA-256 of a text, also for one holding lone surrogates (undecodable file names)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
