"""``handover-check``: the build without its files: read, resolve and translate every
page, run the gate, write nothing.

The verdict is what reading, resolving, translating and the gate find, and ``check``
must find all of it: a broken reference, an unknown need in a role or a table's filter
that fails is found only when a page is resolved; a code block Pygments cannot lex, or a
node the HTML writer fails on (:mod:`.markup_failures`), only when it is translated. A
``check`` that skipped either said READY where the build said NOT READY. So this builder
is Sphinx's HTML builder (same format, same ``only`` tags, same translator and the same
extensions' HTML visitors) minus what only makes files: the templates, the search index,
the static files, images and downloads, the pages sphinx-needs and handover-kit add.
What those skip cannot warn; :func:`writes_site` tells handover-kit's own handlers
apart, and the output folder is discarded after (``handover check`` writes no page).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.ext.graphviz import graphviz

#: Sphinx's transforms that only shape a page for its writer: none of them can warn,
#: and nothing read while checking (needs, the environment's collectors, the gate)
#: looks at what they change. Sphinx skips the first three itself for its gettext
#: builder. Each walks every node of every page: 0.2 of ``check``'s 3.2 CPU seconds
#: at 1,000 needs. Named, not imported: one Sphinx renames is simply run again.
WRITERS_ONLY_TRANSFORMS = {
    ("sphinx.transforms.i18n", "TranslationProgressTotaliser"),
    ("sphinx.transforms.i18n", "AddTranslationClasses"),
    ("sphinx.transforms.i18n", "RemoveTranslatableInline"),
    ("sphinx.builders.latex.transforms", "FootnoteDocnameUpdater"),
}


class HandoverCheckBuilder(StandaloneHTMLBuilder):
    name = "handover-check"
    epilog = "The handover gate ran; no pages were written."
    search = False  # prepare_writing makes no indexer: index_page feeds none
    copysource = False

    def get_outdated_docs(self) -> Iterator[str]:
        # Every page, in a warm `check` too: which pages a change reaches is the
        # writer's question, and `check` has no pages to compare with.
        yield from self.env.found_docs

    def copy_assets(self) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        # A diagram is translated by running dot, which draws a picture and finds
        # nothing: the package's own DOT source was run through dot when it was read
        # (graphviz_fallback, [handover.diagram_invalid]), in `check` as in the build.
        for diagram in list(doctree.findall(graphviz)):
            diagram.parent.remove(diagram)
        super().write_doc(docname, doctree)

    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        return {}  # the template's context (the navigation, the page's table of contents)

    def handle_page(self, *args: Any, **kwargs: Any) -> None:
        pass  # the page is translated; its template and file are the site's

    def finish(self) -> None:
        pass  # indices, extensions' pages, images, the search index, .buildinfo


def writes_site(app: Sphinx) -> bool:
    """Whether this build writes the HTML site (not ``check``, which translates pages
    as the build does but writes nothing): the handlers that copy assets, publish
    artifacts or shape pages for readers run only then."""
    return app.builder.format == "html" and not isinstance(app.builder, HandoverCheckBuilder)


ResolvedHandler = Callable[[Sphinx, nodes.document, str], None]


def only_for_pages(handler: ResolvedHandler) -> ResolvedHandler:
    """A ``doctree-resolved`` handler that shapes a page for its reader: ``check`` does
    not run it (a third of resolving every page). Such a handler cannot warn, and what
    it leaves out the translator writes as the build would (a live view unfilled is
    written as nothing), so ``check`` and the build warn alike."""

    @functools.wraps(handler)
    def for_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if not isinstance(app.builder, HandoverCheckBuilder):
            handler(app, doctree, docname)

    return for_pages


def setup_check_builder(app: Sphinx) -> None:
    app.add_builder(HandoverCheckBuilder)
    app.connect("builder-inited", _skip_writers_only_transforms)


def _skip_writers_only_transforms(app: Sphinx) -> None:
    if isinstance(app.builder, HandoverCheckBuilder):
        app.registry.transforms[:] = [
            transform
            for transform in app.registry.get_transforms()
            if (transform.__module__, transform.__name__) not in WRITERS_ONLY_TRANSFORMS
        ]
