"""The verdict as Markdown, for a CI's job summary (``--summary FILE``).

GitHub shows no JUnit report without a third-party action, but it renders the Markdown
a step appends to ``$GITHUB_STEP_SUMMARY``. This is one more view of the same verdict
as the JSON report and the JUnit XML: the verdict line the command prints (with the
review's sign-off, when the package records sign-offs), then every
blocking problem as a table row (item, problem, where). Each cell is redacted before
it is escaped (a secret is never shown, even escaped), and escaped so that no text of
the package can become a link, a mention, HTML or another table column.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_handover import Verdict
from sphinx_handover.i18n.labels import label
from sphinx_handover.i18n.signoff_words import signed_words
from sphinx_handover.integration.files import write_atomically
from sphinx_handover.secret_scan.redact_values import redact

#: More rows than anyone reads in a job summary; GitHub caps one at 1 MiB.
MAX_ROWS = 200

_HEADERS = {
    "en": ("Item", "Problem", "Where"),
    "ja": ("項目", "問題", "場所"),
}
_MORE = {
    "en": "… and {count} more: see handover-report.json",
    "ja": "ほか {count} 件：handover-report.json を参照してください",
}
_MARKUP = re.compile(r"([\\`*_\[\]<>|&~!@#$:])")
_WWW_DOT = re.compile(r"(?i)(?<=www)\.")


def verdict_line(verdict: Verdict) -> str:
    """The verdict in one line, in the package's language (redacted)."""
    language, counts = verdict.language, verdict.counts()
    if verdict.gate:
        review = label(language, "summary_review").format(gate=verdict.gate, date=verdict.gate_date)
    else:
        review = label(language, "before_first_review")
    state = label(language, "ready" if verdict.ready else "not_ready")  # the panel's words
    if verdict.input_errors:
        state = label(language, "summary_input_error").format(
            count=len(verdict.input_errors), not_ready=label(language, "not_ready")
        )
    line = label(language, "summary").format(
        state=state,
        system=verdict.system,
        review=review,
        as_of=verdict.as_of,
        done=counts["done"],
        checks=counts["checks"],
        waived=counts["waived"],
        upcoming=counts["upcoming"],
    )
    if not verdict.ready:
        line += label(language, "summary_blocking").format(count=counts["blocking"])
        if counts["build_warnings"]:
            line += label(language, "summary_build_warnings").format(count=counts["build_warnings"])
    signed = signed_words(language, verdict.gate, verdict.signoffs)
    if signed:
        line += ("。" if language == "ja" else "; ") + signed
    return redact(line, verdict.redactions)


def blocking_rows(verdict: Verdict) -> list[tuple[str, str, str]]:
    """(item, problem, where) for every blocking problem and build warning, redacted."""
    rows: list[tuple[str, str, str]] = []
    for problem in verdict.blocking:
        item = " ".join(part for part in (problem.need_id or "", problem.need_title) if part)
        rows.append((item, f"{problem.message} [{problem.rule.label}]", _where(problem.file, problem.line)))
    for warning in verdict.build_warnings:
        rows.append(("", f"{warning.message} [{warning.type}]", _where(warning.file, warning.line)))
    return [
        (redact(item, verdict.redactions), redact(problem, verdict.redactions), redact(where, verdict.redactions))
        for item, problem, where in rows
    ]


def render_summary(verdict: Verdict) -> str:
    """Markdown: a heading with the verdict line, then the table of blocking problems."""
    language = verdict.language if verdict.language in _HEADERS else "en"
    lines = [f"### {markdown_text(verdict_line(verdict))}", ""]
    rows = blocking_rows(verdict)
    if rows:
        lines.append("| " + " | ".join(_HEADERS[language]) + " |")
        lines.append("|---|---|---|")
        lines.extend("| " + " | ".join(markdown_text(cell) for cell in row) + " |" for row in rows[:MAX_ROWS])
        if len(rows) > MAX_ROWS:
            lines += ["", markdown_text(_MORE[language].format(count=len(rows) - MAX_ROWS))]
    return "\n".join(lines) + "\n"


def write_summary(verdict: Verdict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, render_summary(verdict))


def markdown_text(text: str) -> str:
    """*text* as inline Markdown that shows as written, in a table cell or a heading.

    Backslash-escapes (CommonMark allows them for any ASCII punctuation) the characters
    that start emphasis, code, links, images, HTML, entities, strikethrough, math, a
    mention, an issue link, an emoji code or an autolink (``https:``, ``www.``), and the
    cell boundary ``|``; line breaks and other control characters become spaces. Paths
    and sentences otherwise stay readable in the raw file."""
    one_line = "".join(" " if char < " " or "\x7f" <= char <= "\x9f" else char for char in text)
    return _WWW_DOT.sub(r"\\.", _MARKUP.sub(r"\\\1", one_line))


def _where(file: str | None, line: int | None) -> str:
    if not file:
        return ""
    return f"{file}:{line}" if line else file
