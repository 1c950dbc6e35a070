"""Every handover need the gate counts is shown on its page, where it is written.

The site is how reviewers see what the verdict rests on. sphinx-needs creates a need
from its block whatever surrounds it, so a record could count for READY while its page
shows nothing of it: a block inside ``{only} latex``, inside a container or a section
whose class the theme hides (``only-dark``), or inside another need. Listing such forms
would miss the next one; instead a need's place is allowed, not refused: every block
around its node must be one that shows its content as it is (a section, a list, a quote,
an admonition of a named kind) and carry no class. HTML blocks count as blocks too:
an element that HTML written before the need opens and does not close (``<details>``
folds it, ``<del>`` strikes it through, ``<small>`` shrinks it) holds the need on the
page, so it must be a plain ``<div>`` or ``<blockquote>``. A need written anywhere else
is an input error at its line. The fields that hide a need or change its box wherever they are
set (``:hide:``, ``:style:``...) are the gate's to refuse (``model.needs``), since
needextend can set them after the page is read; a need that was not made at all
(``:delete:``, a block sphinx-needs refused) counts for nothing and is not reported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.nodes import Need

from ..i18n.messages import _
from ..rules.rules_table import Rule
from .need_sources import SourceError, record_source_error, written_on


def setup_need_placement(app: Sphinx) -> None:
    app.connect("doctree-read", _check_placement)


def _check_placement(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    for error in misplaced_needs(doctree, env.docname, written_on(env, env.docname)):
        record_source_error(env, error)


#: Blocks that show what they hold as it is, when they carry no class.
_SHOWING = (
    nodes.section,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.block_quote,
    nodes.attention,
    nodes.caution,
    nodes.danger,
    nodes.error,
    nodes.hint,
    nodes.important,
    nodes.note,
    nodes.tip,
    nodes.warning,
)


def misplaced_needs(doctree: nodes.document, docname: str, written: Mapping[str, int]) -> Iterable[SourceError]:
    """Errors for the needs *written* on the page (id -> line) that it would not show."""
    shown: dict[str, Need] = {}
    html = _HtmlAround()
    for node in doctree.findall(Need):
        for need_id in node["ids"]:
            shown[need_id] = node
    for need_id, line in sorted(written.items(), key=lambda item: item[1]):
        node = shown.get(need_id)
        around = None if node is None else _first_block_around(node, html)
        if around is not None:
            message = _(
                "{id} is written inside {block}: the site shows every need the verdict counts where it is "
                "written; write it in a section, a list or a note, outside other blocks and without a class"
            ).format(id=need_id, block=around)
            yield SourceError(docname, line, Rule.HIDDEN_NEED, message, need_id)


def _first_block_around(node: nodes.Element, html: _HtmlAround) -> str | None:
    child, parent = node, node.parent
    while parent is not None:
        if (element := html.element(parent, child)) is not None:
            return element
        if isinstance(parent, nodes.document):
            return None
        if not isinstance(parent, _SHOWING) or parent["classes"]:
            classes = " ".join(parent["classes"])
            return f"{parent.tagname} ({classes})" if classes else parent.tagname
        child, parent = parent, parent.parent
    return None


#: HTML elements that show what they hold as it is, when written without attributes.
_SHOWING_HTML = frozenset({"div", "blockquote"})


class _HtmlAround:
    """For each child of a parent, the first element that the HTML blocks before it leave
    open around it and that does not show its content as it is; one pass per parent."""

    def __init__(self) -> None:
        self._by_parent: dict[int, list[str | None]] = {}

    def element(self, parent: nodes.Element, child: nodes.Node) -> str | None:
        found = self._by_parent.get(id(parent))
        if found is None:
            found = self._by_parent[id(parent)] = _elements_around_children(parent)
        index: int = parent.index(child)
        return found[index]


def _elements_around_children(parent: nodes.Element) -> list[str | None]:
    elements, found, around = _OpenElements(), [], None
    for child in parent.children:
        if isinstance(child, nodes.raw) and "html" in child.get("format", ""):
            elements.feed(child.astext())
            around = next(
                (f"<{name}> (HTML)" for name, attributes in elements.open if name not in _SHOWING_HTML or attributes),
                None,
            )
        found.append(around)
    return found


#: Elements that have no end tag and hold nothing.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _OpenElements(HTMLParser):
    """The elements still open after the HTML fed so far, outermost first. It reads HTML
    the sanitizer wrote (:mod:`..untrusted.html_sanitizing` runs first): well formed, so
    Python's parser reads every tag as it is fed, in linear time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append((tag, bool(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return
