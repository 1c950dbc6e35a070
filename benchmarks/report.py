"""Medians, the budget's ratios and the Markdown tables of a benchmark run.

python -m benchmarks.report A.json [B.json ...]   # the tables again, sizes merged
python -m benchmarks.report results.json --update docs/benchmark.md
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from .generate import VARIANTS
from .measure import Sample
from .scenario import STEPS


@dataclass(frozen=True)
class Ratio:
    name: str
    numerator: str
    denominator: str
    metric: str
    budget: float | None = None


RATIOS = (
    Ratio("full build: handover / bare sphinx-needs", "handover build", "bare build", "wall_s", 1.10),
    Ratio("handover check / handover build", "handover check", "handover build", "wall_s", 0.25),
    Ratio(
        "incremental, one runbook edited: handover / plain Sphinx",
        "handover incremental",
        "plain incremental",
        "wall_s",
        1.50,
    ),
    Ratio("peak memory: handover build / bare sphinx-needs", "handover build", "bare build", "peak_rss_mb", 1.20),
    Ratio("full build: bare sphinx-needs / plain Sphinx", "bare build", "plain build", "wall_s"),
    Ratio("full build: handover / plain Sphinx", "handover build", "plain build", "wall_s"),
    Ratio("incremental: bare sphinx-needs / plain Sphinx", "bare incremental", "plain incremental", "wall_s"),
    Ratio("peak memory: handover check / bare sphinx-needs build", "handover check", "bare build", "peak_rss_mb"),
)
#: Time of a size over the time of half that size (linear is 2.0).
SCALING = (("handover build", 2.20), ("bare build", None), ("plain build", None))
#: What each need added between two sizes costs the handover build, over what it costs
#: the bare sphinx-needs build: the extension's own cost per need, without the fixed
#: cost of the example's chapters that both variants share.
MARGINAL = Ratio(
    "marginal cost per need (N over the next smaller size): handover / bare sphinx-needs",
    "handover build",
    "bare build",
    "wall_s",
    1.05,
)
#: The block of a Markdown file that --update replaces with the tables.
_BLOCK = re.compile(r"(<!-- results -->\n).*?(<!-- /results -->)", re.DOTALL)


def medians(samples: dict[str, list[Sample]]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for step, runs in samples.items():
        if runs:
            fields = runs[0].as_dict()
            result[step] = {name: statistics.median(run.as_dict()[name] for run in runs) for name in fields}
    return result


def derive(results: dict[int, dict]) -> None:
    """Add each size's ratios and scaling, of wall time and of CPU time (which tells
    whether a wall-time ratio was skewed by other work on the machine). A ratio of a
    step without samples is left out: the tables print it as not measured."""
    for size, result in results.items():
        half = results.get(size // 2) if size % 2 == 0 else None
        smaller = max((other for other in results if other < size), default=None)
        for key, metric in (("", "wall_s"), ("cpu_", "cpu_s")):
            result[f"{key}ratios"] = _ratios(result["medians"], metric)
            result[f"{key}scaling"] = _scaling(result["medians"], half["medians"], metric) if half else {}
            result[f"{key}marginal"] = _marginal(result, results[smaller], metric) if smaller else {}


def _ratios(median: dict[str, dict[str, float]], time_metric: str) -> dict[str, float]:
    result = {}
    for ratio in RATIOS:
        metric = time_metric if ratio.metric == "wall_s" else ratio.metric
        if ratio.numerator in median and ratio.denominator in median:
            result[ratio.name] = median[ratio.numerator][metric] / median[ratio.denominator][metric]
    return result


def _marginal(result: dict, smaller: dict, metric: str) -> dict[str, float]:
    """The ratio of the two variants' growth from the smaller size; left out when a
    variant was not built at both sizes or did not grow (noise larger than the step)."""
    median, before = result["medians"], smaller["medians"]
    steps = (MARGINAL.numerator, MARGINAL.denominator)
    if not all(step in median and step in before for step in steps):
        return {}
    numerator, denominator = (median[step][metric] - before[step][metric] for step in steps)
    return {MARGINAL.name: numerator / denominator} if denominator > 0 else {}


def _scaling(median: dict, half: dict, metric: str) -> dict[str, float]:
    return {step: median[step][metric] / half[step][metric] for step, _ in SCALING if step in median and step in half}


def markdown(results: dict[int, dict], machine: dict[str, str]) -> str:
    sizes = sorted(results)
    lines = [f"Machine: {machine_line(machine)}", ""]
    lines += _ratio_table(results, sizes)
    lines += ["", *_median_table(results, sizes)]
    dashboard = [f"{results[size]['needs']} needs: {_dashboard_verdict(results[size]['dashboard'])}" for size in sizes]
    lines += ["", f"Dashboard after the incremental edit, evidence removed and restored: {', '.join(dashboard)}."]
    code = {digest for size in sizes for digest in results[size].get("code_per_round", [])}
    if len(code) > 1:
        lines += ["", f"**The code changed during this run** (source digests {', '.join(sorted(code))})."]
    elif code:
        lines += ["", f"Source digest of extensions/ and handover_kit/: {code.pop()}."]
    return "\n".join(lines) + "\n"


def _dashboard_verdict(dashboard: dict) -> str:
    if not dashboard:
        return "not run"
    return "correct" if dashboard.get("correct") else "WRONG"


def machine_line(machine: dict[str, str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in machine.items())


def _ratio_table(results: dict[int, dict], sizes: list[int]) -> list[str]:
    header = ["ratio of medians: wall time (CPU time)", "budget", *(_size_label(results[size]) for size in sizes)]
    lines = [_row(header), _row(["---"] * len(header))]
    for ratio in RATIOS:
        timed = ratio.metric == "wall_s"
        cells = [_cell(results[size], "ratios", ratio.name, ratio.budget, timed) for size in sizes]
        lines.append(_row([ratio.name, _budget(ratio.budget), *cells]))
    cells = [_cell(results[size], "marginal", MARGINAL.name, MARGINAL.budget, True) for size in sizes]
    lines.append(_row([MARGINAL.name, _budget(MARGINAL.budget), *cells]))
    for step, budget in SCALING:
        cells = [_cell(results[size], "scaling", step, budget, True) for size in sizes]
        lines.append(_row([f"{step}: time(N) / time(N/2)", _budget(budget), *cells]))
    return lines


def _median_table(results: dict[int, dict], sizes: list[int]) -> list[str]:
    header = ["build (median)", *(_size_label(results[size]) for size in sizes)]
    lines = [_row(header), _row(["---"] * len(header))]
    for step in STEPS:
        lines.append(_row([step, *(_median_cell(results[size], step) for size in sizes)]))
    return lines


def _median_cell(result: dict, step: str) -> str:
    if step not in result["medians"]:
        return "—"
    m = result["medians"][step]
    pages = f", read {m['docs_read']:.0f} / wrote {m['docs_written']:.0f} pages" if "incremental" in step else ""
    runs = _runs_per_step(result)
    count = f", {_rounds(runs[step])}" if len(set(runs.values())) > 1 else ""
    return f"{m['wall_s']:.1f} s (CPU {m['cpu_s']:.1f} s), {m['peak_rss_mb']:.0f} MB{pages}{count}"


def _cell(result: dict, kind: str, name: str, budget: float | None, timed: bool) -> str:
    if name not in result[kind]:
        return "—"
    value = result[kind][name]
    cell = f"{value:.2f}" if budget is None else f"{value:.2f} {'ok' if value <= budget else '**OVER**'}"
    return f"{cell} (CPU {result[f'cpu_{kind}'][name]:.2f})" if timed else cell


def _size_label(result: dict) -> str:
    """Runs as samples per step: pooled files may hold more rounds of some steps than
    of others (a later run of the handover steps alone), then the range is shown and
    the median table gives each step's count."""
    counts = sorted(set(_runs_per_step(result).values()))
    runs = _rounds(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]} runs"
    return f"{result['needs']} needs ({runs})"


