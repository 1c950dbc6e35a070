"""Diagrams without Graphviz: the DOT source, shown, instead of a lost figure.

``sphinx.ext.graphviz`` drops a diagram with an unlocated warning per figure when
``dot`` is missing. A reviewer would then see nothing; here they see a notice and the
source, and the build log says once how to install Graphviz.
"""

from __future__ import annotations

import functools
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
    return _which(app.config.graphviz_dot) is not None


@functools.lru_cache(maxsize=8)
def _which(command: str) -> str | None:
    return shutil.which(command)


def _dot_source(node: nodes.Node) -> str | None:
    """The DOT code of a diagram node: Sphinx's graphviz node, or sphinx-needs' needflow
    node once resolved (its node class is internal, so it is recognised by its content)."""
    if isinstance(node, graphviz):
        return node["code"]
    if isinstance(node, nodes.Element) and isinstance(node.get("resolved_content"), str):
        return node["resolved_content"]
    return None


def replace_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if dot_available(app):
        return
    diagrams = [node for node in doctree.findall(nodes.Element) if _dot_source(node) is not None]
    if not diagrams:
        return
    build = state.of(app)
    if not build.warned_missing_dot:
        build.warned_missing_dot = True
        logger.warning(INSTALL_HINT, type="handover", subtype="graphviz_missing")
    language = build.data.project.language
    for diagram in diagrams:
        notice = nodes.container(classes=["handover-dot-missing"])
        notice += nodes.paragraph(text=label(language, "diagram_not_drawn"))
        code = _dot_source(diagram)
        notice += nodes.literal_block(code, code, language="text")
        diagram.replace_self(notice)
