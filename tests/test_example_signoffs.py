"""The examples' sign-offs: the complete example's T-30 go covers its content, the
incomplete example's T-30 conditional go is stale for the two changes its README names,
and the verdict line and the dashboard's banner say whether the review is signed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from handover_kit.review.summary import markdown_text

AS_OF = "2026-11-20"  # as tests/test_examples.py and the README's Quick start build them
RESIGN = "the example's content changed after its sign-off was recorded: re-record it with 'python scripts/resign_examples.py'"


def _report(cli, package: Path, *extra: str) -> tuple[str, dict]:
    checked = cli("check", package, "--as-of", AS_OF, "--out", package.parent / f"{package.name}-out", *extra)
    return checked.out, json.loads((package.parent / f"{package.name}-out" / "handover-report.json").read_text("utf-8"))


def test_the_complete_examples_t30_go_is_current(cli, example_copy):
    out, report = _report(cli, example_copy())
    [signoff] = report["signoffs"]
    assert (signoff["review"], signoff["decision"], signoff["by"], signoff["role"]) == (
        "T-30",
        "go",
        "高橋 正樹",
        "service_owner",
    )
    assert signoff["current"], f"{RESIGN}; it names: {signoff['changes']}"
    assert report["ready"] and not [p for p in report["problems"] if p["rule"].startswith("handover.signoff")]
    assert out.splitlines()[0].endswith("。承認：T-30、Go（高橋 正樹、service_owner）、有効"), out


def test_the_incomplete_examples_signoff_is_stale_for_what_was_added_after_it(cli, example_copy):
    out, report = _report(cli, example_copy("ec-order-service-incomplete"))
    [signoff] = report["signoffs"]
    assert (signoff["review"], signoff["decision"], signoff["current"]) == ("T-30", "conditional", False)
    expected = [
        "追加された項目（要件・受入チェック・エビデンス・手順書）：REQ_CAPACITY_PLAN",
        "handover.yaml で変更された項目：policy",
    ]
    assert signoff["changes"] == expected, f"{RESIGN}; it names: {signoff['changes']}"
    [stale] = [p for p in report["problems"] if p["rule"] == "handover.signoff_stale"]
    assert (stale["file"], stale["line"], stale["blocking"]) == ("signoffs.yaml", 1, False)
    assert out.splitlines()[0].endswith(
        "。承認：T-30、条件付き Go（高橋 正樹、service_owner）、無効：承認後に内容が変わりました"
    ), out


def test_a_go_at_t7_in_a_copy_makes_the_complete_example_ready_and_signed(cli, example_copy, tmp_path):
    package = example_copy()
    as_of = ("--as-of", "2026-11-25")  # the T-7 review
    unsigned = cli("check", package, *as_of)
    assert unsigned.code == 0 and unsigned.out.splitlines()[0].endswith("。T-7 の承認記録なし"), unsigned.out
    signed = cli(
        "signoff",
        package,
        "--review",
        "T-7",
        "--decision",
        "go",
        "--by",
        "高橋 正樹",
        "--role",
        "service_owner",
        *as_of,
    )
    assert signed.code == 0, signed.output

    summary = tmp_path / "summary.md"
    built = cli("build", package, *as_of, "--summary", summary)
    assert built.code == 0, built.output
    words = "承認：T-7、Go（高橋 正樹、service_owner）、有効"
    line = built.out.splitlines()[0]
    assert line.startswith("READY：") and line.endswith(words), built.out
    html = (package / "_build/html/index.html").read_text("utf-8")
    # The banner names the role as the dashboard's table of sign-offs does.
    signed = re.search(r'<p class="handover-signed">(.*?)</p>', html)
    assert signed and re.sub(r"<[^>]+>", "", signed.group(1)) == "承認：T-7、Go（高橋 正樹、サービスオーナー）、有効"
    assert '<span class="handover-nobr">T-7</span>' in signed.group(1)  # kept whole on a phone
    assert markdown_text(words) in summary.read_text("utf-8").splitlines()[0]  # service\_owner

    handover = package / "handover.yaml"
    handover.write_text(handover.read_text("utf-8").replace("    recovery: 2h\n", "    recovery: 3h\n", 1), "utf-8")
    changed = cli("check", package, *as_of)
    assert changed.out.splitlines()[0].endswith(
        "承認：T-7、Go（高橋 正樹、service_owner）、無効：承認後に内容が変わりました"
    ), changed.out