def _rounds(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def _runs_per_step(result: dict) -> dict[str, int]:
    return {step: len(samples) for step, samples in result["samples"].items() if samples}


def _budget(budget: float | None) -> str:
    return f"<= {budget:.2f}" if budget is not None else "(info)"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def load(paths: list[Path]) -> tuple[dict[int, dict], dict[str, str]]:
    """Sizes of one or more results.json files, derived again. The rounds of a size
    found in several files are pooled (runs of one commit split over two runners)."""
    results: dict[int, dict] = {}
    machine: dict[str, str] = {}
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        machine = document["machine"]
        for size, result in document["sizes"].items():
            size = int(size)
            results[size] = _pooled(results[size], result) if size in results else result
    derive(results)
    return results, machine


def _pooled(first: dict, second: dict) -> dict:
    """Each step's samples from whichever files have them (some runs build only some variants)."""
    samples = {step: first["samples"].get(step, []) + second["samples"].get(step, []) for step in STEPS}
    return {
        **first,
        "runs": first["runs"] + second["runs"],
        "variants": [variant for variant in VARIANTS if samples[f"{variant} build"]],
        "samples": samples,
        "medians": medians({step: [Sample(**run) for run in runs] for step, runs in samples.items()}),
        "dashboard": _pooled_dashboard(first["dashboard"], second["dashboard"]),
        "code_per_round": first["code_per_round"] + second["code_per_round"],
    }


def _pooled_dashboard(first: dict, second: dict) -> dict:
    """Only a runner's first round with the handover variant checks the dashboard:
    correct only if every check was; a runner that did not check it (empty) says nothing."""
    if not second or (first and not first.get("correct")):
        return first
    return second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results.json files of benchmarks.run")
    parser.add_argument("--update", type=Path, help="replace the <!-- results --> block of this Markdown file")
    args = parser.parse_args(argv)
    results, machine = load(args.results)
    tables = markdown(results, machine)
    if args.update is None:
        print(tables, end="")
        return 0
    text = args.update.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        parser.error(f"{args.update}: no <!-- results --> ... <!-- /results --> block")
    args.update.write_text(_BLOCK.sub(lambda m: m[1] + tables + m[2], text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
