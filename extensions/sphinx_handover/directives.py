"""Live views: directives whose content is computed at write time, and the two views of
the verdict, ``handover-readiness`` and ``handover-checklist``.

A live view's directive leaves a placeholder node; it is replaced when the page is
resolved for writing, after the verdict exists, by the renderer registered with
:func:`add_live_view`. Pages holding a placeholder are written again on every build (from
their cached doctree, without reading their source again: :mod:`.gate` asks for them),
so an edit on any other page or in handover.yaml can never leave them showing old
content (sphinx-needs' own tables do go stale: its issue 354).
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxDirective

from . import render, state

#: Builds what replaces a placeholder: (app, docname of the page) -> nodes.
Renderer = Callable[[Sphinx, str], list[nodes.Node]]


class live_view(nodes.General, nodes.Element):
    """Placeholder of a live view."""


class readiness_panel(live_view):
    """Placeholder for the READY / NOT READY panel."""


class checklist_panel(live_view):
    """Placeholder for the table of every check."""


class LiveViewDirective(SphinxDirective):
    has_content = False
    node_class: ClassVar[type[live_view]]

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        return [node]


_RENDERERS: dict[type[live_view], Renderer] = {}
#: Views that only repeat what needs say on their own pages: left out of the search
#: index, so a search lands on the need itself (and a rewrite of the view is cheap).
_UNSEARCHED: set[type[live_view]] = set()


def add_live_view(
    app: Sphinx, name: str, node_class: type[live_view], renderer: Renderer, *, searchable: bool = True
) -> None:
    """Register directive *name*, leaving a *node_class* placeholder filled by *renderer*."""
    directive = type(f"{node_class.__name__}_directive", (LiveViewDirective,), {"node_class": node_class})
    app.add_node(node_class)
    app.add_directive(name, directive)
    _RENDERERS[node_class] = renderer
    if not searchable:
        _UNSEARCHED.add(node_class)


class LiveViewPagesCollector(EnvironmentCollector):
    """Remembers which documents hold a live view."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _live_pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        _live_pages(env).update(_live_pages(other) & set(docnames))

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(doctree.findall(live_view)):
            _live_pages(app.env).add(app.env.docname)


def _live_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "handover_live_pages"):
        env.handover_live_pages = set()
    return env.handover_live_pages


def live_pages(env: BuildEnvironment) -> set[str]:
    """Pages to write on every build although their source did not change."""
    return _live_pages(env) & env.found_docs


def _fill_live_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(live_view)):
        rendered = _RENDERERS[type(node)](app, docname)
        if type(node) in _UNSEARCHED:
            for element in rendered:
                if isinstance(element, nodes.Element):
                    element["classes"].append("no-search")  # Sphinx's indexer skips these
        node.replace_self(rendered)


def _readiness(app: Sphinx, docname: str) -> list[nodes.Node]:
    verdict = state.get_verdict(app)
    return [render.readiness(app, verdict, docname)] if verdict else []


def _checklist(app: Sphinx, docname: str) -> list[nodes.Node]:
    verdict = state.get_verdict(app)
    return [render.checklist(app, verdict, docname)] if verdict else []


def setup_directives(app: Sphinx) -> None:
    add_live_view(app, "handover-readiness", readiness_panel, _readiness, searchable=False)
    add_live_view(app, "handover-checklist", checklist_panel, _checklist, searchable=False)
    app.add_env_collector(LiveViewPagesCollector)
    app.connect("doctree-resolved", _fill_live_views)
