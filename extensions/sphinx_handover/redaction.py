"""Keeping secrets out of the build's output, and reporting them as ``handover.secret``.

The package is scanned once, before any document is read. Each secret is then
replaced by ``[REDACTED]`` in the Markdown as Sphinx reads it (so the pages, titles
and search index never hold it), in every text node before a page is written (values
that come from handover.yaml or need options), in the JSON and JUnit reports, and an
artifact holding one is not copied into the site.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from . import state, unsafe_html
from .errors import HandoverInputError
from .scan_cache import ScanCache
from .secrets_scan import package_files, read_texts, redact, scan_files


def setup_redaction(app: Sphinx) -> None:
    app.connect("builder-inited", scan_package, priority=100)
    app.connect("source-read", redact_source)
    # Last: after every view and sphinx-needs have put their text in the page.
    app.connect("doctree-resolved", redact_doctree, priority=990)


def scan_package(app: Sphinx) -> None:
    build = state.of(app)
    outputs = [Path(app.outdir), Path(app.doctreedir)]
    files = package_files(build.root, skip=outputs)
    require_bounded_sizes(files, build.data.policy.max_file_mb)
    texts = read_texts(files)
    require_readable_sources(build.root, texts)
    cache = ScanCache(Path(app.doctreedir))
    unknown = cache.unknown(texts)
    build.secrets = scan_files(unknown)
    build.unsafe_html = unsafe_html.scan(unknown)
    flagged = {finding.path for finding in build.secrets} | {markup.path for markup in build.unsafe_html}
    cache.save(texts, flagged)


_SOURCE_SUFFIXES = (".md", ".yaml", ".yml", ".py")


def require_bounded_sizes(files: Iterable[Path], max_mb: int) -> None:
    """A file over the limit stops the build (exit 2) before anything reads it."""
    for path in files:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise HandoverInputError(
                os.path.relpath(path),
                f"is {size / 1024 / 1024:.1f} MB, over the {max_mb} MB a package file may be "
                "(policy.max_file_mb in handover.yaml): keep the whole file in the log archive "
                "and put an excerpt or a summary in the package",
                1,
            )


def require_readable_sources(root: Path, texts: Mapping[Path, str | None]) -> None:
    """A source that is not UTF-8 or is empty stops the build (exit 2) with its location,
    rather than becoming '?' characters or an empty page."""
    for path, text in texts.items():
        if path.suffix not in _SOURCE_SUFFIXES or path.relative_to(root).parts[0] == "evidence":
            continue
        display = os.path.relpath(path)
        if text is None:
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise HandoverInputError(display, "is not valid UTF-8 text (save it as UTF-8)", line) from exc
            raise HandoverInputError(display, "cannot be read")
        if not text.strip():
            raise HandoverInputError(display, "is empty: write its content or delete the file", 1)


def secret_values(app: Sphinx) -> list[str]:
    return [finding.value for finding in state.of(app).secrets]


def redact_source(app: Sphinx, docname: str, source: list[str]) -> None:
    values = secret_values(app)
    if values:
        source[0] = redact(source[0], values)


def redact_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    values = secret_values(app)
    if not values:
        return
    for text in list(doctree.findall(nodes.Text)):
        cleaned = redact(str(text), values)
        if cleaned != str(text):
            text.parent.replace(text, nodes.Text(cleaned))
    for raw in doctree.findall(nodes.raw):
        for index, child in enumerate(raw.children):
            raw.children[index] = nodes.Text(redact(str(child), values))
