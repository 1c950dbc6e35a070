"""handover signoff: a decision bound to what it approved, stale once that changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

AS_OF = "2026-11-25"  # release 2026-12-01: the T-7 review
SIGN_T7 = ("--review", "T-7", "--decision", "go", "--by", "高橋 正樹", "--as-of", AS_OF)


def _unsigned(example_copy) -> Path:
    """A copy of the complete example without its own sign-off (a T-30 go)."""
    package = example_copy()
    (package / "signoffs.yaml").unlink()
    return package


def _require_signoff(package: Path, reviews: str) -> None:
    handover = package / "handover.yaml"
    text = handover.read_text("utf-8")
    handover.write_text(text.replace("\npolicy:\n", f"\npolicy:\n  signoff_required: [{reviews}]\n", 1), "utf-8")


def _check(cli, package: Path, *extra: str) -> tuple[int, dict]:
    result = cli("check", package, "--as-of", AS_OF, "--json", *extra)
    return result.code, json.loads(result.out)


def _problems(report: dict, rule: str) -> list[dict]:
    return [problem for problem in report["problems"] if problem["rule"] == f"handover.{rule}"]


def test_a_go_signoff_makes_the_review_ready_and_any_change_makes_it_stale(cli, example_copy):
    package = _unsigned(example_copy)
    _require_signoff(package, "T-7, T+30")
    code, report = _check(cli, package)
    assert code == 1
    [missing] = _problems(report, "signoff_missing")
    assert (missing["file"], missing["blocking"]) == ("handover.yaml", True)

    signed = cli("signoff", package, *SIGN_T7, "--role", "service_owner", "--note", "release as planned")
    assert signed.code == 0, signed.output
    assert "Signed off T-7: go by 高橋 正樹 (service_owner)" in signed.out
    record = yaml.safe_load((package / "signoffs.yaml").read_text("utf-8"))[0]
    assert record["fingerprint"].startswith("sha256:") and record["parts"]["needs"]["CHK_RESTORE_TEST"].startswith(
        "sha256:"
    )

    code, report = _check(cli, package)
    assert (code, report["ready"], report["schema_version"]) == (0, True, 2)
    [signoff] = report["signoffs"]
    assert (signoff["review"], signoff["decision"], signoff["role"], signoff["current"]) == (
        "T-7",
        "go",
        "service_owner",
        True,
    )

    artifact = package / "evidence/03-runbooks/alert-runbook-check-2026-11-10.txt"
    original = artifact.read_text("utf-8")
    artifact.write_text(original + "re-checked\n", "utf-8")
    _assert_stale(
        cli, package, "差し替えられたエビデンスのファイル：evidence/03-runbooks/alert-runbook-check-2026-11-10.txt"
    )
    artifact.write_text(original, "utf-8")

    page = package / "chapters/01-service-overview.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("月間稼働率 99.9%", "月間稼働率 99.5%", 1), "utf-8")
    _assert_stale(cli, package, "内容が変わった項目（要件・受入チェック・エビデンス・手順書）：REQ_SERVICE_TARGETS")
    page.write_text(text, "utf-8")

    handover = package / "handover.yaml"
    data = handover.read_text("utf-8")
    handover.write_text(data.replace("    recovery: 2h\n", "    recovery: 3h\n", 1), "utf-8")
    _assert_stale(cli, package, "handover.yaml で変更された項目：sla")
    handover.write_text(data, "utf-8")

    code, report = _check(cli, package)
    assert code == 0 and report["signoffs"][0]["current"], "the same content again: the sign-off holds again"


def _assert_stale(cli, package: Path, change: str) -> None:
    """The example is a ja package: the change is named in Japanese."""
    code, report = _check(cli, package)
    assert code == 1 and not report["ready"]
    [stale] = _problems(report, "signoff_stale")
    assert (stale["file"], stale["line"], stale["blocking"]) == ("signoffs.yaml", 1, True)
    assert change in stale["message"], stale["message"]
    assert report["signoffs"][0]["current"] is False and change in report["signoffs"][0]["changes"]


def test_only_the_accountable_role_signs_off_go_no_go(cli, example_copy):
    package = _unsigned(example_copy)
    refused = cli("signoff", package, *SIGN_T7, "--role", "ops_lead")
    assert refused.code == 2
    expected = (
        f"handover: error: {package.name}/handover.yaml:111: role 'ops_lead' is not accountable for release_go_no_go "
        "(T-7): the RACI makes 'service_owner' accountable (A)"
    )
    assert refused.err.splitlines() == [expected]
    unknown = cli("signoff", package, *SIGN_T7, "--role", "cfo")
    assert unknown.code == 2 and unknown.err.startswith(f"handover: error: {package.name}/handover.yaml:84: role 'cfo'")
    conditional = cli(
        "signoff", package, "--review", "T-7", "--decision", "conditional", "--by", "T", "--role", "service_owner"
    )
    assert conditional.code == 2 and "needs at least one --condition" in conditional.err
    empty = cli(
        "signoff", package, "--review", "T-7", "--decision", "conditional", "--condition", " ", "--by", "T",
        "--role", "service_owner",
    )  # fmt: skip
    assert empty.code == 2 and "needs at least one --condition" in empty.err
    assert not (package / "signoffs.yaml").exists()


def test_only_the_person_the_role_names_signs_off(cli, example_copy):
    """The example's service_owner is 高橋 正樹（みなと商事 EC事業部長）: a sign-off by anyone
    else is refused by the command, and one written into signoffs.yaml by hand does not
    count (signoffs.yaml is a file anyone can edit)."""
    package = _unsigned(example_copy)
    _require_signoff(package, "T-7")
    for stranger in ("Takahashi", "高橋", "正樹", "中村 由美", "みなと商事"):
        refused = cli("signoff", package, *SIGN_T7[:4], "--by", stranger, "--as-of", AS_OF, "--role", "service_owner")
        assert refused.code == 2, refused.output
        assert refused.err.startswith(f"handover: error: {package.name}/handover.yaml:86: {stranger!r} is not named by")
    assert not (package / "signoffs.yaml").exists()
    for spelling in ("高橋正樹", "高橋\u3000正樹", " 高橋  正樹 "):
        signed = cli("signoff", package, *SIGN_T7[:4], "--by", spelling, "--as-of", AS_OF, "--role", "service_owner")
        assert signed.code == 0, signed.output
    assert _check(cli, package)[0] == 0

    records = package / "signoffs.yaml"
    text = records.read_text("utf-8")
    for edited, said in (
        ("by: 中村 由美", "承認者 中村 由美 は、役割 service_owner の担当者ではありません"),
        ("role: cfo", "役割 cfo は、handover.yaml の roles にありません"),
    ):
        key = edited.split(":")[0]
        last = text.rindex(f"  {key}: ")
        end = text.index("\n", last)
        records.write_text(text[:last] + f"  {edited}" + text[end:], "utf-8")
        code, report = _check(cli, package)
        assert (code, report["ready"]) == (1, False), report["problems"]
        [signer] = _problems(report, "signoff_signer")
        assert signer["file"] == "signoffs.yaml" and signer["blocking"] is True
        assert said in signer["message"], signer["message"]
    records.write_text(text, "utf-8")
    assert _check(cli, package)[0] == 0


RUNBOOK = """\
# Runbooks

