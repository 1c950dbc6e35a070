"""The configuration sphinx_handover gives a package, for its twins' conf.py.

Read from the extension itself (its ``config-inited`` handler, before sphinx-needs adds
its own defaults), so the bare build declares exactly the same need types, fields and
links, and the same theme and exclusions, as the handover build.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from sphinx_handover.integration import needs_config

#: What a package's configuration gets from sphinx_handover and keeps in the twins.
SITE = ("project", "language", "copyright", "html_theme", "html_title", "html_copy_source", "exclude_patterns")
NEEDS = ("needs_types", "needs_fields", "needs_links", "needs_id_required", "needs_flow_engine", "needs_build_json")


def handover_settings(package: Path) -> dict[str, Any]:
    """SITE and NEEDS as sphinx_handover sets them for *package*."""
    seen: dict[str, Any] = {}
    original = needs_config.configure_package

    def configure(app, config) -> None:
        original(app, config)
        seen.update({name: config[name] for name in (*SITE, *NEEDS)})

    with (
        tempfile.TemporaryDirectory() as scratch,
        docutils_namespace(),
        mock.patch.object(needs_config, "configure_package", configure),
    ):
        Sphinx(package, package, Path(scratch, "out"), Path(scratch, "doctrees"), "dummy", status=None, warning=None)
    return seen
