"""Record the examples' sign-offs again, with ``handover signoff`` itself.

Run after changing an example's content (a need, handover.yaml, an evidence file):
tests/test_example_signoffs.py fails until then, because a sign-off approves the
content as it was and goes stale on any change.

- examples/ec-order-service: a current go at T-30 by the service owner, evaluated as of
  2026-11-20 (the day the tests and the README's Quick start build it).
- examples/ec-order-service-incomplete: a conditional go at T-30, signed on the content
  before the capacity-plan requirement (REQ_CAPACITY_PLAN) and its required check
  (policy.required_checks: CHK_CAPACITY_PLAN) were added, so that the example reports it
  stale and names those two changes (see its README).

Each sign-off is recorded in a copy of the example (never in the example's own
folder, which would get a _build) and the copy's signoffs.yaml replaces the example's.

    python scripts/resign_examples.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2026-11-20"
SIGNER = ("--by", "高橋 正樹", "--role", "service_owner", "--as-of", AS_OF)

COMPLETE = (
    "ec-order-service",
    (
        "--review",
        "T-30",
        "--decision",
        "go",
        "--at",
        "2026-11-20T17:00:00+09:00",
        "--note",
        "T-30 以降に届いたエビデンス（11-05 の復旧ドライランほか）まで確かめた",
    ),
)
INCOMPLETE = (
    "ec-order-service-incomplete",
    (
        "--review",
        "T-30",
        "--decision",
        "conditional",
        "--at",
        "2026-11-20T11:00:00+09:00",
        "--condition",
        "リストア試験をやり直し、受注DBの RTO 2時間以内を実測で確かめる（2026-11-25）",
        "--condition",
        "連絡網テストを T-7 までに行い、各段の last_tested を記録する",
    ),
)
#: What the incomplete example gained after its sign-off: taken out of the copy signed.
LATER_REQUIREMENT = ("chapters/01-service-overview.md", "```{req} 年末セールのピークに備えたキャパシティ計画がある\n")
LATER_REQUIRED_CHECK = ("handover.yaml", "    - CHK_CAPACITY_PLAN\n")


def resign(name: str, arguments: tuple[str, ...], earlier_state=None) -> None:
    source = EXAMPLES / name
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / name
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("_build", "signoffs.yaml"))
        if earlier_state:
            earlier_state(copy)
        command = ["handover", "signoff", str(copy), *arguments, *SIGNER]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"{name}: handover signoff failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        shutil.copyfile(copy / "signoffs.yaml", source / "signoffs.yaml")
    print(f"{name}: {result.stdout.splitlines()[0]}")


def before_the_capacity_plan(copy: Path) -> None:
    page, opening = LATER_REQUIREMENT
    text = (copy / page).read_text("utf-8")
    start = text.index(opening)
    end = text.index("```\n", start + len(opening)) + len("```\n\n")
    (copy / page).write_text(text[:start] + text[end:], "utf-8")
    data, line = LATER_REQUIRED_CHECK
    text = (copy / data).read_text("utf-8")
    if line not in text:
        sys.exit(f"{data}: no line {line.strip()!r} to take out: update scripts/resign_examples.py with the example")
    (copy / data).write_text(text.replace(line, "", 1), "utf-8")


def main() -> None:
    resign(*COMPLETE)
    resign(*INCOMPLETE, earlier_state=before_the_capacity_plan)


if __name__ == "__main__":
    main()
