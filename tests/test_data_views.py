"""The views of handover.yaml's structured data in the built site: each directive on a
real package, read back from the HTML as a reader sees it."""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import AS_OF, HANDOVER_YAML, Package

from handover_kit.cli import main

VIEWS = ("sla-chain", "raci", "coverage", "escalation", "timeline", "hypercare")

DATA_YAML = (
    HANDOVER_YAML
    + """\
sla:
  - severity: S1
    definition: ordering stopped
    first_response: 15m
    recovery: 3h
    hours: 24x7
  - severity: S3
    definition: one function degraded
    first_response: 4h
    recovery: 2d
    hours: Mon-Fri 09:00-18:00
olas:
  - name: Monitoring centre first response
    provider: Monitoring centre
    supports: [S1, S3]
    first_response: 10m
    recovery: 1h30m
    hours: 24x7
ucs:
  - supplier: Slow cloud provider
    covers: managed database
    supports: [S1]
    first_response: 10m
    recovery: 4h
    hours: 24x7
  - supplier: Weekday DBA service
    covers: database tuning
    supports: [S1]
    first_response: 10m
    hours: Mon-Fri 09:00-18:00
roles:
  service_owner: {name: Service owner, who: Takahashi}
  ops_lead: {name: Operations lead, who: Nakamura}
  vendor_pm: {name: Vendor PM, who: Sato}
raci:
  - decision: incident_command
    title: Incident command
    assign: {ops_lead: R, service_owner: A, vendor_pm: C}
  - decision: release_go_no_go
    title: Release go/no-go
    assign: {vendor_pm: A/R, service_owner: A, night_shift: I}
coverage:
  platform:
    monitoring: {who: Vendor, contracted: yes, sla: 24x7 5m, maintenance: corrective}
    first_response: {who: Vendor, contracted: yes, sla: 15m}
    bug_fix: {na: "managed service: the supplier fixes its own platform"}
    minor_change: {who: Vendor, contracted: yes, maintenance: perfective}
    patch_vulnerability: {who: Vendor, contracted: yes, maintenance: preventive}
    accounts: {who: In-house, contracted: no}
    bcp_backup: {who: Vendor, contracted: yes}
    change_management: {who: In-house, contracted: no}
    capacity: TBD
  application:
    monitoring: {who: Vendor, contracted: yes}
    first_response: {who: Vendor, contracted: yes}
    bug_fix: {who: Vendor, contracted: yes, maintenance: corrective}
    minor_change: {who: Vendor, contracted: yes, maintenance: perfective}
    patch_vulnerability: {who: Vendor, contracted: yes}
    accounts: {who: Vendor, contracted: TBD}
    bcp_backup: {na: ''}
    change_management: {who: In-house, contracted: no}
    capacity: {who: Vendor, contracted: yes, maintenance: adaptive}
  business_operations:
    monitoring: {who: In-house, contracted: no}
    first_response: {who: In-house, contracted: no}
    bug_fix: {na: no custom business code}
    minor_change: {who: In-house, contracted: no}
    patch_vulnerability: {who: In-house, contracted: no}
    accounts: {who: In-house, contracted: no}
    bcp_backup: {who: In-house, contracted: no}
    change_management: {who: In-house, contracted: no}
escalation:
  - level: 1
    who: 'Monitoring centre <b>"night"</b>'
    channel: pager
    hours: 24x7
    within: 15m
    last_tested: 2026-11-10
  - level: 2
    who: Operations lead
    role: ops_lead
    channel: phone
    within: 30m
  - level: 3
    who: Vendor PM
    role: vendor_pm
    channel: phone
    last_tested: 2026-05-01
hypercare:
  exit_kpis:
    - kpi: mttr
      title: MTTR
      threshold: "<= 2h"
      measured: 1h30m
    - kpi: change_success_rate
      threshold: ">= 95%"
      measured: 91%
    - kpi: major_incidents
      title: Major incidents
      threshold: "<= 0"
"""
)

REQUIREMENTS = """\
# Requirements

```{req} The service is operable
:id: REQ_OPS
```
"""


def check(check_id: str, gate: str) -> str:
    return f"```{{check}} {check_id} reviewed\n:id: {check_id}\n:verifies: REQ_OPS\n:gate: {gate}\n```\n"


CHECKS = "# Checks\n\n" + "\n".join(
    check(check_id, gate)
    for check_id, gate in (("CHK_BACKUP", "T-60"), ("CHK_MON", "T-30"), ("CHK_GO", "T-7"), ("CHK_EXIT", "T+30"))
)

