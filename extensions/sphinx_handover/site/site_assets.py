"""What the HTML site needs beyond its pages: its stylesheet and script, and what it
publishes of the evidence artifacts (:mod:`.artifact_output`); and what it must not
publish that extensions write beside the pages."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ..integration import state
from ..integration.check_builder import writes_site
from .artifact_output import publish_artifacts

_STATIC = Path(__file__).parents[1] / "static"
#: Served from _static/: handover.css and handover-a11y.js on every page, the theme script
#: on the evidence pages.
_ASSETS = ("handover.css", "handover-theme.js", "handover-a11y.js")
#: Records of the build that extensions write into the site's folder: sphinx-needs'
#: schema validation report (every need it checked, and why one failed). They are the
#: build's, not the reviewers', so they are kept beside the doctrees.
_BUILD_RECORDS = ("schema_violations.json",)


def setup_site_assets(app: Sphinx) -> None:
    app.add_css_file("handover.css")
    app.connect("build-finished", copy_static_assets)
    app.connect("build-finished", publish_evidence, priority=200)
    app.connect("build-finished", keep_build_records_out_of_the_site)


def copy_static_assets(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and writes_site(app):
        for name in _ASSETS:
            copy_asset_file(_STATIC / name, Path(app.outdir, "_static"), force=True)


def publish_evidence(app: Sphinx, exception: Exception | None) -> None:
    """Publish the artifacts of the verdict: text as pages, inert binaries as downloads."""
    if exception is None and state.get_verdict(app) is not None and writes_site(app):
        publish_artifacts(app)


def keep_build_records_out_of_the_site(app: Sphinx, exception: Exception | None) -> None:
    if not writes_site(app):
        return
    for name in _BUILD_RECORDS:
        record = Path(app.outdir, name)
        if record.is_file():
            try:
                record.replace(Path(app.doctreedir, name))
            except OSError:
                record.unlink(missing_ok=True)
