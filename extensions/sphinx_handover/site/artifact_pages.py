"""The HTML of the generated evidence pages: one per published text file, per folder
artifact and per file the site withholds.

Each page is a small document of its own, written by the build rather than through
the theme's templates: a package can point at thousands of artifacts (the benchmark's
10,000-need package at 4,000), and a themed page carries the whole navigation tree, so
themed pages would cost as much again as the chapters themselves. The page links the
theme's stylesheets (Furo's colours and type, light and dark) and handover.css, and
runs no inline script. Every value in it, the artifact's text above all, is escaped.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..i18n.artifact_labels import page_label
from ..i18n.labels import status_label
from .artifact_publishing import Published, uri_path

#: Characters of a text artifact shown in its page; the rest is left to the package.
DISPLAY_LIMIT = 2_000_000
#: The page's own policy, stricter than the site's: it has no inline style or script at
#: all, so even markup that escaped escaping could neither run nor load anything.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class PageContext:
    language: str
    site_title: str
    #: href of the site's start page and of each stylesheet, from the output folder.
    index_uri: str
    stylesheets: Sequence[str]
    theme_script: str
    #: docname -> its page, from the output folder.
    doc_uri: Callable[[str], str]
    #: Removes the package's secrets from a value shown on the page.
    redact: Callable[[str], str]

    def text(self, key: str, **values: object) -> str:
        return html.escape(page_label(self.language, key).format(**values))

    def value(self, text: str) -> str:
        return html.escape(self.redact(text))


def file_page(ctx: PageContext, entry: Published, text: str | None) -> str:
    """The page of one file: what it is, the records that point at it, its content."""
    here = posixpath.dirname(entry.target)
    body = [_heading(ctx, here, entry, "kicker_file")]
    body.append(_facts(ctx, here, entry))
    body.append(_records(ctx, here, entry))
    if entry.form == "withheld":
        body.append(f"<h2>{ctx.text('not_published')}</h2>")
        separator = "" if ctx.language == "ja" else " "  # no space after a Japanese full stop
        note = ctx.text(entry.reason, lines=_lines(ctx, entry)) + separator + ctx.text("in_package")
        body.append(f'<p class="handover-evidence-withheld">{note}</p>')
    elif text is not None:
        body.append(_content(ctx, text))
    return _document(ctx, here, entry, "".join(body))


def folder_page(ctx: PageContext, entry: Published) -> str:
    """The page of a folder artifact: the records that point at it and each of its files."""
    here = posixpath.dirname(entry.target)
    rows = []
    for item in entry.files:
        name = html.escape(item.relative.removeprefix(entry.relative + "/"))
        href = html.escape(_href(here, item.target))
        link = f'<a href="{href}" download>{name}</a>' if item.download else f'<a href="{href}">{name}</a>'
        form = ctx.text(f"form_{item.form}")
        rows.append(
            f"<tr><td><code>{link}</code></td><td>{form}</td>"
            f'<td>{ctx.text("bytes", n=f"{item.size:,}")}</td><td><code class="handover-hash">{item.sha256}</code></td></tr>'
        )
    files = (
        f'<h2>{ctx.text("files")}</h2><div class="handover-evidence-scroll"><table class="handover-evidence-table">'
        f"<thead><tr><th>{ctx.text('file')}</th><th>{ctx.text('how')}</th><th>{ctx.text('size')}</th>"
        f"<th>{ctx.text('computed_sha256')}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    body = _heading(ctx, here, entry, "kicker_folder") + _records(ctx, here, entry) + files
    return _document(ctx, here, entry, body)


def _document(ctx: PageContext, here: str, entry: Published, body: str) -> str:
    title = f"{html.escape(entry.relative)} — {ctx.value(ctx.site_title)}"
    links = "".join(f'<link rel="stylesheet" href="{html.escape(_href(here, sheet))}">' for sheet in ctx.stylesheets)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(ctx.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        f"<title>{title}</title>\n{links}\n</head>\n"
        f'<body class="handover-evidence-page">\n<script src="{html.escape(_href(here, ctx.theme_script))}"></script>\n'
        f'<header class="handover-evidence-header"><a href="{html.escape(_href(here, ctx.index_uri))}">'
        f"← {ctx.value(ctx.site_title)}</a></header>\n"
        f'<main class="handover-evidence-main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _heading(ctx: PageContext, here: str, entry: Published, kicker: str) -> str:
    heading = (
        f'<p class="handover-evidence-kicker">{ctx.text(kicker)}</p>'
        f'<h1 class="handover-evidence-path"><code>{html.escape(entry.relative)}</code></h1>'
    )
    if entry.folder is not None:
        folder = f'<a href="{html.escape(_href(here, entry.folder.target))}"><code>{html.escape(entry.folder.relative)}</code></a>'
        heading += (
            f'<p class="handover-evidence-folder">{ctx.text("part_of", folder="{folder}").format(folder=folder)}</p>'
        )
    return heading


def _facts(ctx: PageContext, here: str, entry: Published) -> str:
    facts = []
    if entry.sha256:
        facts.append((ctx.text("computed_sha256"), f'<code class="handover-hash">{entry.sha256}</code>'))
        facts.append((ctx.text("size"), ctx.text("bytes", n=f"{entry.size:,}")))
    form = ctx.text(f"form_{entry.form}")
    if entry.download:
        name = html.escape(entry.relative.rsplit("/", 1)[-1])
        form = f'<a href="{html.escape(_href(here, entry.target))}" download>{ctx.text("download", name="{name}").format(name=name)}</a>'
    facts.append((ctx.text("how"), form))
    items = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in facts)
    return f'<dl class="handover-evidence-facts">{items}</dl>'


#: The columns of the records pointing at an artifact, by their words' keys.
_RECORD_COLUMNS = ("record", "date", "owner", "result", "proves", "recorded_sha256")


def _records(ctx: PageContext, here: str, entry: Published) -> str:
    rows = []
    for record in entry.records:
        link = f'<a href="{html.escape(_href(here, ctx.doc_uri(record.docname)))}#{html.escape(record.id)}"><code>{html.escape(record.id)}</code></a>'
        validity = (
            f'<span class="handover-status handover-status-done">{ctx.text("counts")}</span>'
            if record.counts
            else f'<span class="handover-status handover-status-invalid">{ctx.text("does_not_count")}</span>'
            f'<br><span class="handover-sub">{ctx.value(record.reason)}</span>'
        )
        checks = "<br>".join(
            f'<span class="handover-status handover-status-{html.escape(check.status)}">{html.escape(status_label(ctx.language, check.status))}</span> '
            f'<a href="{html.escape(_href(here, ctx.doc_uri(check.docname)))}#{html.escape(check.id)}"><code>{html.escape(check.id)}</code></a> '
            f"{ctx.value(check.title)}"
            for check in entry.proves.get(record.id, ())
        )
        cells = (
            f"{link}<br>{validity}",
            html.escape(str(record.date or "?")),
            ctx.value(record.owner),
            ctx.text("result_" + record.result) if record.result in ("pass", "fail") else "",
            checks,
            _recorded_hash(ctx, entry, record.sha256),
        )
        # Each cell names its column: on a phone the rows are cards and the header is hidden.
        rows.append(
            "<tr>"
            + "".join(
                f'<td data-label="{html.escape(ctx.text(key))}">{cell}</td>'
                for key, cell in zip(_RECORD_COLUMNS, cells, strict=True)
            )
            + "</tr>"
        )
    heading = ctx.text("records_folder" if entry.folder is not None or entry.form == "folder" else "records")
    headers = "".join(f"<th>{ctx.text(key)}</th>" for key in _RECORD_COLUMNS)
    return (
        f"<h2>{heading}</h2>"
        f'<div class="handover-evidence-scroll"><table class="handover-evidence-table handover-evidence-records">'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _recorded_hash(ctx: PageContext, entry: Published, recorded: str) -> str:
    if not recorded:
        return f'<span class="handover-sub">{ctx.text("sha256_none")}</span>'
    verdict = "sha256_matches" if recorded.lower() == entry.sha256 else "sha256_differs"
    css = "handover-ok" if verdict == "sha256_matches" else "handover-problem"
    return (
        f'<code class="handover-hash">{html.escape(recorded)}</code><br><span class="{css}">{ctx.text(verdict)}</span>'
    )


def _content(ctx: PageContext, text: str) -> str:
    """The text in a <pre>, escaped once as a whole, one numbered line per span (so a
    reviewer can link a line: ``#L42``)."""
    if not text:
        return f'<h2>{ctx.text("content")}</h2><p class="handover-empty">{ctx.text("empty")}</p>'
    shown = text[:DISPLAY_LIMIT]
    note = ""
    if len(text) > len(shown):
        note = f'<p class="handover-evidence-note">{ctx.text("truncated", shown=f"{len(shown):,}", total=f"{len(text):,}")}</p>'
    lines = html.escape(ctx.redact(shown).replace("\r\n", "\n")).split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    spans = "".join(
        f'<span class="handover-line" id="L{number}">{line}</span>' for number, line in enumerate(lines, start=1)
    )
    return (
        f'<h2>{ctx.text("content")}</h2><p class="handover-sub">{ctx.text("lines", n=f"{len(lines):,}")}</p>{note}'
        f'<pre class="handover-evidence-text">{spans}</pre>'
    )


def _lines(ctx: PageContext, entry: Published) -> str:
    separator = "、" if ctx.language == "ja" else ", "
    return separator.join(str(line) for line in entry.secret_lines) if entry.secret_lines else "?"


def _href(here: str, target: str) -> str:
    """*target* (a path from the output folder) as a link from a page in folder *here*.

    Both are clean relative paths the build made, so the link is worked out on their
    parts (posixpath.relpath asks the file system for the working folder, every call).
    """
    base = here.split("/") if here else []
    parts = target.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return uri_path("/".join([".."] * (len(base) - common) + parts[common:]))
