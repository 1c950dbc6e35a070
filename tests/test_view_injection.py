"""Package text in the markup handover-kit writes itself stays text.

Raw HTML a page writes goes through the sanitizer (tests/test_html_safety.py). This file
attacks the other way in: the values the views and the site put into HTML, inline SVG,
DOT, JSON, CSS and URLs themselves (need titles and owners, handover.yaml strings,
sign-off notes, evidence file names, page titles and file names). Each vector is planted
in a copy of the complete example, the site is built once, and every page is parsed: no
element or attribute of a vector, no event handler, no script from elsewhere, no
``javascript:`` or ``data:`` URL, no ``<foreignObject>`` or ``<image>`` in a diagram, no
node or link injected into a diagram's DOT. Then the vectors must show, as the text they
are, where they were planted, and, in Chromium, nothing runs and nothing leaves the site.

Every vector carries the marker ``x-hk``: an element or attribute named ``x-hk-...``
in the output is text that came out as markup.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AS_OF, EXAMPLES, WatchedPage

#: One vector per context it tries to leave, each with the marker and its own alert number.
VECTORS = {
    # HTML text and attribute values: quotes of both kinds, a backtick, a tag, an entity.
    "html": "<x-hk-text onmouseover=alert(31)>&amp;",
    "attribute": "\"'`><x-hk-attr x-hk-attr onfocus=alert(32) autofocus>",
    # A <script> or comment the text would end, CDATA of XML.
    "script": "</script><x-hk-script></script><script>alert(33)</script>",
    "comment": "--><!--<x-hk-comment>--><x-hk-after-comment onclick=alert(34)>]]><x-hk-cdata>",
    # DOT: end the quoted label and the node, add attributes and a node of its own; a
    # DOT escape sequence; an HTML-like label.
    "dot": '\\"];x_hk_node[URL="javascript:alert(35)" image="/etc/passwd"];x[label="\\l\\N<b>x-hk-bold</b>',
    "dot_html": '<<TABLE><TR><TD HREF="javascript:alert(36)"><IMG SRC="/etc/passwd"/>x-hk-label</TD></TR></TABLE>>',
    # SVG and CSS.
    "svg": '<foreignObject><x-hk-foreign xmlns="http://www.w3.org/1999/xhtml" onload="alert(37)"/></foreignObject>',
    "css": "red;background:url(//evil.example/x-hk-css)</style><x-hk-style>",
    # A URL where one may be built.
    "url": "javascript:alert(38)//x-hk-url",
}
#: One line of all of them: what a single-line value (a need title, an owner) gets.
ALL = " ".join(VECTORS.values())
#: Need titles: a backtick would end the Markdown fence, so none there.
TITLE = ALL.replace("`", "")
#: A multi-line value: a newline, then a DOT statement on a line of its own.
MULTILINE = ALL + '\n"]; x_hk_line[URL="javascript:alert(39)"]; "\n' + VECTORS["dot"]
#: A page heading, written with entities so that Markdown makes it text and not HTML.
HEADING = html.escape("<x-hk-heading onmouseover=alert(40)>\"'</script><!--]]>&amp;")
#: An evidence file name: whatever a file system allows (no slash).
FILE_NAME = "\"'><x-hk-file onmouseover=alert(41)>&amp;`javascript:alert(42).txt"
#: A folder artifact's name.
FOLDER_NAME = "x-hk-folder\"'><x-hk-folder-tag onmouseover=alert(44)>"
#: A page file name, in the toctree.
PAGE_NAME = "x-hk-page\"'><x-hk-page-tag onmouseover=alert(43)>&amp;"
#: A page at the package's root names its chapter's traceability graph as it is: this one
#: ended the graph's name (an HTML-like DOT ID) and drew a graph of its own there.
ROOT_PAGE_NAME = '<a> { x_hk_graph [label="x-hk-graph" URL="mailto:x@evil.example"] } digraph <b>'

SHORT_PAGES = {  # where a planted value must show, as the text it is
    "index.html": "EC" + ALL,
    "chapters/04-ledgers.html": VECTORS["dot"],
    "chapters/02-organization-raci.html": VECTORS["attribute"],
    "chapters/09-hypercare.html": VECTORS["comment"],
    "go-no-go.html": VECTORS["svg"],
    "traceability.html": FILE_NAME,
}

_SCHEMES = re.compile(r"^[\s\x00-\x20]*(javascript|data|vbscript)\s*:", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "srcset", "background"}
_FORBIDDEN_ELEMENTS = {"foreignobject", "image", "iframe", "object", "embed", "base", "frame"}


@dataclass
class Audit:
    problems: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Auditor(HTMLParser):
    def __init__(self, audit: Audit) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = audit
        self.json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        problems = self.audit.problems
        if tag.startswith("x-hk") or tag in _FORBIDDEN_ELEMENTS:
            problems.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith(("x-hk", "on")):
                problems.append(f"<{tag}> attribute {name}={value[:60]!r}")
            if name in _URL_ATTRIBUTES and _SCHEMES.match(html.unescape(value)):
                problems.append(f"<{tag}> {name}={value[:60]!r}")
            if name == "style" and re.search(r"url\(|x-hk|expression|@import|<", value, re.IGNORECASE):
                problems.append(f"<{tag}> style={value[:60]!r}")
            if name in ("action", "formaction") and re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.IGNORECASE):
                problems.append(f"<{tag}> {name}={value[:60]!r}: a form that sends elsewhere")
            if tag == "use" and name in ("href", "xlink:href") and not value.startswith("#"):
                problems.append(f"<use {name}={value[:60]!r}>: not a symbol of the page")
        if tag == "script":
            kinds = dict(attrs)
            source = kinds.get("src") or ""
            if re.match(r"^\s*([a-z][a-z0-9+.-]*:|//|\\\\)", source, re.IGNORECASE):
                problems.append(f"<script src={source!r}>: not the site's own")
            if kinds.get("type") == "application/json":
                self.json = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.json is not None:
            try:
                json.loads("".join(self.json))
            except ValueError as error:
                self.audit.problems.append(f"JSON in the page no longer parses: {error}")
            self.json = None

    def handle_data(self, data: str) -> None:
        if self.json is not None:
            self.json.append(data)
        self.audit.text.append(data)

    def handle_comment(self, data: str) -> None:
        if "x-hk" in data or "x_hk" in data or "alert(" in data:
            self.audit.problems.append(f"package text in a comment: {data[:60]!r}")


def audit(page: Path) -> Audit:
    result = Audit()
    auditor = _Auditor(result)
    auditor.feed(page.read_text("utf-8"))
    auditor.close()
    return result


# --- planting -------------------------------------------------------------------------


def _plant_data(root: Path) -> None:
    path = root / "handover.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    data["project"]["system"] = "EC" + ALL
    data["project"]["vendor"] += ALL
    data["project"]["customer"] += MULTILINE
    for role in data["roles"].values():
        role["name"] += VECTORS["attribute"]
        role["who"] += MULTILINE
    for level in data["escalation"]:
        level["who"] = VECTORS["dot"] + level["who"] + MULTILINE
        level["channel"] += VECTORS["dot_html"]
    data["escalation"][-1]["who"] = VECTORS["dot_html"]
    for layer in data["coverage"].values():
        for cell in layer.values():
            for key in ("who", "sla", "na"):
                if key in cell:
                    cell[key] += ALL
    for kpi in data["hypercare"]["exit_kpis"]:
        kpi["title"] += VECTORS["comment"] + VECTORS["css"]
    for decision in data["raci"]:
        decision["title"] += ALL
    for level in data["sla"]:
        level["definition"] += ALL
    for contract in data["ucs"]:
        contract["supplier"] += VECTORS["html"]
        contract["covers"] += VECTORS["url"]
    for agreement in data["olas"]:
        agreement["name"] += VECTORS["script"]
    data["waivers"] = [
        {"check": "CHK_HYPERCARE_EXIT", "reason": MULTILINE, "approved_by": "service_owner", "expires": "2027-01-31"}
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def _plant_signoffs(root: Path) -> None:
    path = root / "signoffs.yaml"
    signoffs = yaml.safe_load(path.read_text("utf-8"))
    for signoff in signoffs:
        signoff["by"] += VECTORS["attribute"]
        signoff["note"] = signoff.get("note", "") + MULTILINE
        signoff["conditions"] = [VECTORS["svg"], VECTORS["script"]]
    path.write_text(yaml.safe_dump(signoffs, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def _plant_pages(root: Path) -> None:
    needs = re.compile(r"^(```\{(?:req|check|evidence|runbook)\} )(.*)$", re.MULTILINE)
    owners = re.compile(r"^(:owner: )(.*)$", re.MULTILINE)
    heading = re.compile(r"^(# .*)$", re.MULTILINE)
    pages = [*root.glob("*.md"), *(root / "chapters").glob("*.md"), *(root / "runbooks").glob("*.md")]
    for page in sorted(pages):
        text = page.read_text("utf-8")
        # The DOT vector first: the traceability diagram shows a title's beginning.
        text = needs.sub(lambda m: m.group(1) + VECTORS["dot"].replace("`", "") + m.group(2) + TITLE, text)
        text = owners.sub(lambda m: m.group(1) + m.group(2) + TITLE, text)
        text = heading.sub(lambda m: f"{m.group(1)} {HEADING}", text, count=1)
        page.write_text(text, "utf-8")
    # A page whose file name is a vector, listed in the toctree, with a requirement of its
    # own: its name is a chapter of the traceability page and the name of its diagram.
    (root / "runbooks" / f"{PAGE_NAME}.md").write_text(
        f"# {HEADING}\n\n```{{req}} {TITLE}\n:id: REQ_INJECTED_PAGE\n\nx\n```\n", "utf-8"
    )
    (root / f"{ROOT_PAGE_NAME}.md").write_text("# Root\n\n```{req} Root\n:id: REQ_ROOT_PAGE\n\nx\n```\n", "utf-8")
    chapter = root / "chapters" / "03-runbooks.md"
    text = chapter.read_text("utf-8")
    chapter.write_text(text.replace("/runbooks/batch-rerun\n```", f"/runbooks/batch-rerun\n/runbooks/{PAGE_NAME}\n```"))


def _plant_artifact(root: Path) -> None:
    old = "evidence/03-runbooks/alert-runbook-check-2026-11-10.txt"
    (root / old).rename(root / "evidence" / "03-runbooks" / FILE_NAME)
    # A folder artifact whose name and files' names are vectors: its page lists them.
    review = "evidence/03-runbooks/monitoring-spec-review-2026-10-15.md"
    folder = root / "evidence" / "03-runbooks" / FOLDER_NAME
    folder.mkdir()
    (root / review).rename(folder / "review.md")
    (folder / FILE_NAME).write_text("x-hk\n", "utf-8")
    chapter = root / "chapters" / "10-acceptance.md"
    text = chapter.read_text("utf-8").replace(old, f"evidence/03-runbooks/{FILE_NAME}")
    chapter.write_text(text.replace(review, f"evidence/03-runbooks/{FOLDER_NAME}"), "utf-8")


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The complete example with every vector planted, built once."""
    from handover_kit.cli import main

    root = tmp_path_factory.mktemp("injected") / "ec-order-service"
    shutil.copytree(EXAMPLES / "ec-order-service", root, ignore=shutil.ignore_patterns("_build"))
    _plant_data(root)
    _plant_signoffs(root)
    _plant_pages(root)
    _plant_artifact(root)
    code = main(["build", str(root), "--as-of", AS_OF])
    return root, code


