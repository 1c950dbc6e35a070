"""Files a page names that Sphinx would copy as they are: never one the scan withholds.

A page can make Sphinx copy a package file into the site byte for byte: ``{download}``,
a Markdown link to a file that is no page (``[key](ops.ppk)``), an image or figure.
Redaction cannot reach inside such a copy, so a file that holds a secret, or that could
not be scanned, must not be copied at all. Every such file is in one of two tables of
the environment once all pages are read (``env.dlfiles``, ``env.images``), whichever
role or directive named it; that is the one place they are withheld, before any
builder copies them. A copy left in the output by an earlier build is removed. The
link in the page is kept and leads nowhere; the secret itself is reported at its
``file:line`` by the scan.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..integration import state


def withhold_unpublishable_files(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: drops from the downloads and images every file the scan does
    not allow to publish (:meth:`.ScanResult.publishable`)."""
    scan = state.of(app).scan
    outdir = Path(app.outdir)
    tables: list[tuple[dict[Any, tuple[set[str], Any]], str]] = [(env.dlfiles, "_downloads"), (env.images, "_images")]
    for table, folder in tables:
        for name in list(table):
            if scan.publishable(Path(env.srcdir, str(name))):
                continue
            _, copied = table.pop(name)
            stale = outdir / folder / str(copied)
            if stale.is_file() and not stale.is_symlink():
                os.unlink(stale)
    return []
