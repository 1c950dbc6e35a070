"""Readiness charts for the dashboard, drawn with matplotlib as inline SVG.

The statuses are the verdict's, not need fields, so sphinx-needs' needpie/needbar
cannot count them; matplotlib (which those directives use themselves) draws them
here. Text stays text in the SVG, so the browser renders Japanese with its own fonts.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from .labels import label, status_label
from .timeline import REVIEWS
from .verdict import Verdict

#: Status -> colour, matching the badges of handover.css.
COLOURS = {
    "done": "#067647",
    "waived": "#6941c6",
    "missing": "#b42318",
    "failed": "#912018",
    "stale": "#b54708",
    "invalid": "#dc6803",
    "upcoming": "#98a2b3",
}


def per_review(verdict: Verdict) -> str:
    """Checks due at each review, stacked by status."""
    rows = [f"{review}" for review in REVIEWS]
    counts = {
        status: [sum(1 for c in verdict.checks if c.gate == review and c.status == status) for review in REVIEWS]
        for status in COLOURS
    }
    return _stacked_bars(rows, counts, verdict.language, label(verdict.language, "chart_per_review"))


def per_chapter(verdict: Verdict, chapters: Sequence[tuple[str, str]], requirements: dict[str, list[str]]) -> str:
    """Requirements per chapter: verified by a done (or waived) check, or still open.

    *chapters* is (docname, short title) in reading order; *requirements* maps a
    docname to the ids of the requirements written there.
    """
    satisfied = {check.id: check.satisfied for check in verdict.checks}
    verifying: dict[str, list[str]] = {}
    for check in verdict.checks:
        for requirement in check.verifies:
            verifying.setdefault(requirement, []).append(check.id)
    ready, open_ = [], []
    for docname, _ in chapters:
        ids = requirements.get(docname, [])
        done = sum(
            1
            for req in ids
            if verifying.get(req) and all(satisfied[c] for c in verifying[req])
        )
        ready.append(done)
        open_.append(len(ids) - done)
    counts = {"done": ready, "missing": open_}
    names = {"done": label(verdict.language, "chart_ready"), "missing": label(verdict.language, "chart_open")}
    rows = [title for _, title in chapters]
    return _stacked_bars(rows, counts, verdict.language, label(verdict.language, "chart_per_chapter"), names)


def _stacked_bars(
    rows: list[str],
    counts: dict[str, list[int]],
    language: str,
    title: str,
    names: dict[str, str] | None = None,
) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    pyplot.rcParams["svg.fonttype"] = "none"  # keep text as text: the browser draws CJK
    # Measure with a CJK font where one is installed; without one the widths are
    # approximate, which the browser's own rendering of the text absorbs.
    pyplot.rcParams["font.family"] = _families()
    warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
    figure, axes = pyplot.subplots(figsize=(7.5, 0.32 * len(rows) + 1.2))
    left = [0] * len(rows)
    for status, values in counts.items():
        if not any(values):
            continue
        name = (names or {}).get(status) or status_label(language, status)
        axes.barh(rows, values, left=left, color=COLOURS[status], label=name, height=0.6)
        left = [a + b for a, b in zip(left, values)]
    axes.invert_yaxis()
    axes.set_title(title, loc="left", fontsize=11)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(counts), 7), frameon=False, fontsize=9)
    figure.tight_layout()
    output = io.StringIO()
    figure.savefig(output, format="svg", transparent=True)
    pyplot.close(figure)
    svg = output.getvalue()
    return svg[svg.index("<svg") :]


def _families() -> list[str]:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    wanted = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic")
    return [name for name in wanted if name in installed] + ["DejaVu Sans"]
