"""Live views for reviewers: ``handover-charts`` (readiness per review and per chapter),
``handover-traceability`` (requirement -> checks -> evidence, per chapter, as a diagram
coloured by status and as a table with every record's date, age, owner, artifact and
hash) and ``handover-trace-diagram`` (the same diagram for the checks of one page, one
per review: what chapter 10 shows where sphinx-needs' needflow drew every need)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import graphviz
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz as graphviz_node

from ..i18n.labels import label
from ..integration import state
from ..integration.check_builder import writes_site
from ..model.needs import Requirement
from ..model.timeline import REVIEWS, review_date
from ..rules.verdict import CheckStatus, Verdict
from ..untrusted.html_sanitizing import trusted_html_node
from . import charts, graphviz_fallback, live_pages
from .directives import add_live_view, live_view
from .dot_source import TextDigraph
from .render import evidence_cell, need_link, status_badge
from .tables import table


class charts_panel(live_view):
    """Placeholder for the readiness charts."""


class traceability_panel(live_view):
    """Placeholder for the traceability view."""


class trace_diagram_panel(live_view):
    """Placeholder for the diagram of a page's checks."""


def setup_overview(app: Sphinx) -> None:
    add_live_view(app, "handover-charts", charts_panel, render_charts, searchable=False)
    add_live_view(app, "handover-traceability", traceability_panel, render_traceability, searchable=False)
    add_live_view(app, "handover-trace-diagram", trace_diagram_panel, render_trace_diagram, searchable=False)
    # After furo's handler (500), which hid "on this page" for want of sections read from the source.
    app.connect("html-page-context", _traceability_toc, priority=600)


def render_charts(app: Sphinx, docname: str) -> list[nodes.Node]:
    build = state.of(app)
    if build.verdict is None or build.needs is None or not writes_site(app):
        return []
    chapters = [(doc, _chapter_title(app, doc)) for doc in _chapters(build.needs.requirements.values())]
    requirements = _requirements_by_chapter(build.needs.requirements.values())
    svgs = [charts.per_review(build.verdict), charts.per_chapter(build.verdict, chapters, requirements)]
    box = nodes.container(classes=["handover-charts"])
    for svg in svgs:
        box += trusted_html_node(f'<div class="handover-chart">{svg}</div>')
    return [box]


def render_traceability(app: Sphinx, docname: str) -> list[nodes.Node]:
    build = state.of(app)
    verdict = build.verdict
    if verdict is None or build.needs is None:
        return []
    by_requirement: dict[str, list[CheckStatus]] = {}
    for check in verdict.checks:
        for requirement in check.verifies:
            by_requirement.setdefault(requirement, []).append(check)
    output: list[nodes.Node] = []
    grouped = _requirements_by_chapter(build.needs.requirements.values())
    chapters = {
        chapter: [build.needs.requirements[req_id] for req_id in grouped[chapter]]
        for chapter in _chapters(build.needs.requirements.values())
    }
    graphs = [_diagram(verdict, requirements, by_requirement, chapter) for chapter, requirements in chapters.items()]
    drawings = _draw_all(app, graphs)
    for (chapter, requirements), graph, drawing in zip(chapters.items(), graphs, drawings, strict=True):
        section = nodes.section(ids=[_chapter_anchor(chapter)], classes=["handover-trace-chapter"])
        section += nodes.title(text=_chapter_title(app, chapter))
        section += drawing if drawing is not None else _diagram_node(graph, verdict.language)
        section += _trace_table(app, verdict, docname, requirements, by_requirement)
        output.append(section)
    return output


def _chapter_anchor(chapter: str) -> str:
    anchor: str = nodes.make_id(f"handover-trace-{chapter}")  # docutils has no type stubs
    return anchor


