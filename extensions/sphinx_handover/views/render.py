"""Docutils nodes that show the verdict: the readiness panel and the checklist table."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..i18n.labels import label, status_label
from ..i18n.signoff_words import signed_words
from ..integration import state
from ..integration.check_builder import writes_site
from ..model.artifacts import is_url
from ..model.timeline import REVIEWS, review_date
from ..rules.rules_table import Rule
from ..rules.verdict import EvidenceStatus, Problem, Verdict
from ..site.artifact_publishing import ARTIFACTS_DIR, plan_of, uri_path
from .live_pages import pages_showing
from .problem_subjects import subject_of
from .signoff_view import signoff_section
from .tables import Cell, table

__all__ = [
    "ARTIFACTS_DIR",
    "artifact_link",
    "checklist",
    "evidence_cell",
    "need_link",
    "readiness",
    "status_badge",
    "table",
]


def readiness(app: Sphinx, verdict: Verdict, docname: str) -> nodes.Element:
    lang = verdict.language
    panel = nodes.container(classes=["handover-readiness", "ready" if verdict.ready else "not-ready"])
    headline = nodes.paragraph(classes=["handover-verdict"])
    headline += nodes.strong(text=label(lang, "ready" if verdict.ready else "not_ready"))
    panel += headline
    roles = state.of(app).data.structured.roles
    names = {role_id: role.name for role_id, role in roles.items() if role.name}
    signed = signed_words(lang, verdict.gate, verdict.signoffs, names)
    if signed:
        panel += nodes.paragraph(text=signed, classes=["handover-signed"])
    panel += nodes.paragraph(text=_when(verdict), classes=["handover-when"])
    panel += nodes.paragraph(text=_counts(verdict), classes=["handover-counts"])
    panel += nodes.paragraph(text=label(lang, "ready_detail" if verdict.ready else "not_ready_detail"))
    if verdict.blocking:
        panel += nodes.rubric(text=label(lang, "blocking"))
        panel += table(
            [label(lang, key) for key in ("item", "problem")],
            _blocking_rows(app, docname, verdict),
            classes=["handover-blocking"],
            widths=(34, 66),
        )
    panel.extend(signoff_section(verdict, state.of(app).data.structured.roles))
    if verdict.placeholders:
        panel += nodes.rubric(text=label(lang, "placeholders"))
        panel += _placeholder_table(app, docname, verdict)
    if verdict.build_warnings:
        panel += nodes.rubric(text=label(lang, "build_warnings"))
        items = nodes.bullet_list()
        for warning in verdict.build_warnings:
            where = f"{warning.file}:{warning.line}" if warning.line else (warning.file or "")
            items += nodes.list_item("", nodes.paragraph(text=f"{where} {warning.message} [{warning.type}]"))
        panel += items
    panel += nodes.rubric(text=label(lang, "upcoming"))
    panel += _upcoming(app, verdict, docname)
    return panel


def checklist(app: Sphinx, verdict: Verdict, docname: str) -> nodes.Element:
    lang = verdict.language
    rows = [
        [
            need_link(app, docname, check.docname, check.id),
            check.title,
            check.owner or "-",
            label(lang, "review_on").format(gate=check.gate, date=check.due_date),
            status_badge(lang, check.status),
            evidence_cell(app, verdict, docname, check.evidence),
        ]
        for check in verdict.checks
    ]
    headers = [label(lang, key) for key in ("check", "title", "owner_column", "due", "status", "evidence")]
    return table(headers, rows, classes=["handover-checklist"], widths=(14, 21, 13, 12, 9, 31))


def _when(verdict: Verdict) -> str:
    lang = verdict.language
    review = (
        label(lang, "review_when").format(review=label(lang, "review"), gate=verdict.gate, date=verdict.gate_date)
        if verdict.gate
        else label(lang, "before_first_review")
    )
    return (
        f"{review} · {label(lang, 'as_of')} {verdict.as_of} · "
        f"{label(lang, 'release')} {verdict.release_date} · {verdict.system}"
    )


def _counts(verdict: Verdict) -> str:
    counts = verdict.counts()
    parts = [
        f"{status_label(verdict.language, status)} {counts[status]}"
        for status in ("done", "waived", "missing", "failed", "stale", "invalid", "upcoming")
        if counts[status]
    ]
    lang = verdict.language
    return label(lang, "counts_line").format(
        total=label(lang, "checks_total"), count=counts["checks"], parts=label(lang, "counts_separator").join(parts)
    )


def _blocking_rows(app: Sphinx, docname: str, verdict: Verdict) -> list[list[Cell]]:
    """A row per blocking problem, but one per file for unfilled template text: a fresh
    package holds hundreds of lines of it, each listed by the console and the report."""
    rows, files_done = [], set()
    for problem in verdict.blocking:
        if problem.rule is not Rule.PLACEHOLDER:
            rows.append(_problem_row(app, docname, problem, verdict))
        elif problem.file not in files_done:
            files_done.add(problem.file)
            rows.append(_placeholder_row(app, docname, verdict, problem))
    return rows


def _placeholder_row(app: Sphinx, docname: str, verdict: Verdict, first: Problem) -> list[Cell]:
    lang = verdict.language
    count = sum(1 for problem in verdict.blocking if problem.rule is Rule.PLACEHOLDER and problem.file == first.file)
    item: Cell = _page_link(app, docname, first.docname) if first.docname else first.file or "-"
    message = label(lang, "placeholders_row").format(count=count, line=first.line)
    return [item, [nodes.paragraph(text=message), _for_authors(first)]]


def _placeholder_table(app: Sphinx, docname: str, verdict: Verdict) -> nodes.Element:
    lang = verdict.language
    rows: list[list[Cell]] = [
        [
            _page_link(app, docname, item.docname) if item.docname else item.file,
            str(item.count),
            str(item.blocking),
            label(lang, "review_on").format(gate=item.due, date=review_date(verdict.release_date, item.due)),
        ]
        for item in verdict.placeholders
    ]
    headers = [
        label(lang, key)
        for key in ("placeholders_page", "placeholders_left", "placeholders_blocking", "placeholders_from")
    ]
    return table(headers, rows, classes=["handover-placeholders"], widths=(46, 14, 18, 22))


def _page_link(app: Sphinx, fromdoc: str, todoc: str, text: str = "") -> nodes.Node:
    if not text:
        title = app.env.titles.get(todoc)
        text = title.astext() if title is not None else todoc
    return nodes.reference("", text, refuri=app.builder.get_relative_uri(fromdoc, todoc), internal=True)


def _problem_row(app: Sphinx, docname: str, problem: Problem, verdict: Verdict) -> list[Cell]:
    """The item (what it is about, its owner, a link to where it is shown) and what is
    wrong in words; the file:line and rule id follow on a line for the authors."""
    lang = verdict.language
    item: list[nodes.Node] = []
    owner = problem.owner
    if problem.need_id and problem.docname:
        item.append(nodes.paragraph("", "", need_link(app, docname, problem.docname, problem.need_id)))
        item.append(nodes.paragraph(text=problem.need_title, classes=["handover-need-title"]))
    elif subject := subject_of(app, problem, lang):
        pages = pages_showing(app.env, subject.view)
        name: nodes.Node = _page_link(app, docname, pages[0], subject.name) if pages else nodes.Text(subject.name)
        item.append(nodes.paragraph("", "", name))
        owner = owner or subject.owner
    elif problem.docname:
        item.append(nodes.paragraph("", "", _page_link(app, docname, problem.docname)))
    else:
        item.append(nodes.paragraph(text=problem.file or "-"))
    if owner:
        item.append(nodes.paragraph(text=label(lang, "owner").format(owner=owner), classes=["handover-owner"]))
    return [item, [nodes.paragraph(text=problem.message), _for_authors(problem)]]


def _for_authors(problem: Problem) -> nodes.Element:
    detail = nodes.paragraph(classes=["handover-for-authors"])
    if problem.file:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        detail += nodes.literal(text=where, classes=["handover-where"])
        detail += nodes.Text(" ")
    detail += nodes.literal(text=f"[{problem.rule.label}]", classes=["handover-rule"])
    return detail


def _upcoming(app: Sphinx, verdict: Verdict, docname: str) -> nodes.Element:
    lang = verdict.language
    later = [check for check in verdict.checks if check.status == "upcoming"]
    if not later:
        return nodes.paragraph(text=label(lang, "nothing_upcoming"))
    listing = nodes.bullet_list(classes=["handover-upcoming"])
    for review in REVIEWS:
        checks = [check for check in later if check.gate == review]
        if not checks:
            continue
        item = nodes.paragraph()
        when = label(lang, "review_on").format(gate=review, date=review_date(verdict.release_date, review))
        item += nodes.strong(text=when + label(lang, "field_colon"))
        for index, check in enumerate(checks):
            if index:
                item += nodes.Text(label(lang, "counts_separator"))
            item += need_link(app, docname, check.docname, check.id)
            item += nodes.Text(f" {check.title}")
        listing += nodes.list_item("", item)
    return listing


def evidence_cell(app: Sphinx, verdict: Verdict, docname: str, records: Sequence[EvidenceStatus]) -> list[nodes.Node]:
    if not records:
        return [nodes.paragraph(text=label(verdict.language, "no_evidence"))]
    lines = nodes.bullet_list(classes=["handover-evidence"])
    for record in records:
        line = nodes.paragraph()
        line += need_link(app, docname, record.docname, record.id)
        age = label(verdict.language, "age").format(days=record.age_days) if record.age_days is not None else ""
        when = label(verdict.language, "evidence_when").format(date=record.date or "?", age=age)
        line += nodes.Text(f" {when} {record.owner} ")
        line += artifact_link(app, docname, record.artifact)
        if record.sha256:
            line += nodes.Text(" ")
            line += nodes.literal(text=f"sha256:{record.sha256[:12]}…", classes=["handover-hash"])
        if record.reason:
            line += nodes.emphasis(text=f" {record.reason}")
        lines += nodes.list_item("", line)
    return [lines]


def status_badge(lang: str, status: str) -> nodes.Node:
    return nodes.inline(text=status_label(lang, status), classes=["handover-status", f"handover-status-{status}"])


def need_link(app: Sphinx, fromdoc: str, todoc: str, need_id: str) -> nodes.Node:
    uri = app.builder.get_relative_uri(fromdoc, todoc) + "#" + need_id
    return nodes.reference("", "", nodes.literal(text=need_id), refuri=uri, internal=True)


def artifact_link(app: Sphinx, fromdoc: str, artifact: str) -> nodes.Node:
    """The artifact as a link to what the site publishes of it (:mod:`.artifact_publishing`):
    its page for text, folders and withheld files, a download for an inert binary; the
    plain path when nothing is published (the gate says why)."""
    if is_url(artifact):
        return nodes.reference(artifact, artifact, refuri=artifact)
    plan = plan_of(app) if writes_site(app) else None
    entry = plan.by_artifact.get(artifact) if plan is not None else None
    if entry is None:
        return nodes.literal(artifact, artifact, classes=["handover-artifact"])
    here = posixpath.dirname(app.builder.get_target_uri(fromdoc))
    uri = uri_path(posixpath.relpath(entry.target, here or "."))
    if entry.download:
        return addnodes.download_reference(
            "", "", nodes.literal(artifact, artifact), refuri=uri, classes=["handover-artifact"]
        )
    return nodes.reference(artifact, artifact, refuri=uri, classes=["handover-artifact"])
