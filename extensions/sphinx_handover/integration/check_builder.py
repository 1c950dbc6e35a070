"""``handover-check``: read and resolve every document and run the gate, write no pages.

The verdict is what reading, resolving and the gate find: a broken reference, an
unknown need in a role or a table's filter that fails is found only when a page is
resolved, and a ``check`` that skipped it said READY where the build said NOT READY.
Writing HTML (the translator, the theme, the search index) finds nothing more and is
most of a build's time, so ``handover check`` uses this builder.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.dummy import DummyBuilder

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


class HandoverCheckBuilder(DummyBuilder):
    name = "handover-check"
    epilog = "The handover gate ran; no pages were written."

    # Sphinx's write phase without the writing: every page is resolved as the build
    # resolves it (references, sphinx-needs' needs, tables, lists and flows with their
    # filters), so what resolving warns enters the verdict of `check` as it enters the
    # build's; DummyBuilder's write_doc writes nothing. Every page, in a warm `check` too:
    # which pages a change reaches is the writer's question, and `check` has no pages to
    # compare with.


ResolvedHandler = Callable[[Sphinx, nodes.document, str], None]


def only_for_pages(handler: ResolvedHandler) -> ResolvedHandler:
    """A ``doctree-resolved`` handler that shapes a page for its reader and cannot warn:
    ``check`` writes no page, so it does not run it (a third of resolving every page)."""

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