# --- the built site -------------------------------------------------------------------


def test_the_attacked_package_builds_and_reports_instead_of_failing(injected):
    root, code = injected
    # 1: the vectors are reported (raw HTML in titles, changed sign-offs); not 2, an input error.
    assert code == 1
    assert (root / "_build" / "html" / "index.html").exists()


def test_no_vector_leaves_its_context_on_any_page(injected):
    root, _ = injected
    site = root / "_build" / "html"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    assert any("_evidence" in page.parts for page in pages)
    found = {str(page.relative_to(site)): problems for page in pages if (problems := audit(page).problems)}
    assert not found, found


def test_no_svg_file_holds_a_vector(injected):
    root, _ = injected
    for svg in (root / "_build" / "html").rglob("*.svg"):
        text = svg.read_text("utf-8", "replace")
        assert not re.search(r"<(foreignObject|image|script)\b|\son\w+\s*=|javascript:|x[-_]hk", text), svg


def test_the_vectors_show_as_the_text_they_are(injected):
    root, _ = injected
    site = root / "_build" / "html"
    for name, expected in SHORT_PAGES.items():
        shown = "".join(audit(site / name).text)
        assert expected in shown, name
    for name in ("index.html", "traceability.html", "go-no-go.html", "chapters/03-runbooks.html"):
        assert html.unescape(HEADING) in "".join(audit(site / name).text), name  # its page title
    evidence = next((site / "_evidence").rglob("*x-hk-file*.html"))
    assert FILE_NAME in "".join(audit(evidence).text)
    folder = [page for page in (site / "_evidence").rglob("*.html") if FOLDER_NAME in "".join(audit(page).text)]
    assert any(FILE_NAME in "".join(audit(page).text) for page in folder), folder
    assert (site / "runbooks" / f"{PAGE_NAME}.html").exists()


