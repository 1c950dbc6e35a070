"""Keeping secrets out of the build's output, and reporting them as ``handover.secret``.

The package is scanned once, as soon as the configuration is read and before any
document is. Each secret is then replaced by ``[REDACTED]`` in the *data* it reaches
the output through, never in finished output text (:mod:`.redact_values`): the
parsed values of handover.yaml (tables, diagrams' DOT labels, the verdict's system
name), the configuration values templates show (``project``, ``html_title``,
``copyright``), the Markdown as Sphinx reads it and every file an include reads (so
pages, titles and the search index never hold it), every text node and attribute of a
page before it is written, the build's console messages, and the JSON and JUnit
reports (:mod:`.gate`, :mod:`handover_kit.review.junit`). An artifact holding one is not
published, nor is a download or image holding one (:mod:`.withheld_files`). Which files were scanned, and how, is :class:`.secrets_scan.ScanResult`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..integration import state
from ..integration.check_builder import only_for_pages
from ..model.errors import HandoverInputError, stops_the_build
from ..rules.placeholders import find_markers
from ..rules.rules_table import Rule
from ..untrusted import unsafe_html
from .redact_values import redact, redact_data
from .scan_cache import ScanCache
from .secrets_scan import package_files, read_texts, scan_package_files
from .withheld_files import withhold_unpublishable_files

#: Configuration values that themes and templates show on every page.
_SHOWN_CONFIG = ("project", "html_title", "html_short_title", "copyright", "author")


def setup_redaction(app: Sphinx) -> None:
    # After configure_package (5) has read handover.yaml, before sphinx-needs reads its
    # configuration (10) and before the environment compares the configuration.
    app.connect("config-inited", scan_package, priority=6)
    app.connect("source-read", redact_source)
    app.connect("include-read", redact_included)
    app.connect("env-updated", withhold_unpublishable_files)
    # Last: after every view and sphinx-needs have put their text in the page.
    app.connect("doctree-resolved", only_for_pages(redact_doctree), priority=990)
    app.connect("build-finished", _stop_redacting_messages, priority=999)


@stops_the_build
def scan_package(app: Sphinx, config: Config) -> None:
    build = state.of(app)
    outputs = [Path(app.outdir), Path(app.doctreedir)]
    files = package_files(build.root, skip=outputs)
    require_bounded_sizes(files, build.data.policy.max_file_mb)
    texts = read_texts(files)
    require_readable_sources(build.root, texts)
    cache = ScanCache(Path(app.doctreedir))
    unknown = cache.unknown(texts)
    build.scan = scan_package_files(files, unknown)
    build.secrets = build.scan.findings
    build.unsafe_html = unsafe_html.scan(unknown)
    # In every text, not only those the cache does not know: the verdict is new each build.
    build.placeholders = find_markers(texts)
    flagged = {finding.path for finding in build.secrets} | {markup.path for markup in build.unsafe_html}
    cache.save(texts, flagged)
    values = secret_values(app)
    if values:
        build.data = redact_data(build.data, values)
        for name in _SHOWN_CONFIG:
            if name in config and isinstance(config[name], str):
                config[name] = redact(config[name], values)
        _redact_messages(app, values)


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
                rule=Rule.PACKAGE_FILE,
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
                raise HandoverInputError(
                    display, "is not valid UTF-8 text (save it as UTF-8)", line, rule=Rule.PACKAGE_FILE
                ) from exc
            raise HandoverInputError(display, "cannot be read", rule=Rule.PACKAGE_FILE)
        if not text.strip():
            raise HandoverInputError(
                display, "is empty: write its content or delete the file", 1, rule=Rule.PACKAGE_FILE
            )


def secret_values(app: Sphinx) -> list[str]:
    return [finding.value for finding in state.of(app).secrets]


def redact_source(app: Sphinx, docname: str, source: list[str]) -> None:
    values = secret_values(app)
    if values:
        source[0] = redact(source[0], values)


def redact_included(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """A file an include directive reads never passes through source-read."""
    values = secret_values(app)
    if values:
        content[0] = redact(content[0], values)


def redact_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Text nodes, raw nodes and every string attribute (a diagram's DOT ``code``, an
    image's ``alt``, a link's ``refuri``), before the page is written."""
    values = secret_values(app)
    if not values:
        return
    for text in list(doctree.findall(nodes.Text)):
        cleaned = redact(str(text), values)
        if cleaned != str(text):
            text.parent.replace(text, nodes.Text(cleaned))
    for element in doctree.findall(nodes.Element):
        for name, value in list(element.attributes.items()):
            if isinstance(value, str) and value:
                element.attributes[name] = redact(value, values)
            elif isinstance(value, (list, dict)) and value:
                element.attributes[name] = redact_data(value, values)


class _RedactingFilter(logging.Filter):
    """Rewrites a record's message, once formatted, before a console handler shows it."""

    def __init__(self, values: list[str]) -> None:
        super().__init__("handover-redaction")
        self.values = values

    def filter(self, record: logging.LogRecord) -> bool:
        # The record's own text, without the location and prefix Sphinx's records add.
        message = logging.LogRecord.getMessage(record)
        cleaned = redact(message, self.values)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        location = getattr(record, "location", None)
        if isinstance(location, str):
            record.location = redact(location, self.values)
        return True


def _redact_messages(app: Sphinx, values: list[str]) -> None:
    """Sphinx's console handlers (and the warning collector, attached later, reads the
    same record) see redacted messages: a filter on each handler of its logger."""
    redacting = _RedactingFilter(values)
    for handler in logging.getLogger("sphinx").handlers:
        handler.addFilter(redacting)
    state.of(app).message_filter = redacting


def _stop_redacting_messages(app: Sphinx, exception: Exception | None) -> None:
    build = state.of_or_none(app)
    redacting = getattr(build, "message_filter", None)
    if redacting is not None:
        for handler in logging.getLogger("sphinx").handlers:
            handler.removeFilter(redacting)
