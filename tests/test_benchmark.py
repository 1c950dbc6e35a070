"""Smoke test of benchmarks/: the generator's three variants and one quick run.

No timing is asserted here: timings belong in the benchmark's own output.
"""

from __future__ import annotations

import json
import runpy

import pytest
from conftest import REPO


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    import benchmarks.generate
    import benchmarks.report
    import benchmarks.run
    import benchmarks.settings

    return benchmarks


def test_variants_share_sources_and_need_declarations(bench, tmp_path):
    generated = bench.generate.generate(80, tmp_path)
    handover, bare, plain = (generated.package(variant) for variant in bench.generate.VARIANTS)

    assert generated.needs == bench.generate.count_needs(handover) == bench.generate.count_needs(bare)
    assert bench.generate.count_needs(plain) == 0
    assert _tree(handover) - {"handover.yaml"} == _tree(bare) == _tree(plain)
    conf = runpy.run_path(str(bare / "conf.py"))
    declared = bench.settings.handover_settings(handover)
    for name in bench.settings.NEEDS:
        assert conf[name] == declared[name], name
    assert conf["extensions"] == ["myst_parser", "sphinx_needs", "sphinx.ext.graphviz"]
    assert runpy.run_path(str(plain / "conf.py"))["extensions"] == ["myst_parser"]


def test_quick_run_reports_every_ratio(bench, tmp_path):
    code = bench.run.main(["--quick", "--out", str(tmp_path / "results"), "--work", str(tmp_path)])

    assert code == 0  # the dashboard was re-computed correctly after each edit
    document = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    (result,) = document["sizes"].values()
    assert result["dashboard"]["correct"] is True
    assert result["samples"]["handover build"][0]["exit_code"] == 0  # the package is READY
    for step in bench.scenario.STEPS:
        assert result["medians"][step]["peak_rss_mb"] > 0
    table = (tmp_path / "results" / "results.md").read_text(encoding="utf-8")
    for ratio in bench.report.RATIOS:
        assert ratio.name in result["ratios"] and ratio.name in table
    for step, _ in bench.report.SCALING:
        assert f"{step}: time(N) / time(N/2)" in table
    assert list(tmp_path.glob("handover-bench-*")) == []  # scratch removed


def _tree(root):
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and path.name != "conf.py"}


def test_rounds_of_one_size_from_two_runners_are_pooled(bench, tmp_path):
    def document(walls, correct):
        samples = {step: [_sample(wall) for wall in walls] for step in bench.scenario.STEPS}
        size = {
            "needs": 101,
            "runbooks": 10,
            "runs": len(walls),
            "samples": samples,
            "dashboard": {"correct": correct},
            "code_per_round": ["abc"] * len(walls),
        }
        return {"machine": {"cpu": "test"}, "sizes": {"100": size}}

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(document([10.0, 30.0], True)), encoding="utf-8")
    second.write_text(json.dumps(document([20.0], False)), encoding="utf-8")
    results, _ = bench.report.load([first, second])

    assert results[100]["runs"] == 3
    assert results[100]["medians"]["handover build"]["wall_s"] == 20.0
    assert results[100]["dashboard"] == {"correct": False}  # correct only if every runner's check was
    assert "(3 runs)" in bench.report.markdown(results, {"cpu": "test"})


def _sample(wall):
    return {"wall_s": wall, "cpu_s": wall, "peak_rss_mb": 100.0, "exit_code": 0, "docs_read": 1, "docs_written": 1}


HANDOVER_STEPS = ("handover build", "handover incremental", "handover check")


def _size(bench, walls_per_step, dashboard):
    samples = {step: [_sample(wall) for wall in walls_per_step.get(step, [])] for step in bench.scenario.STEPS}
    runs = max(len(walls) for walls in walls_per_step.values())
    variants = [variant for variant in bench.generate.VARIANTS if f"{variant} build" in walls_per_step]
    medians = bench.report.medians(
        {step: [bench.measure.Sample(**s) for s in dicts] for step, dicts in samples.items()}
    )
    return {
        "needs": 101,
        "runbooks": 10,
        "runs": runs,
        "variants": variants,
        "samples": samples,
        "medians": medians,
        "dashboard": dashboard,
        "code_per_round": ["abc"] * runs,
    }