EVIDENCE = """\
# Evidence

```{evidence} Monitoring review minutes
:id: EV_MON
:proves: CHK_MON
:date: 2026-11-02
:owner: Sato
:artifact: evidence/monitoring.md
```
"""


def make_package(root: Path, yaml_text: str = DATA_YAML) -> Package:
    package = Package(root)
    (package.root / "handover.yaml").write_text(yaml_text, "utf-8")
    package.page("req", REQUIREMENTS)
    package.page("checks", CHECKS)
    package.page("evidence", EVIDENCE)
    package.artifact("evidence/monitoring.md", "# Review minutes\nAll alerts reviewed.\n")
    for view in VIEWS:
        package.page(view, f"# {view}\n\n```{{handover-{view}}}\n```\n")
    return package


def build(package: Package, *extra: str) -> int:
    return main(["build", str(package.root), "--as-of", AS_OF, *extra])


@dataclass
class Row:
    classes: list[str]
    cells: list[str]  # each cell's text, as read
    markup: list[str]  # each cell's HTML


def table(page: str, name: str) -> list[Row]:
    """The rows (header first) of the table with class *name* on *page*."""
    match = re.search(rf'<table class="[^"]*\b{name}\b[^"]*">(.*?)</table>', page, re.DOTALL)
    assert match, f"no table {name}"
    rows = []
    for row_class, row in re.findall(r'<tr(?: class="([^"]*)")?>(.*?)</tr>', match.group(1), re.DOTALL):
        markup = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        rows.append(Row(row_class.split(), [text_of(cell) for cell in markup], markup))
    return rows


def text_of(markup: str) -> str:
    """The text a reader sees: an inline element (a span keeping a date on one line)
    adds no space, a block or a line break does."""
    inline = re.sub(r"</?(?:span|a|code|strong|em|abbr)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def row_of(rows: list[Row], first_cell: str) -> Row:
    return next(row for row in rows if row.cells[0].startswith(first_cell))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, str]:
    package = make_package(tmp_path_factory.mktemp("views") / "pkg")
    assert build(package) == 1  # the data breaks rules on purpose
    out = package.root / "_build" / "html"
    return {view: (out / f"{view}.html").read_text("utf-8") for view in VIEWS} | {"out": str(out)}


def test_sla_table_per_severity(site):
    rows = table(site["sla-chain"], "handover-sla")
    assert rows[0].cells == ["Severity", "Definition", "First response", "Recovery", "Hours"]
    assert rows[1].cells == ["S1", "ordering stopped", "15min", "3h", "24x7"]
    assert rows[2].cells == ["S3", "one function degraded", "4h", "2d", "Mon-Fri 09:00-18:00"]


def test_chain_breaks_are_marked_on_the_agreement_that_breaks_it(site):
    rows = table(site["sla-chain"], "handover-agreements")
    ola = row_of(rows, "OLA")
    assert ola.cells[1:] == [
        "Monitoring centre first response",
        "Monitoring centre",
        "S1, S3",
        "10min",
        "1h 30min",
        "24x7",
        "✓ holds",
    ]
    assert "handover-row-problem" not in ola.classes
    slow = next(row for row in rows if row.cells[1] == "Slow cloud provider")
    assert "handover-row-problem" in slow.classes
    assert slow.cells[-1] == "⚠ S1: Recovery 4h is slower than the SLA's 3h"
    assert 'class="handover-problem"' in slow.markup[-1]
    weekday = next(row for row in rows if row.cells[1] == "Weekday DBA service")
    assert weekday.cells[2] == "covers: database tuning"
    assert weekday.cells[-1].replace(" ,", ",") == (  # each span is kept on one line: its own element
        "⚠ S1: the hours do not cover the SLA hours (24x7); "
        "uncovered: Mon-Fri 00:00-09:00, Mon-Fri 18:00-24:00 and Sat-Sun 00:00-24:00"
    )


def test_raci_matrix_with_letters_roles_and_broken_rows(site):
    page = site["raci"]
    assert "R: responsible (does the work) · A: accountable" in page
    rows = table(page, "handover-raci")
    assert rows[0].cells == [
        "Decision",
        "Service owner Takahashi",
        "Operations lead Nakamura",
        "Vendor PM Sato",
        "night_shift ⚠ undefined role",
        "Problems",
    ]
    assert 'class="handover-sub"' in rows[0].markup[1]
    command = row_of(rows, "Incident command")
    assert command.cells == ["Incident command", "A", "R", "C", "", "—"]
    assert "handover-row-problem" not in command.classes
    release = row_of(rows, "Release go/no-go")
    assert release.cells[1:5] == ["A", "", "A/R", "I"]
    assert release.cells[5] == (
        "⚠ more than one accountable (A): Vendor PM, Service owner ⚠ not defined in roles: night_shift"
    )
    assert "handover-row-problem" in release.classes


