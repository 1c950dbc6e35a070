"""Every raw HTML node of a page written through the allow-list sanitizer.

MyST writes Markdown's HTML blocks and inline HTML as docutils ``raw`` nodes, and so do
``{raw} html``, ``eval-rst``'s ``.. raw:: html``, need bodies and whatever another
extension adds. All of them are sanitized here (:func:`.html_policy.sanitize`), twice:
when a document is read (before Sphinx copies its titles into the navigation, the
previous/next links and the table of contents) and when it is resolved for writing, as
late as possible, after sphinx-needs and every other handler that may add nodes.

MyST splits HTML around Markdown: ``<details>``, a Markdown paragraph, ``</details>``
are three siblings, and ``<span class="x">``, text, ``</span>`` likewise inline.
Sanitizing each alone would close the ``<details>`` at once and drop the stray end tag.
So the raw siblings of one parent are sanitized together, as one fragment in which each
node between them is a placeholder; the result is cut at the placeholders again. A
placeholder the sanitizer does not keep as text in place (inside a dropped ``<script>``,
inside an attribute) means the markup around it is not what it seems: the whole group is
then shown as text instead.

The site's own HTML (its charts and diagrams, drawn by handover-kit from escaped data)
is built as :class:`trusted_html`, a node class no directive can create; a class or an
attribute would be settable from a package.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx

from ..i18n.messages import _
from ..integration.check_builder import only_for_pages
from ..integration.need_sources import SourceError, first_line_where, record_source_error
from ..rules.rules_table import Rule
from .html_policy import is_reserved_class, sanitize, url_is_allowed
from .html_tokens import start_tags

_PLACEHOLDER_START, _PLACEHOLDER_END = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_PLACEHOLDER_START}(\\d+){_PLACEHOLDER_END}")
_PRIVATE = str.maketrans({_PLACEHOLDER_START: "\ufffd", _PLACEHOLDER_END: "\ufffd"})


class trusted_html(nodes.raw):  # type: ignore[misc]  # docutils ships no types: nodes.raw is Any
    """Raw HTML that handover-kit itself builds from escaped data; never sanitized."""


def trusted_html_node(markup: str) -> trusted_html:
    return trusted_html("", markup, format="html")


def setup_html_sanitizing(app: Sphinx) -> None:
    # Sphinx's translators find visit_raw through the class hierarchy; registering the
    # class keeps pickled doctrees and other builders aware of it.
    app.add_node(trusted_html)
    app.connect("doctree-read", sanitize_read, priority=100)
    app.connect("doctree-resolved", only_for_pages(sanitize_resolved), priority=999)


def sanitize_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    _drop_reserved_classes(doctree)
    for meta in sanitize_doctree(doctree):
        attributes = ", ".join(f"{key}={value!r}" for key, value in meta.attributes.items() if value)
        # The option line that names it: eval-rst's line numbers count from the block, not the page.
        named = f"http-equiv={meta['http-equiv']}" if meta.get("http-equiv") else meta.get("name", "")
        line = first_line_where(env, env.docname, _holds(f":{named}".lower()))
        message = _(
            "a <meta> element with {attributes} would go into the page's head (a refresh sends the reader elsewhere): "
            "it is dropped; a page's head may only hold a description, keywords or an author"
        ).format(attributes=attributes)
        record_source_error(env, SourceError(env.docname, line, Rule.UNSAFE_HTML, message))


def sanitize_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    sanitize_doctree(doctree)


def sanitize_doctree(doctree: nodes.Node) -> list[nodes.meta]:
    """Sanitize every untrusted HTML raw node and drop links with a disallowed scheme and
    ``<meta>`` elements a page may not put in its head (returned, for the report)."""
    parents: dict[int, nodes.Element] = {}
    for raw in list(doctree.findall(nodes.raw)):
        if _is_package_html(raw) and raw.parent is not None:
            parents.setdefault(id(raw.parent), raw.parent)
    for parent in parents.values():
        _sanitize_children(parent)
    _neutralise_urls(doctree)
    return _drop_head_meta(doctree)


def _is_package_html(node: nodes.raw) -> bool:
    return not isinstance(node, trusted_html) and "html" in node.get("format", "").lower().split()


def _sanitize_children(parent: nodes.Element) -> None:
    children = list(parent.children)
    raws = [index for index, child in enumerate(children) if isinstance(child, nodes.raw) and _is_package_html(child)]
    first, last = raws[0], raws[-1]
    pieces = []
    for index in range(first, last + 1):
        child = children[index]
        if index in raws:
            pieces.append(child.astext().translate(_PRIVATE))
        else:
            pieces.append(f"{_PLACEHOLDER_START}{index}{_PLACEHOLDER_END}")
    cleaned = sanitize("".join(pieces))
    parts = _PLACEHOLDER.split(cleaned)
    kept = [int(number) for number in parts[1::2]]
    expected = [index for index in range(first, last + 1) if index not in raws]
    if kept != expected or _placeholder_in_a_tag(cleaned):
        _show_as_text(parent, [children[index] for index in raws])
        return
    # parts: html, index, html, ..., index, html: the html between two kept nodes.
    boundaries = [first - 1, *expected, last + 1]
    for (before, after), markup in zip(itertools.pairwise(boundaries), parts[0::2], strict=True):
        group = [children[index] for index in range(before + 1, after) if index in raws]
        if group:
            group[0].replace_self(nodes.raw("", markup, format="html"))
            for extra in group[1:]:
                parent.remove(extra)
        elif markup:
            parent.insert(parent.index(children[after]), nodes.raw("", markup, format="html"))


def _placeholder_in_a_tag(markup: str) -> bool:
    return _PLACEHOLDER_START in markup and any(
        _PLACEHOLDER_START in value for tag in start_tags(markup) for _, value in tag.attributes
    )


def _show_as_text(parent: nodes.Element, raws: list[nodes.raw]) -> None:
    for raw in raws:
        text = raw.astext()
        replacement = (
            nodes.literal(text, text) if isinstance(parent, nodes.TextElement) else nodes.literal_block(text, text)
        )
        parent.replace(raw, replacement)


def _neutralise_urls(doctree: nodes.Node) -> None:
    """Markdown links and images get the same URL rule as HTML: the link keeps its text,
    an image becomes its alt text. A link whose URL is refused is replaced by what it
    holds: a reference left without a URL or an id stops Sphinx's HTML writer."""
    for reference in list(doctree.findall(nodes.reference)):
        if "refuri" in reference and not url_is_allowed(reference["refuri"]):
            reference.replace_self(reference.children)
    for target in doctree.findall(nodes.target):
        if not url_is_allowed(target.get("refuri", "")):
            del target["refuri"]
    for image in list(doctree.findall(nodes.image)):
        if not url_is_allowed(image.get("uri", ""), image=True):
            alt = image.get("alt", "")
            image.replace_self(
                nodes.Text(alt) if isinstance(image.parent, nodes.TextElement) else nodes.paragraph(text=alt)
            )


#: The ``<meta>`` a page may put in its head (reST's ``meta`` directive): a description
#: for search engines. ``http-equiv`` (a refresh that sends the reader elsewhere, a
#: policy of the page's own) and every other name are dropped.
_META_NAMES = frozenset({"description", "keywords", "author"})


def _drop_reserved_classes(doctree: nodes.document) -> None:
    """What a page's markup made (a container, a class directive, a role, a directive's
    :class:) carries none of the site's own classes: handover-kit's views are only
    placeholders while a page is read, and get their classes after this."""
    for element in doctree.findall(nodes.Element):
        classes = element.get("classes")
        if classes and any(is_reserved_class(name) for name in classes):
            element["classes"] = [name for name in classes if not is_reserved_class(name)]


def _holds(text: str) -> Callable[[str], bool]:
    return lambda source: text in source.lower()


def _drop_head_meta(doctree: nodes.Node) -> list[nodes.meta]:
    refused = [
        meta
        for meta in doctree.findall(nodes.meta)
        if set(meta.non_default_attributes()) - {"name", "content", "lang"}
        or meta.get("name", "").lower() not in _META_NAMES
    ]
    for meta in refused:
        meta.parent.remove(meta)
    return refused