def test_ratios_of_steps_not_run_are_not_measured(bench):
    size = _size(
        bench,
        {"handover build": [8.0, 8.0], "handover incremental": [2.0, 2.0], "handover check": [2.0, 2.0]},
        {"correct": True},
    )
    results = {100: size}
    bench.report.derive(results)
    table = bench.report.markdown(results, {"cpu": "test"})

    assert size["ratios"] == {"handover check / handover build": 0.25}
    assert "| handover check / handover build | <= 0.25 | 0.25 ok (CPU 0.25) |" in table
    assert "| full build: handover / bare sphinx-needs | <= 1.10 | — |" in table
    assert "| peak memory: handover build / bare sphinx-needs | <= 1.20 | — |" in table
    assert "| handover build: time(N) / time(N/2) | <= 2.20 | — |" in table
    assert "| bare build | — |" in table and "| plain incremental | — |" in table
    assert "OVER" not in table and "nan" not in table
    assert "101 needs (2 runs)" in table


def test_a_single_round_is_one_run(bench):
    size = _size(bench, {step: [10.0] for step in HANDOVER_STEPS}, {"correct": True})
    results = {100: size}
    bench.report.derive(results)
    assert "| 101 needs (1 run) |" in bench.report.markdown(results, {"cpu": "test"})


def test_handover_steps_alone_are_pooled_with_a_full_run(bench, tmp_path):
    handover_only = _size(bench, {step: [10.0, 30.0] for step in HANDOVER_STEPS}, {"correct": True})
    every_step = _size(bench, {step: [20.0] for step in bench.scenario.STEPS}, {"correct": True})
    references_only = _size(bench, {step: [40.0] for step in bench.scenario.STEPS if step not in HANDOVER_STEPS}, {})
    paths = []
    for name, size in (("a", handover_only), ("b", every_step), ("c", references_only)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps({"machine": {"cpu": "test"}, "sizes": {"100": size}}), encoding="utf-8")
    results, _ = bench.report.load(paths)
    table = bench.report.markdown(results, {"cpu": "test"})

    pooled = results[100]
    assert pooled["variants"] == ["handover", "bare", "plain"]
    assert len(pooled["samples"]["handover build"]) == 3 and len(pooled["samples"]["bare build"]) == 2
    assert pooled["medians"]["handover build"]["wall_s"] == 20.0
    assert pooled["medians"]["bare build"]["wall_s"] == 30.0
    assert pooled["ratios"]["full build: handover / bare sphinx-needs"] == pytest.approx(20.0 / 30.0)
    assert pooled["dashboard"] == {"correct": True}  # the run without handover did not check it
    assert "101 needs (2–3 runs)" in table
    assert "| handover build | 20.0 s (CPU 20.0 s), 100 MB, 3 runs |" in table
    assert "| bare build | 30.0 s (CPU 30.0 s), 100 MB, 2 runs |" in table
    assert "101 needs: correct" in table
    assert "101 needs: not run" in bench.report.markdown(bench.report.load(paths[2:])[0], {"cpu": "test"})


def test_variants_option_keeps_the_fixed_order_and_rejects_unknown_names(bench, capsys):
    parse = bench.run._parser().parse_args

    assert parse([]).variants == ("handover", "bare", "plain")
    assert parse(["--variants", "plain,handover"]).variants == ("handover", "plain")
    with pytest.raises(SystemExit) as error:
        parse(["--variants", "handover,sphinx"])
    assert error.value.code == 2
    assert "unknown variant 'sphinx'" in capsys.readouterr().err


def test_marginal_cost_compares_the_growth_of_both_builds_between_sizes(bench):
    small = _size(bench, {"handover build": [12.0], "bare build": [10.0]}, {"correct": True})
    large = _size(bench, {"handover build": [33.0], "bare build": [30.0]}, {"correct": True})
    alone = _size(bench, {"handover build": [8.0]}, {"correct": True})
    results = {1000: small, 5000: large}
    bench.report.derive(results)
    table = bench.report.markdown(results, {"cpu": "test"})

    name = bench.report.MARGINAL.name
    assert small["marginal"] == {}  # no smaller size to grow from
    assert large["marginal"][name] == pytest.approx((33.0 - 12.0) / (30.0 - 10.0))
    assert f"| {name} | <= 1.05 | — | 1.05 ok (CPU 1.05) |" in table
    bench.report.derive({100: alone, 1000: small})
    assert small["marginal"] == {}  # the bare build was not measured at the smaller size
