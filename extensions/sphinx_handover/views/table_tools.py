"""Filtering, sorting and a CSV download for the checklist and blocking tables, in the
reader's browser: a static script (the Content-Security-Policy allows no inline one),
so the site stays a folder of files that works offline."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ..integration.check_builder import writes_site

_SCRIPT = Path(__file__).parents[1] / "static" / "handover-tables.js"


def setup_table_tools(app: Sphinx) -> None:
    app.add_js_file(_SCRIPT.name, loading_method="defer")
    app.connect("build-finished", _copy_script)


def _copy_script(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and writes_site(app):
        copy_asset_file(_SCRIPT, Path(app.outdir, "_static"), force=True)
