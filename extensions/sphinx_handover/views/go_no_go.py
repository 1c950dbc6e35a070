"""``handover-go-no-go``: the go / no-go decision as one printable sheet (A4).

The verdict, the review and as-of date, the checklist in counts, what blocks, the
accepted risks, and a sign-off table with an approval box for each accountable role (A)
of the go / no-go decisions in handover.yaml's RACI matrix. Its stylesheet is added to
the pages that show it only, and holds the print layout (``@page``): no inline style,
so the site's Content-Security-Policy holds.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ..i18n.go_no_go_labels import gng_label
from ..i18n.labels import date_text
from ..integration import state
from ..integration.check_builder import writes_site
from ..model.signoffs import DECIDING_ROWS
from ..model.structured import Structured
from ..rules.data_findings import accountable_roles
from ..rules.rules_table import Rule
from ..rules.signoff_fingerprint import fingerprint
from ..rules.verdict import STATUSES, Problem, SignoffStatus, Verdict
from . import live_pages
from .data_cells import role_name
from .directives import add_live_view, live_view
from .problem_subjects import subject_of
from .render import status_badge
from .tables import table

DIRECTIVE = "handover-go-no-go"
STYLESHEET = "handover-go-no-go.css"
_STATIC = Path(__file__).parents[1] / "static"
#: A RACI decision whose id ends so is a go / no-go decision (the templates' release_go_no_go).
GO_NO_GO_SUFFIX = "go_no_go"


class go_no_go_sheet(live_view):
    """Placeholder for the printable go / no-go sheet."""


def setup_go_no_go(app: Sphinx) -> None:
    add_live_view(app, DIRECTIVE, go_no_go_sheet, _render, searchable=False)
    app.connect("html-page-context", _add_stylesheet)
    app.connect("build-finished", _copy_stylesheet)


def _render(app: Sphinx, docname: str) -> list[nodes.Node]:
    verdict = state.get_verdict(app)
    if verdict is None:
        return []
    structured = state.of(app).data.structured
    lang = verdict.language
    sheet = nodes.container(classes=["handover-go-no-go"])
    sheet += _verdict_band(verdict)
    sheet += _section(gng_label(lang, "gng_summary"), _summary(verdict))
    sheet += _section(gng_label(lang, "gng_open"), _open_items(app, verdict))
    sheet += _section(gng_label(lang, "gng_waivers"), _waivers(verdict))
    sheet += _section(gng_label(lang, "gng_signoff"), _signoff(verdict, structured), "handover-gng-signoff")
    digest = fingerprint(verdict.content)  # the value `handover signoff` records
    sheet += nodes.paragraph(
        text=gng_label(lang, "gng_fingerprint").format(digest=digest), classes=["handover-gng-fingerprint"]
    )
    return [sheet]


def _section(title: str, body: list[nodes.Node], extra_class: str = "") -> nodes.container:
    part = nodes.container(classes=["handover-gng-part", *([extra_class] if extra_class else [])])
    part += nodes.rubric(text=title)
    part.extend(body)
    return part


def _verdict_band(verdict: Verdict) -> nodes.container:
    lang = verdict.language
    band = nodes.container(classes=["handover-gng-verdict", "ready" if verdict.ready else "not-ready"])
    band += nodes.paragraph("", "", nodes.strong(text=gng_label(lang, "ready" if verdict.ready else "not_ready")))
    review = gng_label(lang, "before_first_review")
    if verdict.gate and verdict.gate_date:
        review = gng_label(lang, "gng_review_value").format(gate=verdict.gate, date=date_text(lang, verdict.gate_date))
    rows = [
        [_heading(gng_label(lang, "gng_system")), verdict.system],
        [_heading(gng_label(lang, "review")), review],
        [_heading(gng_label(lang, "as_of")), date_text(lang, verdict.as_of)],
        [_heading(gng_label(lang, "release")), date_text(lang, verdict.release_date)],
    ]
    band += table([gng_label(lang, "gng_facts"), ""], rows, ["handover-gng-facts"], (30, 70))
    return band


def _heading(words: str) -> str:
    """A label that the dashboard writes inside a sentence ("as of"), as a row's heading."""
    return words[:1].upper() + words[1:]


def _summary(verdict: Verdict) -> list[nodes.Node]:
    lang, counts = verdict.language, verdict.counts()
    headers = [status_badge(lang, status) for status in STATUSES]
    return [
        table(headers, [[str(counts[status]) for status in STATUSES]], ["handover-gng-counts"], [1] * len(STATUSES))
    ]


def _open_items(app: Sphinx, verdict: Verdict) -> list[nodes.Node]:
    lang = verdict.language
    rows = _blocking_rows(app, verdict)
    if not rows:
        return [nodes.paragraph(text=gng_label(lang, "gng_no_open"))]
    headers = [gng_label(lang, key) for key in ("item", "owner_column", "problem")]
    return [table(headers, rows, ["handover-gng-open"], (28, 18, 54))]


def _blocking_rows(app: Sphinx, verdict: Verdict) -> list[list[str]]:
    """One row per blocking problem, named and owned as on the dashboard (a problem of
    handover.yaml by the entry it is about); unfilled template text, one per file."""
    rows, files_done = [], set()
    for problem in verdict.blocking:
        if problem.rule is Rule.PLACEHOLDER:
            if problem.file in files_done:
                continue
            files_done.add(problem.file)
        subject = None if problem.need_id else subject_of(app, problem, verdict.language)
        item = subject.name if subject else _subject(app, problem)
        owner = problem.owner or (subject.owner if subject else "")
        rows.append([item, owner or "—", problem.message])
    for warning in verdict.build_warnings:
        where = f"{warning.file}:{warning.line}" if warning.line else (warning.file or "")
        rows.append([where, "—", warning.message])
    return rows


