"""Which package a command works on when it is given no folder: the one that holds the
current folder, as git finds its repository."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx_handover.model.package_data import FILENAME

from .errors import UserError


def package_or_containing(directory: Path | None) -> Path:
    """*directory* as given, else the nearest folder from the current one upwards that
    holds handover.yaml, shown relative to the current folder (``.``, ``..``)."""
    if directory is not None:
        return directory
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / FILENAME).is_file():
            return Path(os.path.relpath(folder, here))
    raise UserError(
        f"{here}: not inside a handover package ({FILENAME} not found here or in a folder above): "
        "give the package's folder, or create one with 'handover new DIR' or 'handover init'"
    )
