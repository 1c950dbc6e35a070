"""A diagram's DOT source reads no file and links nowhere a page may not.

Graphviz loads the files a DOT source names (``image``, ``shapefile``, ``<IMG SRC>`` in
an HTML label) from anywhere on the building machine and draws them into the published
PNG; and it turns ``URL`` / ``href`` attributes into the links of an image map, which
Sphinx writes into the page as they are (``javascript:`` included). Both come from the
package's ``{graphviz}`` diagrams, and sphinx-needs' ``needflow`` draws through the same
code.

* Files: Graphviz's own switch for untrusted input. With ``SERVER_NAME`` in its
  environment and ``GV_FILE_PATH`` unset, ``dot`` loads no file at all ("file loading is
  disabled"). It is set while the pages are written (every ``dot`` then inherits it: Sphinx's,
  sphinx-needs', handover-kit's own) and restored when the build ends. A diagram that
  names a file is drawn without it, and Sphinx reports dot's complaint at the directive.
* Links: every image map of the site is made by one class of ``sphinx.ext.graphviz``
  (sphinx-needs imports it by name); in every module that holds it, it is replaced by a subclass that keeps only the areas whose link
  :func:`.html_policy.url_is_allowed` (relative, http, https, mailto), the rule every
  other link of a page follows.
"""

from __future__ import annotations

import html
import os
import re
import sys

from sphinx.application import Sphinx
from sphinx.ext import graphviz

from .html_policy import url_is_allowed

#: Graphviz disables file loading when this names a web server and GV_FILE_PATH is unset.
_SERVER_NAME = "handover-kit"
_HREF = re.compile(r'\bhref="([^"]*)"')
_SAVED_ENVIRONMENT = "_handover_saved_graphviz_environment"


def setup_diagram_sources(app: Sphinx) -> None:
    # sphinx-needs' needflow imports the class by name: every module holding it gets ours.
    original = graphviz.ClickableMapDefinition
    for module in list(sys.modules.values()):
        if getattr(module, "ClickableMapDefinition", None) is original:
            setattr(module, "ClickableMapDefinition", LinkCheckedMap)  # noqa: B010  # a module found at run time
    # dot runs while pages are written; set only then, so an application that is never
    # built (or a host process between builds) keeps its environment.
    app.connect("write-started", _disable_file_loading)
    app.connect("build-finished", _restore_environment, priority=1)  # before any handler that may raise


class LinkCheckedMap(graphviz.ClickableMapDefinition):
    """Sphinx's clickable map of a diagram, without the areas whose link a page may not hold."""

    def parse(self, dot: str) -> None:
        super().parse(dot)
        self.clickable = [area for area in self.clickable if _links_allowed(area)]


def _links_allowed(area: str) -> bool:
    return all(url_is_allowed(html.unescape(href)) for href in _HREF.findall(area))


def _disable_file_loading(app: Sphinx, builder: object) -> None:
    saved = {name: os.environ.get(name) for name in ("SERVER_NAME", "GV_FILE_PATH")}
    setattr(app, _SAVED_ENVIRONMENT, saved)
    os.environ["SERVER_NAME"] = _SERVER_NAME
    os.environ.pop("GV_FILE_PATH", None)


def _restore_environment(app: Sphinx, exception: BaseException | None) -> None:
    saved: dict[str, str | None] = getattr(app, _SAVED_ENVIRONMENT, {})
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