def _subject(app: Sphinx, problem: Problem) -> str:
    """A need by its id and title, else the page by its title (as the dashboard links it)."""
    if problem.need_id:
        return f"{problem.need_id} {problem.need_title}".strip()
    title = app.env.titles.get(problem.docname) if problem.docname else None
    if title is not None:
        return str(title.astext())
    return f"{problem.file}:{problem.line}" if problem.line else (problem.file or problem.rule.label)


def _waivers(verdict: Verdict) -> list[nodes.Node]:
    lang = verdict.language
    waived = [check for check in verdict.checks if check.waiver]
    if not waived:
        return [nodes.paragraph(text=gng_label(lang, "gng_no_waivers"))]
    rows = [
        [f"{check.id} {check.title}", check.waiver["reason"], check.waiver["approved_by"], check.waiver["expires"]]
        for check in waived
        if check.waiver
    ]
    headers = [gng_label(lang, key) for key in ("check", "gng_reason", "gng_approved_by", "gng_expires")]
    return [table(headers, rows, ["handover-gng-waivers"], (30, 40, 16, 14))]


def _signoff(verdict: Verdict, structured: Structured) -> list[nodes.Node]:
    lang = verdict.language
    decisions = [row for row in structured.raci if row.decision.endswith(GO_NO_GO_SUFFIX)]
    # A sign-off fills the row of the decision taken at its review only: a go at T-30
    # approves that review, not the release that T-7 decides.
    deciding = DECIDING_ROWS.get(verdict.gate or "", ())
    rows = []
    for row in decisions:
        for role in accountable_roles(row):
            recorded = _latest(verdict, role) if row.decision in deciding else None
            rows.append(
                [
                    row.title or row.decision,
                    role_name(structured.roles, role),
                    structured.roles[role].who if role in structured.roles else "",
                    _choice_boxes(lang, recorded),
                    *_recorded(lang, recorded),
                ]
            )
    if not rows:
        return [nodes.paragraph(text=gng_label(lang, "gng_no_decision"), classes=["handover-problem"])]
    keys = ("gng_decision", "gng_role", "gng_name", "gng_choice", "gng_approval", "gng_date")
    shown: list[nodes.Node] = [nodes.paragraph(text=gng_label(lang, "gng_signoff_note"))]
    if not deciding and verdict.gate is not None:
        for status in _review_signoffs(verdict):
            text = gng_label(lang, "gng_review_recorded").format(
                review=verdict.gate,
                recorded=_recorded(lang, status)[0],
                role=role_name(structured.roles, status.signoff.role),
            )
            shown.append(nodes.paragraph(text=text, classes=["handover-gng-review-signoff"]))
    shown.append(
        table([gng_label(lang, key) for key in keys], rows, ["handover-gng-approvals"], (17, 16, 16, 17, 20, 14))
    )
    return shown


def _choice_boxes(lang: str, recorded: SignoffStatus | None) -> nodes.inline:
    """Go, No-Go and conditional Go as boxes to tick, each kept whole (a narrow column puts
    them on lines of their own, never a box's mark on one line and its word on the next);
    the one a current sign-off recorded is ticked."""
    ticked = recorded.signoff.decision if recorded is not None and recorded.current else None
    boxes = nodes.inline()
    for index, choice in enumerate(("go", "no-go", "conditional")):
        if index:
            boxes += nodes.Text(" ")
        mark = "\u2611" if choice == ticked else "\u2610"
        word = gng_label(lang, f"gng_decision_{choice}")
        boxes += nodes.inline(text=f"{mark} {word}", classes=["handover-nobr"])
    return boxes


def _review_signoffs(verdict: Verdict) -> list[SignoffStatus]:
    return [status for status in verdict.signoffs if status.signoff.review == verdict.gate and not status.superseded]


def _latest(verdict: Verdict, role: str) -> SignoffStatus | None:
    """The latest sign-off this role recorded for the evaluated review (handover signoff)."""
    records = [status for status in _review_signoffs(verdict) if status.signoff.role == role]
    return records[-1] if records else None


def _recorded(lang: str, status: SignoffStatus | None) -> list[str]:
    """The approval and date boxes: empty for a seal, or the recorded sign-off with whether
    it still holds."""
    if status is None:
        return ["", ""]
    state = gng_label(lang, "gng_signoff_current" if status.current else "gng_signoff_stale")
    decision = gng_label(lang, f"gng_decision_{status.signoff.decision}")
    text = gng_label(lang, "gng_recorded").format(decision=decision, by=status.signoff.by, state=state)
    return [text, str(status.signoff.at)[:10]]


def _add_stylesheet(app: Sphinx, pagename: str, templatename: str, context: dict[str, object], doctree: object) -> None:
    # Called while the page is written: the builder adds the file to this page only.
    if live_pages.shows(app.env, pagename, DIRECTIVE):
        app.builder.add_css_file(STYLESHEET, priority=900)  # type: ignore[attr-defined]


def _copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and writes_site(app):
        copy_asset_file(_STATIC / STYLESHEET, Path(app.outdir, "_static"), force=True)
