"""The one way package text enters the DOT source of the views' diagrams.

The views draw the traceability and escalation diagrams with the graphviz package. Its
quoting keeps a string that looks like an HTML-like label (``<...>``) as it is, keeps
backslash escapes (``\\N``, ``\\l``, ``\\"``) and reads ``a:b`` at an edge's end as a node
and a port. Package text reaches all of those places: need titles and ids, handover.yaml
values, and page file names, which name a chapter's graph. A page named ``<a> { x
[label=... URL=...] } digraph <b>.md`` ended the graph's name and drew a graph of its own
in place of its chapter's diagram.

:class:`TextDigraph` takes every graph, node and edge-end name and every attribute value
as text: each passes :func:`graphviz.escape` (backslashes doubled, never HTML-like) and is
then quoted whole. So callers pass plain text, never escaped text, and nothing in it can
end its string, add an attribute, a node or a graph, or draw a label of its own. For
ordinary text the DOT source is the one the graphviz package writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import graphviz
from graphviz import quoting

_Attributes = Mapping[str, object] | Iterable[tuple[str, object]] | None


def _text(value: object) -> str:
    # graphviz.escape's str subclass is what tells its quoting "not HTML": keep it (no str()).
    escaped: str = graphviz.escape(str(value))
    return escaped


def _quoted(identifier: str) -> str:
    """A name as one DOT ID: no HTML-like label, no port, no escape sequence."""
    quoted: str = quoting.quote(_text(identifier))
    return quoted


def _texts(attributes: _Attributes) -> dict[str, str] | list[tuple[str, str]] | None:
    if attributes is None:
        return None
    if isinstance(attributes, Mapping):
        return {str(key): _text(value) for key, value in attributes.items() if value is not None}
    return [(str(key), _text(value)) for key, value in attributes if value is not None]


def _a_list(label: str | None = None, kwargs: _Attributes = None, attributes: _Attributes = None) -> str:
    text = None if label is None else _text(label)
    content: str = quoting.a_list(text, kwargs=_texts(kwargs), attributes=_texts(attributes))
    return content


def _attr_list(label: str | None = None, kwargs: _Attributes = None, attributes: _Attributes = None) -> str:
    content = _a_list(label, kwargs=kwargs, attributes=attributes)
    return f" [{content}]" if content else ""


class TextDigraph(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no types: Digraph is Any
    """A ``graphviz.Digraph`` whose names and attribute values are all text."""

    _quote = staticmethod(_quoted)
    _quote_edge = staticmethod(_quoted)
    _a_list = staticmethod(_a_list)
    _attr_list = staticmethod(_attr_list)
