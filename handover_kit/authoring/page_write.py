"""Writing a page back: all or nothing, never over a change made since it was read.

The new text goes to a temporary file in the page's own folder (so the move cannot
cross file systems), takes the page's permissions, and replaces the page with one
``os.replace``. Just before the move the page is read again: if someone saved it in
the meantime, nothing is written and the command says so.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import UserError
from .need_blocks import Page


def replace_page(page: Page, text: str) -> None:
    target = Path(os.path.realpath(page.path))
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if target.read_bytes() != page.raw:
            raise UserError(
                f"{os.path.relpath(page.path)}: changed since it was read; nothing was written, run the command again"
            )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
