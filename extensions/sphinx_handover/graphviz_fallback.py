"""Diagrams without Graphviz: the DOT source, shown, instead of a lost figure.

``sphinx.ext.graphviz`` drops a diagram with an unlocated warning per figure when
``dot`` is missing. A reviewer would then see nothing; here they see a notice and the
source, and the build log says once how to install Graphviz.
"""

from __future__ import annotations

import shutil

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util import logging

from . import state
from .labels import label

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "Graphviz 'dot' was not found, so diagrams are shown as their DOT source; "
    "install Graphviz to draw them (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz)"
)


def setup_graphviz_fallback(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    # After sphinx-needs has turned its needflow nodes into graphviz nodes.
    app.connect("doctree-resolved", replace_diagrams, priority=900)


def dot_available(app: Sphinx) -> bool:
    return shutil.which(app.config.graphviz_dot) is not None


def replace_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    diagrams = list(doctree.findall(graphviz))
    if not diagrams or dot_available(app):
        return
    build = state.of(app)
    if not build.warned_missing_dot:
        build.warned_missing_dot = True
        logger.warning(INSTALL_HINT, type="handover", subtype="graphviz_missing")
    language = build.data.project.language
    for diagram in diagrams:
        notice = nodes.container(classes=["handover-dot-missing"])
        notice += nodes.paragraph(text=label(language, "diagram_not_drawn"))
        notice += nodes.literal_block(diagram["code"], diagram["code"], language="text")
        diagram.replace_self(notice)
