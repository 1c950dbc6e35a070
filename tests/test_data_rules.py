"""handover.yaml's structured data: each rule, broken, fails the build at its YAML line;
malformed values are input errors (exit 2) with one located line."""

from __future__ import annotations

import re

import pytest
from conftest import AS_OF, HANDOVER_YAML
from test_gate_rules import evidence, make

FULL_YAML = (
    HANDOVER_YAML
    + """\
  availability: 99.9%
  rto: 2h
  rpo: 15m
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
    recovery: 2h
    hours: 24x7
ucs:
  - supplier: Cloud provider
    covers: managed database
    supports: [S1]
    first_response: 10m
    recovery: 2h
    hours: 24x7
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
    assign: {vendor_pm: R, service_owner: A, ops_lead: C}
coverage:
  platform:
    monitoring: {who: vendor, contracted: yes, sla: 24x7 5m, maintenance: corrective}
    first_response: {who: vendor, contracted: yes, sla: 15m}
    bug_fix: {na: "managed service: the supplier fixes its own platform"}
    minor_change: {who: vendor, contracted: yes, maintenance: perfective}
    patch_vulnerability: {who: vendor, contracted: yes, maintenance: preventive}
    accounts: {who: in-house, contracted: no}
    bcp_backup: {who: vendor, contracted: yes}
    change_management: {who: in-house, contracted: no}
    capacity: {who: vendor, contracted: yes, maintenance: adaptive}
  application:
    monitoring: {who: vendor, contracted: yes}
    first_response: {who: vendor, contracted: yes}
    bug_fix: {who: vendor, contracted: yes, maintenance: corrective}
    minor_change: {who: vendor, contracted: yes, maintenance: perfective}
    patch_vulnerability: {who: vendor, contracted: yes}
    accounts: {who: in-house, contracted: no}
    bcp_backup: {who: vendor, contracted: yes}
    change_management: {who: in-house, contracted: no}
    capacity: {who: vendor, contracted: yes}
  business_operations:
    monitoring: {who: in-house, contracted: no}
    first_response: {who: in-house, contracted: no}
    bug_fix: {na: no custom business code}
    minor_change: {who: in-house, contracted: no}
    patch_vulnerability: {na: nothing installed by the business side}
    accounts: {who: in-house, contracted: no}
    bcp_backup: {who: in-house, contracted: no}
    change_management: {who: in-house, contracted: no}
    capacity: {who: in-house, contracted: no}
escalation:
  - level: 1
    who: Monitoring centre
    channel: pager
    hours: 24x7
    within: 15m
    last_tested: 2026-11-10
  - level: 2
    who: Operations lead
    role: ops_lead
    channel: phone
    within: 30m
    last_tested: 2026-11-10
hypercare:
  exit_kpis:
    - kpi: mttr
      title: MTTR
      threshold: "<= 2h"
      measured: 1h30m
    - kpi: major_incidents
      threshold: "<= 0"
      measured: 0
    - kpi: change_success_rate
      threshold: ">= 95%"
      measured: 97%
waivers:
  - check: CHK_MON
    reason: monitoring review moved after the cut-over rehearsal
    approved_by: service_owner
    expires: 2026-12-15
"""
)


