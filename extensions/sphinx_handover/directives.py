"""``handover-readiness`` and ``handover-checklist``: views of the verdict in the site.

Each directive leaves a placeholder node; it is replaced when the page is resolved for
writing, after the verdict exists. Pages holding a placeholder are read again on every
build, so an edit on any other page can never leave them showing an old verdict
(sphinx-needs' own tables do go stale: its issue 354).
"""

from __future__ import annotations

from collections.abc import Set

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxDirective

from . import render, state


class readiness_panel(nodes.General, nodes.Element):
    """Placeholder for the READY / NOT READY panel."""


class checklist_panel(nodes.General, nodes.Element):
    """Placeholder for the table of every check."""


class _PanelDirective(SphinxDirective):
    has_content = False
    node_class: type[nodes.Element]

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        return [node]


class ReadinessDirective(_PanelDirective):
    node_class = readiness_panel


class ChecklistDirective(_PanelDirective):
    node_class = checklist_panel


class VerdictPagesCollector(EnvironmentCollector):
    """Remembers which documents show the verdict."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _verdict_pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        _verdict_pages(env).update(_verdict_pages(other) & set(docnames))

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(doctree.findall(lambda node: isinstance(node, (readiness_panel, checklist_panel)))):
            _verdict_pages(app.env).add(app.env.docname)


def _verdict_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "handover_verdict_pages"):
        env.handover_verdict_pages = set()
    return env.handover_verdict_pages


def _reread_verdict_pages(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    return sorted(_verdict_pages(env) - set(removed))


def _fill_panels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    verdict = state.get_verdict(app)
    for node in list(doctree.findall(readiness_panel)):
        node.replace_self(render.readiness(app, verdict, docname) if verdict else [])
    for node in list(doctree.findall(checklist_panel)):
        node.replace_self(render.checklist(app, verdict, docname) if verdict else [])


def setup_directives(app: Sphinx) -> None:
    app.add_node(readiness_panel)
    app.add_node(checklist_panel)
    app.add_directive("handover-readiness", ReadinessDirective)
    app.add_directive("handover-checklist", ChecklistDirective)
    app.add_env_collector(VerdictPagesCollector)
    app.connect("env-get-outdated", _reread_verdict_pages)
    app.connect("doctree-resolved", _fill_panels)
