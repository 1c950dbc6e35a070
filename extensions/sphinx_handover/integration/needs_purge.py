"""sphinx-needs forgets a document's needs only when it has read that document before.

Before Sphinx reads a document it asks every extension to forget what the document
held (``env-purge-doc``). sphinx-needs 9.1 answers by walking every need it holds
(``SphinxNeedsData.remove_doc``), so reading N documents afresh walks N times the
needs read so far: 8 of `handover check`'s 44 CPU seconds at 10,000 needs, and the
same in every full build. A document the environment has never read holds no needs, no
needextend and no needuml (sphinx-needs records them only while reading it), so its
purge is skipped; a document read before, changed or removed, is purged by sphinx-needs
as always. sphinx-needs' handler is found among Sphinx's listeners; with a version that
registers it differently nothing is changed, and tests/test_gate_rules.py says so.

sphinx-needs' purge also creates its index of documents holding needs, which its merge
of a parallel reader's data expects to find: without it, the first merge leaves the
index without its "all" key and a reader forked after that fails (``KeyError: 'all'``
with ``-j``). A skipped purge therefore still creates the index, as the purge would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

PURGE_EVENT = "env-purge-doc"


def setup_needs_purge(app: Sphinx) -> None:
    """Call after sphinx_needs is set up: puts the guard in place of its purge handler."""
    purge = _sphinx_needs_purge()
    if purge is None:
        return
    listeners = getattr(getattr(app, "events", None), "listeners", {})
    for listener in list(listeners.get(PURGE_EVENT, ())):
        if listener.handler is purge:
            app.disconnect(listener.id)
            app.connect(PURGE_EVENT, _only_documents_read(purge), priority=listener.priority)


def _only_documents_read(purge: Callable[..., Any]) -> Callable[[Sphinx, BuildEnvironment, str], None]:
    def purge_needs_of_documents_read(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        if docname in env.all_docs:
            purge(app, env, docname)
        else:
            _create_docs_index(env)

    return purge_needs_of_documents_read


def _create_docs_index(env: BuildEnvironment) -> None:
    try:
        from sphinx_needs.data import SphinxNeedsData
    except ImportError:
        return
    SphinxNeedsData(env).get_or_create_docs()


def _sphinx_needs_purge() -> Callable[..., Any] | None:
    try:
        from sphinx_needs.directives.need import purge_needs
    except ImportError:
        return None
    return purge_needs