def _traceability_toc(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, object], doctree: object
) -> None:
    """ "On this page" of the traceability page lists its chapters. They are sections
    written when the page is (the verdict is known only then), so Sphinx's table of
    contents, collected while reading, has none of them."""
    build = state.of(app)
    if build.needs is None or not live_pages.shows(app.env, pagename, "handover-traceability"):
        return
    chapters = _chapters(build.needs.requirements.values())
    if not chapters:
        return
    items = "".join(
        f'<li><a class="reference internal" href="#{_chapter_anchor(chapter)}">'
        f"{html.escape(_chapter_title(app, chapter))}</a></li>"
        for chapter in chapters
    )
    title = str(context.get("title") or "")  # HTML already: Sphinx renders it from the page title
    context["toc"] = f'<ul>\n<li><a class="reference internal" href="#">{title}</a><ul>{items}</ul></li>\n</ul>\n'
    context["furo_hide_toc"] = False


def render_trace_diagram(app: Sphinx, docname: str) -> list[nodes.Node]:
    """The checks written on *docname*, one diagram per review, each with the
    requirements they verify and their evidence; then the requirements no check verifies.
    Its size follows those checks, not the package: needs elsewhere are not drawn."""
    build = state.of(app)
    verdict = build.verdict
    if verdict is None or build.needs is None:
        return []
    requirements = build.needs.requirements
    page_checks = [check for check in verdict.checks if check.docname == docname]
    verified = {req for check in verdict.checks for req in check.verifies}
    groups: list[tuple[str, list[Requirement], dict[str, list[CheckStatus]]]] = []
    for review in REVIEWS:
        by_requirement: dict[str, list[CheckStatus]] = {}
        for check in page_checks:
            if check.gate == review:
                for req in check.verifies:
                    by_requirement.setdefault(req, []).append(check)
        shown = [requirements[req] for req in by_requirement if req in requirements]
        if shown:
            when = label(verdict.language, "review_on").format(
                gate=review, date=review_date(verdict.release_date, review)
            )
            groups.append((when, shown, by_requirement))
    uncovered = [req for req in requirements.values() if req.id not in verified]
    if uncovered:
        groups.append((label(verdict.language, "chart_open"), uncovered, {}))
    graphs = [
        _diagram(verdict, shown, by_requirement, f"{docname}_{index}")
        for index, (_, shown, by_requirement) in enumerate(groups)
    ]
    output: list[nodes.Node] = []
    for (title, _, _), graph, drawing in zip(groups, graphs, _draw_all(app, graphs), strict=True):
        section = nodes.container(classes=["handover-trace-chapter"])
        section += nodes.rubric(text=title)
        section += drawing if drawing is not None else _diagram_node(graph, verdict.language)
        output.append(section)
    return output


def _draw_all(app: Sphinx, graphs: Sequence[graphviz.Digraph]) -> list[nodes.Node | None]:
    """Every chapter's diagram as inline SVG, laid out by one run of dot for the page.

    One process per diagram (what sphinx.ext.graphviz does) cost most of the page at a
    few hundred chapters. Without dot, or if it fails, the diagrams stay graphviz nodes,
    which the fallback shows as their DOT source with one install hint.
    """
    if not graphs or not writes_site(app) or not graphviz_fallback.dot_available(app):
        return [None] * len(graphs)
    source = "\n".join(graph.source for graph in graphs)
    try:
        output = graphviz.pipe("dot", "svg", source.encode("utf-8"), quiet=True).decode("utf-8")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return [None] * len(graphs)
    svgs = [svg[svg.index("<svg") :] for svg in output.split("<?xml")[1:]]
    if len(svgs) != len(graphs):
        return [None] * len(graphs)
    alt = html.escape(label(state.of(app).data.project.language, "trace_alt"))
    return [
        trusted_html_node(f'<div class="handover-trace-graph" role="img" aria-label="{alt}">{svg}</div>')
        for svg in svgs
    ]


