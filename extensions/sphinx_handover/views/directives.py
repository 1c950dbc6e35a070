"""Live views: directives whose content is computed at write time, and the two views of
the verdict, ``handover-readiness`` and ``handover-checklist``.

A live view's directive leaves a placeholder node; it is replaced when the page is
resolved for writing, after the verdict exists, by the renderer registered with
:func:`add_live_view`. Before pages are written, every live view is rendered and the pages
whose views differ from what was last written are written again, from their cached
doctree (:mod:`.page_digests`, :mod:`.gate`). So an edit on any other page or in
handover.yaml can never leave them showing old content (sphinx-needs' own tables do go
stale: its issue 354), and an edit that changes none of them writes none of them.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Set
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxDirective

from ..integration import state
from ..integration.check_builder import only_for_pages
from ..integration.page_digests import PageDigests
from ..model.needs import PackageNeeds
from ..rules.verdict import Verdict
from . import live_pages, render

#: Builds what replaces a placeholder: (app, docname of the page) -> nodes.
Renderer = Callable[[Sphinx, str], list[nodes.Node]]


class live_view(nodes.General, nodes.Element):  # type: ignore[misc]  # docutils ships no types
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
    # Filled before a page is written; `check`, which fills none, translates it as nothing.
    app.add_node(node_class, html=(_unfilled, None))
    app.add_directive(name, directive)
    _RENDERERS[node_class] = renderer
    live_pages.register(name, node_class.__name__)
    if not searchable:
        _UNSEARCHED.add(node_class)


def _unfilled(translator: object, node: live_view) -> None:
    raise nodes.SkipNode


class LiveViewPagesCollector(EnvironmentCollector):
    """Remembers which documents hold live views, and which, in page order."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        live_pages.of(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        for docname, views in live_pages.of(other).items():
            if docname in docnames:
                live_pages.of(env)[docname] = views

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        views = [type(node).__name__ for node in doctree.findall(live_view)]
        if views:
            live_pages.of(app.env)[app.env.docname] = views


def pages_with_changed_views(app: Sphinx) -> set[str]:
    """Renders every live view and returns the pages whose views differ from what was last
    written. Called once the verdict exists, before pages are written.

    The views of a page that changed are kept for writing it, pickled: a view of a
    1,000-need package (the traceability table, the checklist) is a node tree of several
    megabytes while alive, a fraction of that as bytes, and all of them would otherwise be
    held until the last page is written. The views of an unchanged page are not kept: if
    the page is written anyway (its source changed), they are rendered again then."""
    build = state.of(app)
    digests = build.digests.setdefault("views", PageDigests(app, "views"))
    pages = live_pages.of(app.env)
    if not digests.changed("(inputs)", _view_inputs(app, pages)) and all(page in digests.written for page in pages):
        # Nothing any view shows has changed: render them only for pages being written.
        for page in pages:
            digests.keep(page)
        return set()
    by_name = {cls.__name__: cls for cls in _RENDERERS}
    changed = set()
    for docname, views in sorted(pages.items()):
        if docname not in app.env.found_docs or any(name not in by_name for name in views):
            continue
        rendered = [_render(app, by_name[name], docname) for name in views]
        content = "\n".join(node.pformat() for nodes_ in rendered for node in nodes_)
        if digests.changed(docname, content):
            changed.add(docname)
            build.prerendered[docname] = pickle.dumps(rendered, pickle.HIGHEST_PROTOCOL)
    return changed


def _view_inputs(app: Sphinx, pages: dict[str, list[str]]) -> str:
    """Everything a live view shows is drawn from this: the verdict, the requirements and
    their chapters' titles, handover.yaml, the pages holding views and the tool itself."""
    from .._version import __version__
    from .graphviz_fallback import dot_available

    build = state.of(app)
    # In the order the traceability view lists them.
    in_page_order = (
        sorted(build.needs.requirements.values(), key=lambda r: (r.docname, r.lineno)) if build.needs else []
    )
    requirements = [(r.id, r.title, r.docname) for r in in_page_order]
    chapters = sorted({docname for _, _, docname in requirements} | set(pages))
    inputs = {
        "verdict": _as_views_show(build.verdict) if build.verdict else None,
        "requirements": requirements,
        "titles": {doc: app.env.titles[doc].astext() for doc in chapters if doc in app.env.titles},
        "data": build.data.path.read_text("utf-8"),
        # What {handover-targets} shows beyond the verdict: measured values and own targets.
        "measurements": _measurements(build.needs) if build.needs else None,
        "pages": pages,
        "tool": [__version__, dot_available(app)],
    }
    return json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)


def _measurements(needs: PackageNeeds) -> list[Any]:
    checks = [(c.id, c.target_rto, c.target_rpo) for c in needs.checks.values() if c.target_rto or c.target_rpo]
    records = [
        (e.id, e.measured_rto, e.measured_rpo) for e in needs.evidence.values() if e.measured_rto or e.measured_rpo
    ]
    return [checks, records]


def _as_views_show(verdict: Verdict) -> dict[str, Any]:
    """The verdict without the line of each check and record: the report has them but no
    view shows them, and a sentence added above the needs of a runbook would otherwise
    render every view again. The lines of problems and warnings are shown, and kept."""
    shown = verdict.as_dict()
    for check in shown["checks"]:
        del check["line"]
        for record in check["evidence"]:
            del record["line"]
    return shown


def _render(app: Sphinx, view: type[live_view], docname: str) -> list[nodes.Node]:
    rendered = _RENDERERS[view](app, docname)
    if view in _UNSEARCHED:
        for element in rendered:
            if isinstance(element, nodes.Element):
                element["classes"].append("no-search")  # Sphinx's indexer skips these
    return rendered


def _fill_live_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(live_view))
    build = state.of_or_none(app)
    kept = build.prerendered.pop(docname, None) if build else None
    prerendered = pickle.loads(kept) if kept is not None else None  # bytes this build wrote
    if prerendered is None or len(prerendered) != len(placeholders):
        prerendered = [_render(app, type(node), docname) for node in placeholders]
    for node, rendered in zip(placeholders, prerendered, strict=True):
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
    app.connect("doctree-resolved", only_for_pages(_fill_live_views))
