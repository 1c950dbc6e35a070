"""Readiness charts for the dashboard: stacked bars as inline SVG.

The statuses are the verdict's, not need fields, so sphinx-needs' needpie/needbar
cannot count them. The bars are written as SVG here: matplotlib drew them before, and
cost more than a quarter of the build's peak memory (about 55 MB) and 2.5 s for two
bar charts (docs/benchmark.md). Text stays text, drawn by the browser in the page's
fonts (Japanese included) and colours (light and dark).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from unicodedata import east_asian_width

from ..i18n.labels import label, status_label
from ..model.timeline import REVIEWS
from ..rules.verdict import Verdict

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
    """Requirements per chapter: verified (every check verifying it done), waived (done
    or waived, one at least waived: a risk accepted, never counted as verified), upcoming
    (nothing open now, a check still due at a later review: grey, as in the other chart),
    or open.

    *chapters* is (docname, short title) in reading order; *requirements* maps a
    docname to the ids of the requirements written there.
    """
    statuses: dict[str, list[str]] = {}
    for check in verdict.checks:
        for requirement in check.verifies:
            statuses.setdefault(requirement, []).append(check.status)
    counts: dict[str, list[int]] = {"done": [], "waived": [], "upcoming": [], "missing": []}
    for docname, _ in chapters:
        states = [requirement_state(statuses.get(req, [])) for req in requirements.get(docname, [])]
        for state, values in counts.items():
            values.append(states.count(state))
    rows = [title for _, title in chapters]
    names = requirement_state_names(verdict.language)
    return _stacked_bars(rows, counts, verdict.language, label(verdict.language, "chart_per_chapter"), names)


def requirement_state_names(language: str) -> dict[str, str]:
    """What the chart (and the workbook's sheet of requirements) calls each state of
    :func:`requirement_state`."""
    return {
        "done": label(language, "chart_ready"),
        "waived": status_label(language, "waived"),
        "upcoming": status_label(language, "upcoming"),
        "missing": label(language, "chart_open"),
    }


def requirement_state(check_statuses: Sequence[str]) -> str:
    """'done' when every verifying check is done, 'waived' when they are done or waived,
    'upcoming' when they are that or not yet due, else 'missing' (no check verifies it,
    or one is open now)."""
    if not check_statuses or any(status not in ("done", "waived", "upcoming") for status in check_statuses):
        return "missing"
    if "upcoming" in check_statuses:
        return "upcoming"
    return "waived" if "waived" in check_statuses else "done"


def _stacked_bars(
    rows: list[str],
    counts: dict[str, list[int]],
    language: str,
    title: str,
    names: dict[str, str] | None = None,
) -> str:
    """Horizontal stacked bars, one per row under its label, with a title, an integer
    axis and a legend. Labels above the bars leave the bars the whole width, so the chart
    is drawn narrow (``_WIDTH``) and a phone shows it whole with legible text."""
    shown = {status: values for status, values in counts.items() if any(values)}
    totals = [sum(values[index] for values in shown.values()) for index in range(len(rows))]
    step = _tick_step(max(totals, default=0))
    top = max(step, -(-max(totals, default=0) // step) * step)
    left, right = 4, _WIDTH - 12
    scale = (right - left) / top
    title_lines = _wrapped(title, _WIDTH, 14)
    y0 = 20 * len(title_lines) + 8
    bottom = y0 + len(rows) * _ROW
    legend = _legend_lines([_name(status, language, names) for status in shown])
    height = bottom + 24 + 20 * len(legend)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" font-size="12">'
        ),
        f"<title>{escape(title)}</title>",
        *(
            f'<text x="0" y="{16 + 20 * index}" font-size="14" font-weight="bold">{escape(line)}</text>'
            for index, line in enumerate(title_lines)
        ),
    ]
    for tick in range(0, top + 1, step):
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{y0 + 18}" x2="{x:.1f}" y2="{bottom}" class="handover-chart-grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{tick}</text>')
    for index, row in enumerate(rows):
        y = y0 + index * _ROW
        parts.append(
            f'<text x="{left}" y="{y + 13}"><title>{escape(row)}</title>{escape(_shortened(row, _WIDTH - left))}</text>'
        )
        x = float(left)
        for status, values in shown.items():
            value = values[index]
            if not value:
                continue
            width = value * scale
            name = _name(status, language, names)
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 18}" width="{width:.1f}" height="{_BAR}" fill="{COLOURS[status]}">'
                f"<title>{escape(label(language, 'chart_bar').format(row=row, name=name, value=value))}</title></rect>"
            )
            if width >= 8 * len(str(value)) + 6:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 18 + _BAR - 4}" text-anchor="middle" class="handover-chart-value">{value}</text>'
                )
            x += width
    statuses = iter(shown)
    for line, names_in_line in enumerate(legend):
        legend_y = bottom + 40 + 20 * line
        x = 0.0
        for name in names_in_line:
            status = next(statuses)
            parts.append(f'<rect x="{x:.1f}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS[status]}"/>')
            parts.append(f'<text x="{x + 16:.1f}" y="{legend_y}">{escape(name)}</text>')
            x += 16 + _text_width(name) + 18
    parts.append("</svg>")
    return "".join(parts)


#: The chart's width in SVG units: at a phone's 390 px (about 350 px of content) the 11-
#: and 12-unit text is drawn at 9.6 px or more.
_WIDTH = 400
#: A row: its label (16 units), then its bar.
_ROW = 38
_BAR = 16


def _legend_lines(names: list[str]) -> list[list[str]]:
    """The legend's entries, as many to a line as fit in ``_WIDTH``."""
    lines: list[list[str]] = [[]]
    x = 0.0
    for name in names:
        width = 16 + _text_width(name)
        if lines[-1] and x + width > _WIDTH:
            lines.append([])
            x = 0.0
        lines[-1].append(name)
        x += width + 18
    return lines


def _wrapped(text: str, width: float, size: float) -> list[str]:
    """*text* in lines of at most *width* at *size* px: broken at spaces, or anywhere
    between wide (Japanese) characters."""
    lines = [""]
    for piece in _pieces(text):
        if lines[-1] and _text_width(lines[-1] + piece) * size / 12 > width:
            lines.append(piece.lstrip())
        else:
            lines[-1] += piece
    return lines


def _pieces(text: str) -> list[str]:
    """*text* cut where a line may break: before a space, around a wide character."""
    pieces: list[str] = []
    for char in text:
        wide = east_asian_width(char) in "WF"
        if not pieces or wide or char == " " or east_asian_width(pieces[-1][-1]) in "WF":
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


def _name(status: str, language: str, names: dict[str, str] | None) -> str:
    return (names or {}).get(status) or status_label(language, status)


def _tick_step(largest: int) -> int:
    """1, 2, 5, 10, 20, 50...: the smallest that keeps the axis to about six ticks."""
    step = 1
    while largest / step > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def _text_width(text: str) -> float:
    """Width in pixels at 12px: wide (CJK) characters 12, others about 7.5."""
    return sum(12 if east_asian_width(char) in "WF" else 7.5 for char in text)


def _shortened(text: str, width: float) -> str:
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