def _svg_texts(page: Path) -> list[str]:
    """The text of each <text> element of the page's inline SVG diagrams."""
    return [html.unescape(text) for text in re.findall(r"<text\b[^>]*>(.*?)</text>", page.read_text("utf-8"))]


def test_dot_labels_stay_one_label_in_every_diagram(injected):
    root, _ = injected
    site = root / "_build" / "html"
    ledgers = site / "chapters" / "04-ledgers.html"
    texts = _svg_texts(ledgers)
    # The escalation diagram: the levels' text, as written, quotes and backslashes included.
    assert any(text.startswith(VECTORS["dot"]) for text in texts), texts[:5]
    assert VECTORS["dot_html"] in texts
    assert any(text.startswith('"]; x_hk_line[URL="javascript:alert(39)"]; "') for text in texts)
    # The traceability diagrams: a title's beginning, still in its node.
    for page in (site / "traceability.html", site / "chapters" / "10-acceptance.html"):
        assert any(text.startswith('\\"];x_hk_node') for text in _svg_texts(page)), page
    for page in (ledgers, site / "traceability.html", site / "chapters" / "10-acceptance.html"):
        markup = page.read_text("utf-8")
        for svg in re.findall(r"(?s)<svg\b.*?</svg>", markup):
            assert not re.search(r"<a\b|<image\b|<foreignObject\b|xlink:href|font-weight=\"bold\">x-hk", svg), page
            # A node or edge of its own: dot names it in a comment and a <title>.
            assert not re.search(r"<!--\s*(x_hk|x&#45;hk)|<title>\s*x_hk", svg), page


def test_a_page_name_cannot_end_its_chapter_graph(injected):
    root, _ = injected
    traceability = (root / "_build" / "html" / "traceability.html").read_text("utf-8")
    # Every chapter's diagram is still drawn, as inline SVG, by the one run of dot.
    assert traceability.count('<div class="handover-trace-graph"') == traceability.count("handover-trace-graph")
    assert "<img" not in traceability and "<map" not in traceability
    assert "x-hk-graph</text>" not in traceability
    assert "<!-- x_hk_graph -->" not in traceability
    assert 'href="mailto:x@evil.example"' not in traceability


def test_dot_text_is_one_name_or_label_whatever_it_holds():
    """:class:`TextDigraph` by itself: dot reads back exactly the nodes, edge and labels given."""
    from sphinx_handover.views.dot_source import TextDigraph

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    import graphviz

    names = [ROOT_PAGE_NAME, "n:port:s", "node", "a\\", '\\"];x_hk[URL="javascript:alert(1)"]; "', VECTORS["dot_html"]]
    graph = TextDigraph(ROOT_PAGE_NAME, graph_attr={"id": VECTORS["dot"]})
    for index, name in enumerate(names):
        graph.node(name, label=VECTORS["dot"] + "\n" + name, tooltip=VECTORS["dot_html"], **{"class": name})
        graph.edge(name, names[index - 1], label=VECTORS["dot_html"])
    drawn = json.loads(graphviz.pipe("dot", "json", graph.source.encode("utf-8")))
    assert drawn["name"] == ROOT_PAGE_NAME
    # A name stays one name; dot keeps its backslashes doubled (labels show them single).
    assert sorted(node["name"] for node in drawn["objects"]) == sorted(name.replace("\\", "\\\\") for name in names)
    # The label attribute as given, backslashes doubled: dot draws them as written
    # (test_dot_labels_stay_one_label_in_every_diagram reads the drawn text).
    labels = {(VECTORS["dot"] + "\n" + name).replace("\\", "\\\\") for name in names}
    assert {node["label"] for node in drawn["objects"]} == labels
    assert len(drawn["edges"]) == len(names)
    assert all(edge["label"] == VECTORS["dot_html"] for edge in drawn["edges"])


# --- in the browser -------------------------------------------------------------------


def test_in_chromium_no_vector_runs_and_nothing_leaves_the_site(injected, browser, serve):
    root, _ = injected
    site = root / "_build" / "html"
    base = serve(site)
    watched = WatchedPage(browser, base)
    page = watched.page
    evidence = next((site / "_evidence").rglob("*x-hk-file*.html")).relative_to(site)
    from urllib.parse import quote

    for path in (
        "index.html",
        "go-no-go.html",
        "traceability.html",
        "chapters/02-organization-raci.html",
        "chapters/04-ledgers.html",
        "chapters/09-hypercare.html",
        "chapters/10-acceptance.html",
        quote(f"runbooks/{PAGE_NAME}.html"),
        quote(evidence.as_posix()),
        "search.html?q=" + quote("x-hk"),
    ):
        page.goto(f"{base}/{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        for link in page.locator("article a").all()[:200]:
            link.hover(timeout=2000, force=True)
    page.close()
    assert not watched.dialogs, watched.dialogs
    assert not watched.foreign, watched.foreign
