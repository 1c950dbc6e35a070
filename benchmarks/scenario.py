"""The builds of one package size, round-robin across the variants (all three by default).

Each round: full handover build, then the same output rebuilt after one runbook's text
was edited; the same for bare sphinx-needs and plain Sphinx; then ``handover check``.
A round builds only the variants asked for; ``handover check`` and the dashboard's
verification belong to the handover variant. Steps not built have no samples.
Every build runs in a fresh process; every full build starts from an empty folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import blocks, measure
from .generate import AS_OF, VARIANTS, Generated
from .runbooks import ACCEPTANCE_HEADING

STEPS = (
    "handover build",
    "bare build",
    "plain build",
    "handover check",
    "handover incremental",
    "bare incremental",
    "plain incremental",
)
EDIT = "追記:訓練の結果を受けて、切り分けの手順2に確認するパネル名を足した。\n\n"
#: The readiness panel's CSS classes in index.html.
READY_PANEL = 'class="handover-readiness ready '
NOT_READY_PANEL = 'class="handover-readiness not-ready '


@dataclass
class SizeRun:
    generated: Generated
    work: Path
    variants: tuple[str, ...] = VARIANTS
    samples: dict[str, list[measure.Sample]] = field(default_factory=lambda: {step: [] for step in STEPS})
    dashboard: dict[str, object] = field(default_factory=dict)

    def round(self, first: bool) -> None:
        for variant in self.variants:
            out = self._fresh(variant)
            self._measure(f"{variant} build", variant, out)
            with edited(self._edited_page(variant), add_sentence):
                self._measure(f"{variant} incremental", variant, out)
                if variant == "handover" and first:
                    self.dashboard = self._verify_dashboard(out)
            shutil.rmtree(out)
        if "handover" in self.variants:
            out = self._fresh("check")
            self._measure("handover check", "handover", out, action="check")
            shutil.rmtree(out)

    def _measure(self, step: str, variant: str, out: Path, action: str = "build") -> measure.Sample:
        sample = measure.run(self._command(variant, out, action), self._log(step))
        self.samples[step].append(sample)
        if sample.exit_code != 0:
            raise RuntimeError(f"{step} exited {sample.exit_code}: see {self._log(step)}")
        return sample

    def _command(self, variant: str, out: Path, action: str) -> list[str]:
        package = self.generated.package(variant)
        if variant == "handover":
            return measure.handover_command(action, package, out, AS_OF.isoformat())
        return measure.sphinx_command(package, out)

    def _verify_dashboard(self, out: Path) -> dict[str, object]:
        """After the edit the dashboard says READY; without the only evidence of one
        check it says NOT READY and names the check; with it back, READY again."""
        check = self.generated.edited.single_evidence_id.replace("EV_", "CHK_")
        result: dict[str, object] = {"after_edit": _dashboard(out, check)}
        page = self._edited_page("handover")
        with edited(page, lambda text: without_need(text, self.generated.edited.single_evidence_id)):
            sample = measure.run(self._command("handover", out, "build"), self._log("evidence removed"))
            result["evidence_removed"] = {
                **_dashboard(out, check),
                "exit_code": sample.exit_code,
                "wall_s": sample.wall_s,
            }
        sample = measure.run(self._command("handover", out, "build"), self._log("evidence restored"))
        result["evidence_restored"] = {**_dashboard(out, check), "exit_code": sample.exit_code, "wall_s": sample.wall_s}
        result["correct"] = (
            result["after_edit"]["ready"] is True
            and result["evidence_removed"]["ready"] is False
            and result["evidence_removed"]["check_blocking"]
            and result["evidence_removed"]["exit_code"] == 1
            and result["evidence_restored"]["ready"] is True
            and result["evidence_restored"]["exit_code"] == 0
        )
        return result

    def _edited_page(self, variant: str) -> Path:
        return self.generated.package(variant) / f"{self.generated.edited.docname}.md"

    def _fresh(self, name: str) -> Path:
        out = self.work / "out" / name
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        return out

    def _log(self, step: str) -> Path:
        logs = self.work / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return logs / f"{self.generated.needs}-{step.replace(' ', '-')}.log"


def add_sentence(text: str) -> str:
    return text.replace(f"\n{ACCEPTANCE_HEADING}", f"\n{EDIT}{ACCEPTANCE_HEADING}", 1)


def without_need(text: str, need_id: str) -> str:
    return blocks.rewrite(text, lambda block: "" if block.option("id") == need_id else None)


@contextmanager
def edited(page: Path, change) -> Iterator[None]:
    original = page.read_text(encoding="utf-8")
    page.write_text(change(original), encoding="utf-8")
    try:
        yield
    finally:
        page.write_text(original, encoding="utf-8")


def _dashboard(out: Path, check: str) -> dict[str, object]:
    """What the report and the index page say."""
    report = json.loads((out / "handover-report.json").read_text(encoding="utf-8"))
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    blocking = {problem.get("id") for problem in report["problems"]} | {
        item["id"] for item in report["checks"] if item["due"] and item["status"] not in ("done", "waived")
    }
    panel = True if READY_PANEL in index else False if NOT_READY_PANEL in index else None
    return {
        "ready": report["ready"] if panel == report["ready"] else None,
        "check_blocking": check in blocking and check in index,
    }