def write(package, text: str) -> None:
    (package.root / "handover.yaml").write_text(text, "utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text[:position].count("\n") + 1


def run_both(cli, package, *extra):
    built = cli("build", package.root, "--as-of", AS_OF, *extra)
    checked = cli("check", package.root, "--as-of", AS_OF, *extra)
    assert built.code == checked.code, (built.output, checked.output)
    return built, checked


def test_full_data_passes_and_waiver_stands_in_for_evidence(cli, package):
    make(package, None)
    write(package, FULL_YAML)
    built, _ = run_both(cli, package)
    assert built.code == 0, built.output
    check = package.report()["checks"][0]
    assert check["status"] == "waived"
    assert check["waiver"] == {
        "reason": "monitoring review moved after the cut-over rehearsal",
        "approved_by": "service_owner",
        "expires": "2026-12-15",
    }


def test_a_waived_check_counts_as_waived_in_every_view(cli, package):
    """The CLI's last line, the panel and both charts: a waiver is a risk accepted, never
    a check done or a requirement verified."""
    make(package, None)
    write(package, FULL_YAML)
    package.page("charts", "# Charts\n\n```{handover-charts}\n```\n")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 0, built.output
    assert "0/1 checks done, 1 waived, 0 upcoming" in built.out
    panel = re.search(
        r'<p class="handover-counts">([^<]*)</p>', (package.root / "_build" / "html" / "index.html").read_text("utf-8")
    )
    assert panel and panel.group(1) == "checks 1: waived 1", panel
    charts = (package.root / "_build" / "html" / "charts.html").read_text("utf-8")
    bars = re.findall(r"<title>[^<]*: (\w+) (\d+)</title></rect>", charts)
    assert bars == [("waived", "1"), ("waived", "1")], bars


BREAKS = [
    # rule, old text, new text, the text whose line is reported
    (
        "raci_accountable",
        "{ops_lead: R, service_owner: A, vendor_pm: C}",
        "{ops_lead: R, service_owner: A, vendor_pm: A}",
        "  - decision: incident_command",
    ),
    (
        "raci_accountable",
        "{ops_lead: R, service_owner: A, vendor_pm: C}",
        "{ops_lead: R, vendor_pm: C}",
        "  - decision: incident_command",
    ),
    (
        "raci_responsible",
        "{vendor_pm: R, service_owner: A, ops_lead: C}",
        "{vendor_pm: C, service_owner: A, ops_lead: C}",
        "  - decision: release_go_no_go",
    ),
    ("unknown_role", "vendor_pm: C}", "vendr_pm: C}", "vendr_pm: C}"),
    ("unknown_role", "    role: ops_lead", "    role: night_shift", "    role: night_shift"),
    (
        "coverage_hole",
        "    capacity: {who: vendor, contracted: yes, maintenance: adaptive}",
        "    capacity: TBD",
        "    capacity: TBD",
    ),
    (
        "coverage_hole",
        "    accounts: {who: in-house, contracted: no}\n    bcp_backup: {who: vendor",
        "    accounts: {who: 未定, contracted: no}\n    bcp_backup: {who: vendor",
        "    accounts: {who: 未定",
    ),
    ("coverage_hole", "    capacity: {who: in-house, contracted: no}\n", "", "coverage:"),
    ("coverage_na_reason", "{na: no custom business code}", "{na: ''}", "    bug_fix: {na: ''}"),
    (
        "sla_chain",
        "    first_response: 10m\n    recovery: 2h\n    hours: 24x7\nroles",
        "    first_response: 10m\n    recovery: 4h\n    hours: 24x7\nroles",
        "    recovery: 4h",
    ),
    (
        "sla_chain",
        "    first_response: 10m\n    recovery: 2h\n    hours: 24x7\nroles",
        "    first_response: 10m\n    recovery: 2h\n    hours: Mon-Fri 09:00-18:00\nroles",
        "    hours: Mon-Fri 09:00-18:00\nroles",
    ),
    ("sla_chain", "    supports: [S1]\n", "    supports: [S1, S2]\n", "    supports: [S1, S2]"),
    (
        "contact_untested",
        "    within: 30m\n    last_tested: 2026-11-10",
        "    within: 30m\n    last_tested: 2026-06-01",
        "    last_tested: 2026-06-01",
    ),
    ("contact_untested", "    within: 15m\n    last_tested: 2026-11-10\n", "    within: 15m\n", "  - level: 1"),
    ("waiver_expired", "expires: 2026-12-15", "expires: 2026-11-01", "    expires: 2026-11-01"),
    ("waiver_invalid", "  - check: CHK_MON", "  - check: CHK_NOPE", "  - check: CHK_NOPE"),
    ("waiver_invalid", "approved_by: service_owner", "approved_by: ceo", "    approved_by: ceo"),
]


@pytest.mark.parametrize(("rule", "old", "new", "located"), BREAKS)
def test_each_data_rule_is_located_in_handover_yaml(cli, package, rule, old, new, located):
    make(package, None)
    assert old in FULL_YAML
    text = FULL_YAML.replace(old, new, 1)
    write(package, text)
    built, checked = run_both(cli, package)
    assert built.code == 1, built.output
    line = line_of(text, located)
    for result in (built, checked):
        expected = f"pkg/handover.yaml:{line}: ERROR: "
        hits = [l for l in result.err.splitlines() if l.startswith(expected) and f"[handover.{rule}]" in l]
        assert hits, (expected, rule, result.err)
    problems = [p for p in package.report()["problems"] if p["rule"] == f"handover.{rule}"]
    assert problems and problems[0]["file"] == "handover.yaml" and problems[0]["line"] == line


def test_expired_waiver_makes_the_check_missing_again(cli, package):
    make(package, None)
    write(package, FULL_YAML.replace("expires: 2026-12-15", "expires: 2026-11-01"))
    built, _ = run_both(cli, package)
    assert "[handover.missing_evidence]" in built.err
    assert package.report()["checks"][0]["status"] == "missing"


def test_hypercare_exit_only_at_t_plus_30(cli, package):
    make(package, evidence())
    text = FULL_YAML.replace("measured: 97%", "measured: 91%")
    write(package, text)
    built, _ = run_both(cli, package)
    assert built.code == 0, built.output
    built, checked = run_both(cli, package, "--gate", "T+30")
    assert built.code == 1
    assert (
        f"pkg/handover.yaml:{line_of(text, 'measured: 91%')}: ERROR: exit KPI change_success_rate measured 91%, outside its threshold >= 95%"
        in built.err
    )


MALFORMED = [
    ("syntax", "sla:\n  - severity: S1\n", "sla:\n  - severity: [S1\n", "invalid YAML"),
    (
        "wrong type",
        "  service_owner: {name: Service owner, who: Takahashi}",
        "  service_owner: Takahashi",
        "roles.service_owner must be a mapping",
    ),
    (
        "bad date",
        "last_tested: 2026-11-10\n  - level: 2",
        "last_tested: 2026-02-30\n  - level: 2",
        "'2026-02-30' is not a valid date",
    ),
    (
        "bad duration",
        "    first_response: 15m\n    recovery: 3h",
        "    first_response: 15 minutes\n    recovery: 3h",
        "'15 minutes' is not a duration",
    ),
    (
        "bad hours",
        "hours: Mon-Fri 09:00-18:00\nolas",
        "hours: office hours\nolas",
        "'office hours' is not service hours",
    ),
    ("unknown key", "    channel: pager", "    chanel: pager", "did you mean 'channel'?"),
    ("bad threshold", '">= 95%"', '"at least 95%"', "is not a threshold"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_yaml_is_exit_2_with_one_located_line(cli, package, name, old, new, message):
    make(package, None)
    assert old in FULL_YAML
    write(package, FULL_YAML.replace(old, new, 1))
    for command in ("build", "check"):
        result = cli(command, package.root, "--as-of", AS_OF)
        assert result.code == 2
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("handover: error: pkg/handover.yaml:")
        assert message in lines[0]
        assert "Traceback" not in result.err


def test_agreements_covering_the_same_part_share_their_hours(cli, package):
    make(package, None)
    shared = FULL_YAML.replace(
        "    provider: Monitoring centre\n    supports: [S1, S3]\n    first_response: 10m\n    recovery: 2h\n    hours: 24x7",
        "    provider: Operations team\n    covers: monitoring\n    supports: [S1]\n    first_response: 10m\n    hours: Mon-Fri 09:00-18:00",
    ).replace(
        "ucs:\n",
        "ucs:\n  - supplier: Night monitoring service\n    covers: monitoring\n    supports: [S1]\n    first_response: 10m\n"
        "    hours: daily 18:00-09:00, weekends 00:00-24:00\n",
    )
    write(package, shared)
    built, _ = run_both(cli, package)
    assert "[handover.sla_chain]" not in built.err, built.err
    write(package, shared.replace("daily 18:00-09:00, weekends 00:00-24:00", "weekends 00:00-24:00"))
    built, _ = run_both(cli, package)
    assert (
        "do not cover the S1 SLA hours '24x7' (uncovered: Mon-Fri 00:00-09:00 and Mon-Fri 18:00-24:00): "
        "extend the hours, or add an agreement for that time [handover.sla_chain]"
    ) in built.err


def test_a_waiver_for_a_mistyped_id_names_what_it_could_be(cli, package):
    make(package, None)
    write(package, FULL_YAML.replace("  - check: CHK_MON", "  - check: CHK_MNO"))
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code == 1
    [problem] = [p for p in package.report()["problems"] if p["rule"] == "handover.waiver_invalid"]
    assert problem["message"] == (
        "waiver names CHK_MNO, which is neither a check nor a runbook of the package: correct its check (did you mean CHK_MON?)"
    )


def test_uncovered_hours_are_named_as_handover_yaml_writes_hours():
    from sphinx_handover.model.units import describe_hours, parse_hours

    week = parse_hours("24x7").minutes
    weekdays = week - parse_hours("Mon-Fri 09:00-18:00").minutes
    assert describe_hours(weekdays) == ["Mon-Fri 00:00-09:00", "Mon-Fri 18:00-24:00", "Sat-Sun 00:00-24:00"]
    assert describe_hours(week - parse_hours("daily 09:00-18:00").minutes) == ["Mon-Sun 18:00-09:00"]
    for covered in (
        "Mon-Fri 09:00-18:00",
        "daily 09:00-18:00",
        "Mon-Fri 09:00-18:00, Sat 10:00-12:30",
        "Mon-Fri 18:00-09:00",
        "Sun 22:00-06:00",
    ):
        gaps = week - parse_hours(covered).minutes
        assert parse_hours(", ".join(describe_hours(gaps))).minutes == gaps  # reads back as the same hours


def test_sla_chain_names_the_uncovered_hours_in_both_languages(cli, package):
    make(package, None)
    write(
        package,
        FULL_YAML.replace(
            "    recovery: 2h\n    hours: 24x7\nucs:", "    recovery: 2h\n    hours: Mon-Fri 09:00-18:00\nucs:"
        ),
    )
    built = cli("check", package.root, "--as-of", AS_OF)
    said = [line for line in built.err.splitlines() if "[handover.sla_chain]" in line]
    assert any(
        "(uncovered: Mon-Fri 00:00-09:00, Mon-Fri 18:00-24:00 and Sat-Sun 00:00-24:00): "
        "extend the hours, or add an agreement for that time" in line
        for line in said
    ), built.err
    (package.root / "conf.py").write_text('extensions = ["sphinx_handover"]\nlanguage = "ja"\n', "utf-8")
    write(
        package,
        FULL_YAML.replace(
            "    recovery: 2h\n    hours: 24x7\nucs:", "    recovery: 2h\n    hours: Mon-Fri 09:00-18:00\nucs:"
        ).replace("language: en", "language: ja"),
    )
    built = cli("check", package.root, "--as-of", AS_OF)
    assert (
        "（カバーされない時間帯：Mon-Fri 00:00-09:00、Mon-Fri 18:00-24:00、Sat-Sun 00:00-24:00）。"
        "対応時間帯を広げるか、その時間帯の契約を追加してください [handover.sla_chain]"
    ) in built.err, built.err