def _trace_table(
    app: Sphinx,
    verdict: Verdict,
    docname: str,
    requirements: Sequence[Requirement],
    by_requirement: dict[str, list[CheckStatus]],
) -> nodes.table:
    lang = verdict.language
    rows = []
    for requirement in requirements:
        req_cell = [
            nodes.paragraph("", "", need_link(app, docname, requirement.docname, requirement.id)),
            nodes.paragraph(text=requirement.title),
        ]
        checks = by_requirement.get(requirement.id, [])
        check_cell: list[nodes.Node] = []
        for check in checks:
            line = nodes.paragraph()
            line += status_badge(lang, check.status)
            line += nodes.Text(" ")
            line += need_link(app, docname, check.docname, check.id)
            line += nodes.Text(" " + label(lang, "titled_due").format(title=check.title, gate=check.gate))
            check_cell.append(line)
            check_cell.extend(evidence_cell(app, verdict, docname, check.evidence))
        if not checks:
            check_cell.append(nodes.paragraph(text=label(lang, "trace_no_check")))
        rows.append([req_cell, check_cell])
    headers = [label(lang, "trace_requirement"), label(lang, "trace_checks_evidence")]
    return table(headers, rows, classes=["handover-traceability"], widths=(32, 68))


def _diagram(
    verdict: Verdict, requirements: Sequence[Requirement], by_requirement: dict[str, list[CheckStatus]], chapter: str
) -> graphviz.Digraph:
    """Evidence -> check -> requirement, left to right; checks and evidence in their status colour."""
    prefix = "trace_" + re.sub(r"[^A-Za-z0-9_]", "_", chapter)
    graph = TextDigraph(
        chapter.replace("/", "_"),
        # Ids unique on the page (several SVGs share it); no white box in dark mode.
        graph_attr={"rankdir": "LR", "nodesep": "0.15", "ranksep": "0.5", "id": prefix, "bgcolor": "transparent"},
        node_attr={"shape": "box", "style": "rounded,filled", "fontname": "sans-serif", "fontsize": "10"},
        edge_attr={"color": "#667085"},
    )
    drawn: set[tuple[str, str]] = set()

    def edge(tail: str, head: str) -> None:
        if (tail, head) not in drawn:
            drawn.add((tail, head))
            graph.edge(tail, head, id=f"{prefix}__{tail}__{head}")

    for requirement in requirements:
        graph.node(
            requirement.id,
            f"{requirement.id}\n{_short(requirement.title)}",
            fillcolor="#e4ecf7",
            id=f"{prefix}__{requirement.id}",
        )
        for check in by_requirement.get(requirement.id, []):
            graph.node(
                check.id,
                f"{check.id}\n{_short(check.title)}",
                fillcolor=charts.COLOURS[check.status],
                fontcolor="white",
                id=f"{prefix}__{check.id}",
            )
            edge(check.id, requirement.id)
            for record in check.evidence:
                colour = charts.COLOURS["done"] if record.counts else charts.COLOURS["missing"]
                graph.node(
                    record.id,
                    f"{record.id}\n{record.date or ''}",
                    fillcolor="#ffffff",
                    color=colour,
                    penwidth="2",
                    id=f"{prefix}__{record.id}",
                )
                edge(record.id, check.id)
    return graph


def _diagram_node(graph: graphviz.Digraph, language: str) -> graphviz_node:
    node = graphviz_node(classes=["handover-trace-graph"])
    node["code"] = graph.source
    node["options"] = {}
    node["alt"] = label(language, "trace_alt")
    return node


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chapters(requirements: Iterable[Requirement]) -> list[str]:
    return sorted({requirement.docname for requirement in requirements})


def _requirements_by_chapter(requirements: Iterable[Requirement]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for requirement in sorted(requirements, key=lambda r: (r.docname, r.lineno)):
        grouped.setdefault(requirement.docname, []).append(requirement.id)
    return grouped


def _chapter_title(app: Sphinx, docname: str) -> str:
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname
