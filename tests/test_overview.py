"""The reviewer's views: charts on the dashboard, the traceability page, and a status
badge on every check where it is written; all current after an incremental build."""

from __future__ import annotations

import re
import time
from xml.etree import ElementTree

from conftest import AS_OF
from test_gate_rules import evidence, make

TRACE = "# Traceability\n\n```{handover-traceability}\n```\n"
CHARTS = "# Charts\n\n```{handover-charts}\n```\n"


def test_views_follow_an_incremental_edit(cli, package):
    make(package, evidence(sha256=None))
    package.page("trace", TRACE)
    package.page("charts", CHARTS)
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    html = package.root / "_build" / "html"

    trace = (html / "trace.html").read_text("utf-8")
    assert 'href="req.html#REQ_MON"' in trace and 'href="checks.html#CHK_MON"' in trace
    assert 'href="evidence.html#EV_MON"' in trace
    # Dates and ages are kept on one line by inline spans: the text is what counts.
    assert "2026-11-02 (18 days old) Sato" in re.sub(r"</?span[^>]*>", "", trace)
    assert 'href="_evidence/evidence/monitoring.md.html"' in trace
    assert "handover-status-done" in trace
    # The per-chapter diagram, drawn by dot as inline SVG, nodes coloured by status.
    diagram = re.search(r'<div class="handover-trace-graph" role="img" aria-label="[^"]+"><svg.*?</svg>', trace, re.S)
    assert diagram and 'id="trace_req__REQ_MON"' in diagram.group(0) and "EV_MON" in diagram.group(0)

    # Derived views stay out of the search index: a search lands on the need's own page.
    assert 'class="handover-trace-chapter no-search' in trace
    # Each chapter is a heading of the page, listed under "on this page" with its anchor.
    chapter = re.search(r'<section class="handover-trace-chapter[^"]*" id="([^"]+)">\s*<h2>([^<]+)<', trace)
    assert chapter, "each chapter of the traceability page is a section with its heading"
    toc = trace[trace.index('class="toc-tree"') :]
    assert f'href="#{chapter.group(1)}">{chapter.group(2)}</a>' in toc
    assert "toc-drawer no-toc" not in trace

    charts = (html / "charts.html").read_text("utf-8")
    assert charts.count('<div class="handover-chart"><svg') == 2
    assert ">Checks by review and status<" in charts
    svgs = re.findall(r'<div class="handover-chart">(<svg.*?</svg>)</div>', charts, re.S)
    per_review = ElementTree.fromstring(svgs[0])  # well-formed, one bar segment per count
    bars = [
        rect.findtext("{http://www.w3.org/2000/svg}title")
        for rect in per_review.iter("{http://www.w3.org/2000/svg}rect")
    ]
    assert [bar for bar in bars if bar] == ["T-30: done 1"]

    badge = re.search(r'class="handover-check-badge">(.*?)</p>', (html / "checks.html").read_text("utf-8"), re.S)
    assert badge and "handover-status-done" in badge.group(1) and "T-30 (2026-11-01)" in badge.group(1)

    # Remove the evidence: every view shows it without a fresh build.
    package.page("evidence", "# Evidence\n\nNot yet.\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 1
    trace = (html / "trace.html").read_text("utf-8")
    assert "handover-status-missing" in trace and "EV_MON" not in trace
    badge = re.search(r'class="handover-check-badge">(.*?)</p>', (html / "checks.html").read_text("utf-8"), re.S)
    assert "handover-status-missing" in badge.group(1)


def test_hash_is_shown_for_hashed_evidence(cli, package):
    import hashlib

    make(package, None)
    digest = hashlib.sha256((package.root / "evidence/monitoring.md").read_bytes()).hexdigest()
    package.page("evidence", evidence(sha256=digest))
    package.page("trace", TRACE)
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert f"sha256:{digest[:12]}" in (package.root / "_build/html/trace.html").read_text("utf-8")


def test_an_edit_writes_only_the_edited_page_and_the_views_and_badges_it_changed(cli, package):
    make(package, evidence())
    package.page("trace", TRACE)
    package.page("notes", "# Notes\n\nFirst draft.\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    html = package.root / "_build" / "html"

    pages = {"index", "req", "checks", "evidence", "trace", "notes"}

    def rebuild_and_list_written() -> set[str]:
        before = {page: (html / f"{page}.html").stat().st_mtime_ns for page in pages}
        time.sleep(0.01)  # a rewrite gets a later mtime even on a coarse clock
        result = cli("build", package.root, "--as-of", AS_OF)
        assert result.code in (0, 1), result.output
        return {f"{page}.html" for page in pages if (html / f"{page}.html").stat().st_mtime_ns != before[page]}

    # An edit that changes nothing any view shows: the page and, as Sphinx does, the
    # page whose toctree lists it; not the traceability page.
    package.page("notes", "# Notes\n\nSecond draft.\n")
    assert rebuild_and_list_written() == {"notes.html", "index.html"}

    # Evidence removed on its own page: the check's page is written again, for its badge.
    package.page("evidence", "# Evidence\n\nNot yet.\n")
    assert rebuild_and_list_written() == {"evidence.html", "checks.html", "index.html", "trace.html"}
    badge = re.search(r'class="handover-check-badge">(.*?)</p>', (html / "checks.html").read_text("utf-8"), re.S)
    assert badge and "handover-status-missing" in badge.group(1)

    # Nothing edited: only the root page (Sphinx needs one page to write).
    assert rebuild_and_list_written() == {"index.html"}

    # A later as-of date, nothing edited: the dashboard (its date) and the traceability
    # page (the evidence ages), not the pages of needs.
    result = cli("build", package.root, "--as-of", "2026-11-21")
    assert result.code == 1
    assert "2026-11-21" in (html / "index.html").read_text("utf-8")


def test_text_added_above_the_needs_renders_no_view_again(cli, package, monkeypatch):
    from sphinx_handover.views import directives

    make(package, evidence())
    package.page("trace", TRACE)
    package.page("charts", CHARTS)
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    rendered = []
    render = directives._render
    monkeypatch.setattr(
        directives, "_render", lambda app, view, docname: rendered.append(view) or render(app, view, docname)
    )

    # Every check and record moves down two lines; the report says so, no view shows it.
    page = package.root / "evidence.md"
    page.write_text(
        page.read_text("utf-8").replace("# Evidence\n", "# Evidence\n\nMinutes of the monitoring review.\n"), "utf-8"
    )
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    # Only the panel of the root page, which Sphinx writes again as the toctree lists the page.
    assert [view.__name__ for view in rendered] == ["readiness_panel"]
    assert package.report()["checks"][0]["evidence"][0]["line"] == 5

    # A change a view shows renders them again.
    page.write_text(page.read_text("utf-8").replace(":owner: Sato", ":owner: Suzuki"), "utf-8")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert rendered and "Suzuki" in (package.root / "_build/html/trace.html").read_text("utf-8")


def test_a_requirement_waits_for_its_checks_due_later_without_counting_as_open():
    """The chapter chart counts as the check chart does: a requirement whose checks are done
    or not yet due is grey (upcoming), not red, on a site that is READY."""
    from sphinx_handover.views.charts import requirement_state

    assert requirement_state(["done"]) == "done"
    assert requirement_state(["done", "waived"]) == "waived"
    assert requirement_state(["done", "upcoming"]) == "upcoming"
    assert requirement_state(["waived", "upcoming"]) == "upcoming"
    for open_now in (["upcoming", "missing"], ["failed", "done"], ["stale"], ["invalid", "upcoming"], []):
        assert requirement_state(open_now) == "missing", open_now
