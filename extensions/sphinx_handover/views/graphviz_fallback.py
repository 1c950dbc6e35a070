"""How the site's diagrams are written: handover-kit's own as inline SVG, and without
Graphviz the DOT source, shown, instead of a lost figure.

``sphinx.ext.graphviz`` writes a diagram as a PNG drawn on white (or an SVG in an
``<object>``, which the pages' Content-Security-Policy forbids): neither follows the
reader's colour scheme. A graphviz node of handover-kit's that carries the class
:data:`INLINE_SVG` is laid out by ``dot`` here instead and written into the page as SVG,
whose classes handover.css colours for light and dark. Other diagrams (sphinx-needs'
needflow) stay images.

``sphinx.ext.graphviz`` drops a diagram with an unlocated warning per figure when
``dot`` is missing. A reviewer would then see nothing; here they see a notice and the
source, and the build log says once how to install Graphviz. A diagram whose DOT source
``dot`` rejects is shown the same way, and reported at its line (Sphinx's own warning
names no file and spreads Graphviz's message over several lines).
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util import logging

from ..i18n.labels import label
from ..i18n.messages import _
from ..integration import state
from ..integration.check_builder import only_for_pages, writes_site
from ..rules.rules_table import Rule
from ..untrusted.html_sanitizing import trusted_html_node

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "Graphviz 'dot' was not found, so diagrams are shown as their DOT source; "
    "install Graphviz to draw them (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz)"
)


#: The class that asks for a diagram as inline SVG (set by escalation_render).
INLINE_SVG = "handover-inline-svg"
_DOT_SECONDS = 60
_ID = re.compile(r'\bid="([^"]*)"')
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def setup_graphviz_fallback(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    # After sphinx-needs has turned its needflow nodes into graphviz nodes.
    app.connect("doctree-resolved", only_for_pages(replace_diagrams), priority=900)
    # While the page is read, so that `check` and the build report it alike.
    app.connect("doctree-read", replace_unreadable_diagrams)
    # After redaction (990) has cleaned the DOT source, before the sanitizer (999).
    app.connect("doctree-resolved", only_for_pages(draw_inline), priority=995)


def dot_available(app: Sphinx) -> bool:
    return _which(app.config.graphviz_dot) is not None


@functools.lru_cache(maxsize=8)
def _which(command: str) -> str | None:
    return shutil.which(command)


def _dot_source(node: nodes.Node) -> str | None:
    """The DOT code of a diagram node: Sphinx's graphviz node, or sphinx-needs' needflow
    node once resolved (its node class is internal, so it is recognised by its content)."""
    if isinstance(node, graphviz):
        return str(node["code"])
    if isinstance(node, nodes.Element) and isinstance(content := node.get("resolved_content"), str):
        return content
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
        diagram.replace_self(_source_notice(language, "diagram_not_drawn", _dot_source(diagram) or ""))


def replace_unreadable_diagrams(app: Sphinx, doctree: nodes.document) -> None:
    """A ``{graphviz}`` diagram of the package that ``dot`` cannot read: its source, shown
    with a notice, and a warning at its line."""
    if not dot_available(app):
        return
    language = state.of(app).data.project.language
    for diagram in list(doctree.findall(graphviz)):
        if INLINE_SVG in diagram["classes"]:
            continue  # handover-kit's own
        problem = _dot_problem(app, str(diagram["code"]))
        if problem is None:
            continue
        logger.warning(
            _("the diagram cannot be drawn: Graphviz says {problem}").format(problem=problem),
            location=diagram,
            type="handover",
            subtype=Rule.DIAGRAM_INVALID.value,
        )
        diagram.replace_self(_source_notice(language, "diagram_invalid", str(diagram["code"])))


def _source_notice(language: str, why: str, code: str) -> nodes.container:
    """A diagram that is not drawn: why (a label of *why*), then its DOT source."""
    notice = nodes.container(classes=["handover-dot-missing"])
    notice += nodes.paragraph(text=label(language, why))
    notice += nodes.literal_block(code, code, language="text")
    return notice


def _dot_problem(app: Sphinx, code: str) -> str | None:
    """Graphviz's first complaint about *code*, or None when it reads it."""
    try:
        subprocess.run(
            [app.config.graphviz_dot, "-Tcanon", "-o", os.devnull],
            input=code.encode("utf-8"),
            capture_output=True,
            timeout=_DOT_SECONDS,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        said = error.stderr.decode("utf-8", "replace").strip().splitlines()
        return said[0].removeprefix("Error: ").strip() if said else f"exit code {error.returncode}"
    except (OSError, subprocess.SubprocessError):
        return None  # Sphinx's own drawing reports what went wrong
    return None


def draw_inline(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write each :data:`INLINE_SVG` diagram of an HTML page as SVG; one that ``dot``
    cannot draw stays a graphviz node (an image, as before)."""
    if not writes_site(app) or not dot_available(app):
        return
    for index, diagram in enumerate(list(doctree.findall(graphviz))):
        if INLINE_SVG in diagram["classes"]:
            svg = _svg(app, diagram["code"], f"{INLINE_SVG}-{index}")
            if svg is not None:  # parent.replace: replace_self would copy the classes onto a wrapper
                diagram.parent.replace(diagram, _figure(diagram, svg))


def _svg(app: Sphinx, code: str, prefix: str) -> str | None:
    """*code* laid out by dot as an SVG element: no XML prolog, no tooltips (the figure
    has its own label), ids prefixed so that two diagrams on a page never share one."""
    try:
        done = subprocess.run(
            [app.config.graphviz_dot, "-Tsvg"],
            input=code.encode("utf-8"),
            capture_output=True,
            timeout=_DOT_SECONDS,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    output = done.stdout.decode("utf-8", "replace")
    start = output.find("<svg")
    if start < 0:
        return None
    svg = _TITLE.sub("", output[start:])
    return _ID.sub(lambda match: f'id="{prefix}-{match.group(1)}"', svg)


def _figure(diagram: graphviz, svg: str) -> nodes.Node:
    classes = " ".join(name for name in diagram["classes"] if name != INLINE_SVG)
    alt = html.escape(diagram.get("alt") or "")
    return trusted_html_node(f'<div class="{html.escape(classes)}" role="img" aria-label="{alt}">{svg}</div>')
