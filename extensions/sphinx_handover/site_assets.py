"""What the HTML site needs beyond its pages: the stylesheet and the evidence artifacts."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from . import state
from .render import ARTIFACTS_DIR

_STATIC = Path(__file__).parent / "static"


def setup_site_assets(app: Sphinx) -> None:
    app.add_css_file("handover.css")
    app.connect("build-finished", copy_stylesheet)
    app.connect("build-finished", copy_artifacts, priority=200)


def copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_asset_file(_STATIC / "handover.css", Path(app.outdir, "_static"), force=True)


def copy_artifacts(app: Sphinx, exception: Exception | None) -> None:
    """Copy every artifact that passed its checks into the site, under _evidence/."""
    verdict = state.get_verdict(app)
    if exception is not None or verdict is None or app.builder.format != "html":
        return
    build = state.of(app)
    root = build.root.resolve()
    holding_secrets = {finding.path.resolve() for finding in build.secrets}
    target_root = Path(app.outdir, ARTIFACTS_DIR)
    artifacts = {record.artifact for check in verdict.checks for record in check.evidence}
    for artifact in sorted(artifacts):
        source = (root / artifact).resolve()
        if artifact.lower().startswith("https://") or not source.is_relative_to(root) or not source.exists():
            continue
        target = target_root / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source, target, dirs_exist_ok=True, ignore=lambda folder, names: [
                    name for name in names if (Path(folder) / name).resolve() in holding_secrets
                ]
            )
        elif source in holding_secrets:
            continue  # reported as handover.secret; a reviewer must not be able to open it
        elif not _same_file_copied(source, target):
            shutil.copy2(source, target)


def _same_file_copied(source: Path, target: Path) -> bool:
    """Whether *target* is the copy of *source* an earlier build made (copy2 keeps mtime)."""
    try:
        wanted, present = source.stat(), target.stat()
    except OSError:
        return False
    return wanted.st_size == present.st_size and wanted.st_mtime_ns == present.st_mtime_ns