```{{runbook}} Restart
:id: RB_RESTART
:owner: Operations
:last_exercised: 2026-11-01

{body}
```
"""


def test_signoffs_on_the_dashboard(cli, package):
    handover = package.root / "handover.yaml"
    handover.write_text(
        handover.read_text("utf-8").replace("policy:\n", "policy:\n  signoff_required: [T-30]\n")
        + "roles:\n  owner: {name: Service owner, who: Kim}\n",
        "utf-8",
    )
    package.page("runbooks", RUNBOOK.format(body="Restart the service."))
    package.page("signoffs", "# Sign-offs\n\n```{handover-signoffs}\n```\n")
    signed = cli(
        "signoff",
        package.root,
        "--review",
        "T-30",
        "--decision",
        "conditional",
        "--condition",
        "restore test by T-7",
        "--by",
        "Kim",
        "--role",
        "owner",
        "--as-of",
        "2026-11-10",
    )
    assert signed.code == 0, signed.output
    built = cli("build", package.root, "--as-of", "2026-11-10")
    assert built.code == 0, built.output
    html = (package.root / "_build/html/index.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", html)  # ids like T-7 are kept whole in a span of their own
    assert "handover-signoffs" in html and "conditional go: restore test by T-7" in text
    assert "current: the content is as approved" in html
    assert built.out.splitlines()[0].endswith("; signed: conditional go at T-30 by Kim (owner), current")
    # The banner names the role as the dashboard's table does; the CLI line keeps its id.
    signed = re.search(r'<p class="handover-signed">(.*?)</p>', html)
    assert signed and re.sub(r"<[^>]+>", "", signed.group(1)) == (
        "signed: conditional go at T-30 by Kim (Service owner), current"
    )

    package.page("runbooks", RUNBOOK.format(body="Restart the service, then check the queue."))
    built = cli("build", package.root, "--as-of", "2026-11-10")
    assert built.code == 1
    assert "signoffs.yaml:1: ERROR: the conditional go sign-off of T-30 by Kim (owner" in built.err
    assert built.out.splitlines()[0].endswith("; signed: conditional go at T-30 by Kim (owner), stale")
    html = (package.root / "_build/html/index.html").read_text("utf-8")
    assert 'class="handover-signoff stale' in html and "needs edited: RB_RESTART" in html
    page = (package.root / "_build/html/signoffs.html").read_text("utf-8")
    assert "Changes since the T-30 sign-off by Kim" in page and "<p>needs edited: RB_RESTART</p>" in page


def test_a_malformed_signoffs_file_is_located(cli, package):
    record = "- review: T-7\n  decision: maybe\n  by: Kim\n  role: owner\n  at: '2026-11-25T09:00:00+00:00'\n  fingerprint: x\n"
    (package.root / "signoffs.yaml").write_text(record, "utf-8")
    checked = cli("check", package.root, "--as-of", "2026-11-25")
    assert checked.code == 2
    assert (
        "signoffs.yaml:1: ERROR: decision 'maybe': use one of go, no-go, conditional: correct the record" in checked.err
    )
    handover = package.root / "handover.yaml"
    handover.write_text(handover.read_text("utf-8") + "roles:\n  owner: {name: Owner, who: Kim}\n", "utf-8")
    refused = cli("signoff", package.root, "--review", "T-30", "--decision", "go", "--by", "Kim", "--role", "owner")
    assert refused.code == 2
    assert refused.err.splitlines() == [
        "handover: error: signoffs.yaml:1: decision 'maybe': use one of go, no-go, conditional"
    ]


def test_a_signoffs_file_changed_during_the_build_is_left_alone(cli, package, monkeypatch):
    import handover_kit.review.signoff as signoff_command

    handover = package.root / "handover.yaml"
    handover.write_text(handover.read_text("utf-8") + "roles:\n  owner: {name: Owner, who: Kim}\n", "utf-8")
    path = package.root / "signoffs.yaml"
    real_run = signoff_command.run

    def run_while_someone_appends(*args, **kwargs):
        verdict = real_run(*args, **kwargs)
        path.write_text("# someone else's record\n", "utf-8")
        return verdict

    monkeypatch.setattr(signoff_command, "run", run_while_someone_appends)
    refused = cli(
        "signoff",
        package.root,
        "--review",
        "T-30",
        "--decision",
        "no-go",
        "--by",
        "Kim",
        "--role",
        "owner",
        "--as-of",
        "2026-11-10",
    )
    assert refused.code == 2
    assert refused.err.splitlines() == [
        "handover: error: signoffs.yaml: changed while the build ran; nothing was written: sign off again"
    ]
    assert path.read_text("utf-8") == "# someone else's record\n"
    assert not list(package.root.glob(".signoffs.yaml.*"))


def test_the_time_of_a_decision_taken_earlier_and_never_in_the_future(cli, package):
    future = cli(
        "signoff",
        package.root,
        "--review",
        "T-30",
        "--decision",
        "go",
        "--by",
        "Kim",
        "--role",
        "owner",
        "--at",
        "2999-01-01T09:00",
    )
    assert future.code == 2 and future.err.splitlines() == [
        "handover: error: --at 2999-01-01T09:00:00+00:00: a decision is recorded when or after it is taken, not before"
    ]
    malformed = cli(
        "signoff",
        package.root,
        "--review",
        "T-30",
        "--decision",
        "go",
        "--by",
        "Kim",
        "--role",
        "owner",
        "--at",
        "11/20",
    )
    assert malformed.code == 2 and "'11/20' is not a date and time" in malformed.err
    assert not (package.root / "signoffs.yaml").exists()