def test_coverage_matrix_marks_holes_and_na_without_reason(site):
    rows = table(site["coverage"], "handover-coverage")
    assert rows[0].cells == ["Item", "Platform", "Application", "Business operations"]
    assert [row.cells[0] for row in rows[1:]] == [
        "Monitoring",
        "First response",
        "Bug fixes",
        "Minor changes",
        "Patches and vulnerabilities",
        "Accounts",
        "BCP and backup",
        "Change management",
        "Capacity management",
    ]
    monitoring = row_of(rows, "Monitoring")
    assert monitoring.cells[1] == "Vendor contracted SLA: 24x7 5m corrective maintenance"
    capacity = row_of(rows, "Capacity management")
    platform, application, business = capacity.markup[1:]
    assert 'class="handover-badge-hole"' in platform and "handover-cell-hole" in platform
    assert capacity.cells[1] == "hole ⚠ nobody named"
    assert capacity.cells[2] == "Vendor contracted adaptive maintenance"
    assert "handover-badge-hole" not in application
    assert capacity.cells[3] == "hole ⚠ not filled in"
    assert row_of(rows, "Accounts").cells[2] == "hole Vendor ⚠ contract status undecided"
    bug_fix = row_of(rows, "Bug fixes")
    assert bug_fix.cells[1] == "N/A managed service: the supplier fixes its own platform"
    assert "handover-problem" not in bug_fix.markup[1]
    backup = row_of(rows, "BCP and backup")
    assert backup.cells[2] == "N/A ⚠ N/A without a reason"
    assert "handover-cell-problem" in backup.markup[2]


def test_escalation_is_drawn_with_dot_and_listed_in_a_table(site):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed")
    page = site["escalation"]
    # Inline SVG, so that handover.css can colour it for the light and the dark scheme.
    diagram = re.search(
        r'<div class="handover-escalation-graph" role="img" aria-label="[^"]+"><svg.*?</svg>\s*</div>', page, re.DOTALL
    )
    assert diagram, page
    svg = diagram.group(0)
    assert svg.count('class="node handover&#45;level') == 3
    assert svg.count("handover&#45;level&#45;untested") == 2
    assert "<script" not in svg and "Monitoring centre &lt;b&gt;" in svg
    rows = table(page, "handover-escalation")
    assert rows[0].cells == ["Level", "Who", "Role", "Channel", "Hours", "Answer within", "Last tested"]
    assert rows[1].cells == ["1", 'Monitoring centre <b>"night"</b>', "—", "pager", "24x7", "15min", "2026-11-10"]
    assert "handover-row-problem" not in rows[1].classes
    assert rows[2].cells[2] == "Operations lead"
    assert rows[2].cells[-1] == "⚠ never tested"
    assert rows[3].cells[-1] == "⚠ 2026-05-01: 203 days ago (at most 90 allowed)"
    assert all("handover-row-problem" in row.classes for row in rows[2:])


def test_escalation_without_dot_shows_its_dot_source(tmp_path, monkeypatch):
    monkeypatch.setattr("sphinx_handover.views.graphviz_fallback.dot_available", lambda app: False)
    package = make_package(tmp_path / "pkg")
    build(package)
    page = (package.root / "_build" / "html" / "escalation.html").read_text("utf-8")
    assert "This diagram is not drawn because Graphviz" in page
    shown = re.search(r'<div class="handover-dot-missing.*?<pre>(.*?)</pre>', page, re.DOTALL).group(1)
    source = html.unescape(re.sub(r"<[^>]+>", "", shown))
    assert source.startswith("digraph escalation {")
    # User text stays a quoted string: neither an HTML label nor a broken quote.
    assert 'label="Level 1\nMonitoring centre <b>\\"night\\"</b>\npager · 24x7' in source
    assert 'level0 -> level1 [label="if no answer within 15min"]' in source
    untested = re.search(r"level1 \[label=\"Level 2.*?\]", source, re.DOTALL).group(0)
    assert "⚠ never tested" in untested and 'color="#b42318"' in untested
    assert "#b42318" not in re.search(r"level0 \[label=.*?\]", source, re.DOTALL).group(0)
    assert "⚠ last tested 2026-05-01: 203 days ago (at most 90 allowed)" in source
    assert table(page, "handover-escalation")[3].cells[0] == "3"


