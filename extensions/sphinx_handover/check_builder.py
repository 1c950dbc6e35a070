"""``handover-check``: read every document and run the gate, write no pages.

Reading and the gate are the whole verdict; resolving and writing HTML pages is most
of a build's time and adds nothing to it, so ``handover check`` uses this builder.
"""

from __future__ import annotations

from collections.abc import Set

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.dummy import DummyBuilder


class HandoverCheckBuilder(DummyBuilder):
    name = "handover-check"
    epilog = "The handover gate ran; no pages were written."

    def write_doctree(self, docname: str, doctree: nodes.document, *, _cache: bool = True) -> None:
        """Only mark the document as read.

        A doctree is kept for the writers, and this builder has none; Sphinx looks
        only at whether the file exists to tell a document read before from a new one,
        so an empty file keeps ``check`` incremental. Pickling every doctree and
        holding it in memory cost 0.15 of ``check``'s 3.7 CPU seconds and 28 MB of its
        163 MB at 1,000 needs.
        """
        marker = self.doctreedir / f"{docname}.doctree"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()

    def write_documents(self, docnames: Set[str]) -> None:
        pass


def setup_check_builder(app: Sphinx) -> None:
    app.add_builder(HandoverCheckBuilder)
