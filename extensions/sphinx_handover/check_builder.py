"""``handover-check``: read every document and run the gate, write no pages.

Reading and the gate are the whole verdict; resolving and writing HTML pages is most
of a build's time and adds nothing to it, so ``handover check`` uses this builder.
"""

from __future__ import annotations

from collections.abc import Set

from sphinx.application import Sphinx
from sphinx.builders.dummy import DummyBuilder


class HandoverCheckBuilder(DummyBuilder):
    name = "handover-check"
    epilog = "The handover gate ran; no pages were written."

    def write_documents(self, docnames: Set[str]) -> None:
        pass


def setup_check_builder(app: Sphinx) -> None:
    app.add_builder(HandoverCheckBuilder)