def test_timeline_with_real_dates_checks_due_and_where_we_are(site):
    rows = table(site["timeline"], "handover-timeline")
    assert rows[0].cells == ["Review", "Date", "Purpose", "Checks due"]
    assert [row.cells for row in rows[1:]] == [
        ["T-60", "2026-10-02 (Fri)", "Find the gaps", "1 due: missing 1"],
        ["T-30 evaluated review", "2026-11-01 (Sun)", "Confirm the fixes", "1 due: done 1"],
        ["▶ you are here", "2026-11-20 (Fri)", "As-of date: the gate is evaluated on this day", ""],
        ["T-7", "2026-11-24 (Tue)", "Final go / no-go", "1 due: upcoming 1"],
        ["T0", "2026-12-01 (Tue)", "Release", "—"],
        ["T+30", "2026-12-31 (Thu)", "Hypercare exit and decision to move to business as usual", "1 due: upcoming 1"],
    ]
    assert "handover-row-evaluated" in rows[2].classes
    assert "handover-row-now" in rows[3].classes
    assert 'class="handover-status handover-status-missing"' in rows[1].markup[3]


def test_timeline_follows_the_gate_asked_for(tmp_path):
    package = make_package(tmp_path / "pkg")
    build(package, "--gate", "T-7")
    rows = table((package.root / "_build" / "html" / "timeline.html").read_text("utf-8"), "handover-timeline")
    evaluated = [row.cells[0] for row in rows if "handover-row-evaluated" in row.classes]
    assert evaluated == ["T-7 evaluated review"]
    assert row_of(rows, "T-7").cells[3] == "1 due: missing 1"


def test_hypercare_exit_kpis_pass_fail_and_not_measured(site):
    page = site["hypercare"]
    assert "Hypercare ends when every KPI passes at the T+30 review (2026-12-31)." in page
    rows = table(page, "handover-hypercare")
    assert rows[0].cells == ["KPI", "Exit threshold", "Measured", "Result"]
    assert [row.cells for row in rows[1:]] == [
        ["MTTR mttr", "at most 2h", "1h 30min", "pass"],
        ["change_success_rate", "at least 95%", "91%", "fail"],
        ["Major incidents major_incidents", "at most 0", "—", "not measured yet"],
    ]
    assert "handover-status-done" in rows[1].markup[3]
    assert "handover-status-missing" in rows[2].markup[3] and "handover-row-problem" in rows[2].classes
    assert "handover-status-upcoming" in rows[3].markup[3]


def test_views_speak_japanese_in_a_japanese_package(tmp_path):
    package = make_package(tmp_path / "pkg", DATA_YAML.replace("language: en", "language: ja"))
    build(package)
    out = package.root / "_build" / "html"
    sla = table((out / "sla-chain.html").read_text("utf-8"), "handover-sla")
    assert sla[0].cells == ["重大度", "定義", "初動目標", "復旧目標", "対応時間帯"]
    assert sla[1].cells[2:4] == ["15分", "3時間"]
    chain = table((out / "sla-chain.html").read_text("utf-8"), "handover-agreements")
    assert "⚠ S1：復旧目標 4時間 が SLA の 3時間 より遅い" in [row.cells[-1] for row in chain]
    raci = (out / "raci.html").read_text("utf-8")
    assert "R：実行責任者" in raci and "A：説明責任者" in raci and "C：協議先" in raci and "I：報告先" in raci
    coverage = table((out / "coverage.html").read_text("utf-8"), "handover-coverage")
    assert coverage[0].cells == ["項目", "基盤", "アプリ", "業務運用"]
    assert row_of(coverage, "キャパシティ管理").cells[1] == "穴 ⚠ 担当が決まっていない"
    assert row_of(coverage, "監視").cells[1] == "Vendor 契約あり SLA：24x7 5m 是正保守"
    timeline = table((out / "timeline.html").read_text("utf-8"), "handover-timeline")
    assert timeline[1].cells == ["T-60", "2026-10-02（金）", "抜け漏れの洗い出し", "1件： 未提出 1"]
    assert timeline[3].cells[0] == "▶ 現在地"
    hypercare = table((out / "hypercare.html").read_text("utf-8"), "handover-hypercare")
    assert hypercare[1].cells[1:] == ["2時間以下", "1時間30分", "達成"]


def test_pages_with_views_follow_handover_yaml_on_an_incremental_build(tmp_path):
    package = make_package(tmp_path / "pkg")
    build(package)
    page = package.root / "_build" / "html" / "sla-chain.html"
    assert "Recovery 4h is slower" in page.read_text("utf-8")
    (package.root / "handover.yaml").write_text(DATA_YAML.replace("recovery: 4h", "recovery: 2h"), "utf-8")
    build(package)
    slow = next(row for row in table(page.read_text("utf-8"), "handover-agreements") if "Slow" in row.cells[1])
    assert slow.cells[-1] == "✓ holds"
