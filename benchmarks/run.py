"""Build synthetic packages side by side and report medians and ratios against the budget.

    python -m benchmarks.run --sizes 1000,5000,10000 --runs 3
    python -m benchmarks.run --quick          # 120 needs, 1 run: the CI smoke test
    python -m benchmarks.run --sizes 10000 --variants handover   # handover build, incremental and check only

--variants builds a subset of handover,bare,plain: when only the handover extension
changed, the bare and plain reference builds need not be measured again; their ratios
print as "—" (pool with an earlier run's results.json through benchmarks.report).

Prints the Markdown tables and writes OUT/results.md and OUT/results.json (default OUT:
benchmarks/results), rewritten after each round so a long run keeps what it measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from . import machine, report
from .generate import REPO, VARIANTS, generate
from .scenario import SizeRun


def summary(size_run: SizeRun, runs: int, code: list[str]) -> dict:
    return {
        "needs": size_run.generated.needs,
        "runbooks": len(size_run.generated.runbooks),
        "runs": runs,
        "variants": list(size_run.variants),
        "samples": {step: [asdict(s) for s in samples] for step, samples in size_run.samples.items()},
        "medians": report.medians(size_run.samples),
        "dashboard": size_run.dashboard,
        "code_per_round": code,
    }


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = [120] if args.quick else [int(size) for size in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    args.out.mkdir(parents=True, exist_ok=True)
    about = machine.describe()
    results: dict[int, dict] = {}
    work = Path(tempfile.mkdtemp(prefix="handover-bench-", dir=args.work))
    try:
        for size in sizes:
            size_run = SizeRun(generate(size, work / str(size) / "packages"), work / str(size), args.variants)
            code: list[str] = []
            for index in range(runs):
                code.append(machine.code_digest())
                size_run.round(first=index == 0)
                results[size] = summary(size_run, index + 1, code)
                report.derive(results)
                _write(args.out, results, about)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(report.markdown(results, about), end="")
    return 1 if any(_dashboard_failed(result) for result in results.values()) else 0


def _dashboard_failed(result: dict) -> bool:
    return "handover" in result["variants"] and not result["dashboard"].get("correct")


def _write(out: Path, results: dict[int, dict], about: dict[str, str]) -> None:
    document = {"machine": about, "sizes": {str(size): result for size, result in results.items()}}
    (out / "results.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "results.md").write_text(report.markdown(results, about), encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,5000,10000", help="need counts, comma-separated (default 1000,5000,10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds per size; medians are reported (default 3)")
    parser.add_argument(
        "--variants",
        type=_variants,
        default=VARIANTS,
        help="comma-separated subset of handover,bare,plain to build (default all); handover includes check and the dashboard verification",
    )
    parser.add_argument("--quick", action="store_true", help="120 needs, 1 run (smoke test)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results", help="where results.md/.json go")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder parent (default: the system's temp)")
    parser.add_argument("--keep", action="store_true", help="keep packages, build logs and outputs")
    return parser


def _variants(text: str) -> tuple[str, ...]:
    chosen = {name.strip() for name in text.split(",")}
    unknown = chosen - set(VARIANTS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown variant {', '.join(map(repr, sorted(unknown)))}; choose from {','.join(VARIANTS)}"
        )
    # In the fixed order, so rounds of different runs interleave their builds alike.
    return tuple(variant for variant in VARIANTS if variant in chosen)


if __name__ == "__main__":
    raise SystemExit(main())
