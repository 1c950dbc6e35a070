"""A directive or role that Sphinx, docutils or an extension cannot process ends in a
located line, not a traceback.

Some markup makes their code raise instead of warn (``.. hlist::`` with ``:columns: 0``
divides by zero while the page is read; a footnote reference ``[#]_`` without its
footnote stops the HTML writer). Those are their bugs, but the package's author meets
them as a crash report. Listing such constructs would miss the next one, so the two
places where a page's markup is run are guarded, whatever the construct:

- **reading** a page: the build stops with the page's file and the line of the
  directive being run (``[handover.markup_failed]``, exit 2), as for other input that
  cannot be read;
- **writing** a page: the node being written is dropped, reported at its line, and the
  page is written without it (a build warning: the package is not ready, exit 1).

Only ``Exception`` is caught, and only where a directive was being run or a node written:
an interrupt, a ``SystemExit``, the extension's own input errors and a failure raised in
handover-kit's own code (a bug, whose traceback is wanted) pass through as they are.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..i18n.messages import _
from ..model.errors import HandoverInputError, stop
from ..rules.rules_table import Rule

logger = logging.getLogger(__name__)

#: The extension's own code: a failure raised there is a bug to report, not markup.
_OWN_CODE = Path(__file__).resolve().parents[1]
#: Nodes dropped from one page before it is given up (each failure drops one).
_MAX_DROPPED = 20


def setup_markup_failures(app: Sphinx) -> None:
    app.connect("builder-inited", _guard)


def _guard(app: Sphinx) -> None:
    builder = app.builder
    # Sphinx declares read_doc final for subclasses; an instance's own guard is no subclass.
    setattr(builder, "read_doc", _guarded_read(app, builder.read_doc))  # noqa: B010
    setattr(builder, "write_doc", _guarded_write(builder.write_doc))  # noqa: B010


def _guarded_read(app: Sphinx, read_doc: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(read_doc)
    def read(docname: str, *args: Any, **kwargs: Any) -> None:
        try:
            read_doc(docname, *args, **kwargs)
        except (HandoverInputError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            name, line = _directive_being_run(error.__traceback__)
            if line is None or _raised_by_us(error.__traceback__):
                raise  # not a page's markup, or a bug of handover-kit's: its traceback is wanted
            path = os.path.relpath(app.env.doc2path(docname))
            message = _(
                "{what} could not be processed ({error}): Sphinx or an extension failed on it; change or remove it"
            ).format(what=_("the directive {name}").format(name=name) if name else _("this page"), error=_said(error))
            raise stop(HandoverInputError(path, message, line, rule=Rule.MARKUP_FAILED)) from error

    return read


def _guarded_write(write_doc: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(write_doc)
    def write(docname: str, doctree: nodes.document) -> None:
        for _attempt in range(_MAX_DROPPED):
            try:
                write_doc(docname, doctree)
                return
            except (HandoverInputError, KeyboardInterrupt, SystemExit):
                raise
            except Exception as error:
                node = _node_being_written(error.__traceback__)
                if node is None or node.parent is None or _raised_by_us(error.__traceback__):
                    raise
                logger.warning(
                    _("{node} could not be written ({error}): it is left out of the page; change or remove it").format(
                        node=node.tagname, error=_said(error)
                    ),
                    location=node,
                    type="handover",
                    subtype=Rule.MARKUP_FAILED.value,
                )
                node.parent.remove(node)
        write_doc(docname, doctree)

    return write


def _directive_being_run(trace: TracebackType | None) -> tuple[str | None, int | None]:
    """The name and line of the innermost directive docutils or MyST was running."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in _frames(trace):
        if frame.f_code.co_name != "run_directive":
            continue
        local = frame.f_locals
        line = local.get("lineno", local.get("position"))
        name = local.get("type_name", local.get("name"))
        if isinstance(line, int):
            found = (name if isinstance(name, str) else None, line)
    return found


def _node_being_written(trace: TracebackType | None) -> nodes.Element | None:
    """The innermost node a docutils visitor was visiting or departing."""
    found = None
    for frame in _frames(trace):
        if frame.f_code.co_name in ("dispatch_visit", "dispatch_departure"):
            node = frame.f_locals.get("node")
            if isinstance(node, nodes.Element):
                found = node
    return found


def _raised_by_us(trace: TracebackType | None) -> bool:
    """Whether the innermost frame is handover-kit's own code (its bug, not the page's)."""
    frames = _frames(trace)
    return bool(frames) and Path(frames[-1].f_code.co_filename).resolve().is_relative_to(_OWN_CODE)


def _frames(trace: TracebackType | None) -> list[Any]:
    frames = []
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    return frames


def _said(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
