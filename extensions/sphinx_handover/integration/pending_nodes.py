"""Directives that MyST's ``{eval-rst}`` leaves unapplied are applied, or refused, at their line.

Some docutils directives do their work after parsing: they leave a ``pending`` node that a
transform replaces. Inside ``{eval-rst}`` MyST does not hand those nodes to the document's
transformer, so they stay in the tree and Sphinx's HTML writer stops on the first one with
a traceback (``.. rst-class::`` before a heading is enough). The class directive is
applied here as docutils would have applied it, so the class reaches the section it names
(and the need placement check sees it); any other leftover is a located warning and is
dropped, so the page is written.
"""

from __future__ import annotations

from docutils import nodes
from docutils.transforms.misc import ClassAttribute
from sphinx.application import Sphinx
from sphinx.util import logging

from ..i18n.messages import _

logger = logging.getLogger(__name__)

#: Before the handlers that read the tree (need placement), which run at the default 500.
_PRIORITY = 400


def setup_pending_nodes(app: Sphinx) -> None:
    app.connect("doctree-read", _apply_leftovers, priority=_PRIORITY)


def _apply_leftovers(app: Sphinx, doctree: nodes.document) -> None:
    for pending in list(doctree.findall(nodes.pending)):
        if pending.parent is None:
            continue  # removed with an earlier one's target
        if pending.transform is ClassAttribute:
            ClassAttribute(doctree, startnode=pending).apply()
            continue
        directive = pending.details.get("directive", pending.transform.__name__)
        logger.warning(
            _("{directive} could not be applied here (inside {{eval-rst}}); it is ignored").format(directive=directive),
            location=pending,
            type="docutils",  # a Sphinx warning of the page, as docutils' own would be: not ready
        )
        pending.parent.remove(pending)
