"""furo's site navigation, laid out once per build instead of once per page.

furo renders the whole site's toctree into the sidebar of every page: Sphinx copies and
renders the global toctree for each page, and furo parses that HTML again with
BeautifulSoup. Both are proportional to the number of pages, so a package with hundreds of
runbooks spends most of its build there, and doubling the package quadruples that part
(docs/benchmark.md). Yet the tree is the same on every page except for two things: the
links' relative paths, which depend only on the page's folder, and the branch marked
current. So the tree is laid out once, from furo's own output for a page outside it, and
each page gets it with those two filled in.

The result is byte for byte what furo writes (tests/test_navigation.py compares every
page). Where that cannot be promised, a page listed twice in the toctree, a link that
needs HTML escaping, another builder or theme, furo computes the navigation itself.
"""

from __future__ import annotations

import functools
import inspect
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util.osutil import relative_uri


class _TocTreeArgs(TypedDict):
    collapse: bool
    titles_only: bool
    maxdepth: int
    includehidden: bool


# What furo asks Sphinx for (furo/__init__.py, _compute_navigation_tree).
FURO_TOCTREE_ARGS: _TocTreeArgs = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
# Stands for a page outside the tree, in the root folder: its navigation has no current
# branch and its links are relative to the root.
_OUTSIDE = "\0handover-navigation"
_TAG = re.compile(r"<(/?)(ul|li|a|input)\b([^>]*)>")
_CLASS = re.compile(r'class="([^"]*)"')
_HREF = re.compile(r'href="([^"]*)"')
_NEEDS_ESCAPING = re.compile(r"[&<>\"']")


def setup_navigation(app: Sphinx) -> None:
    # Around furo's own handler (priority 500): it must find nothing to compute.
    app.connect("html-page-context", _before_furo, priority=400)
    app.connect("html-page-context", _after_furo, priority=600)
    app.connect("build-finished", _forget_layout)


@dataclass
class _Entry:
    """One <li> of the tree: where its tags are in the token list."""

    li: int
    parent: _Entry | None
    #: The <ul> it sits in.
    ul: int
    link: int = -1
    checkbox: int = -1


@dataclass
class Layout:
    """The navigation of a page outside the tree, cut where pages differ."""

    tokens: list[str]
    #: token index of each internal link -> (target URI, #anchor)
    links: dict[int, tuple[str, str]]
    #: target URI -> the entries linking to it
    entries_by_uri: dict[str, list[_Entry]]
    #: target URIs linked to with an #anchor
    anchored: set[str]
    _by_folder: dict[str, list[str]] = field(default_factory=dict)

    def for_page(self, page_uri: str) -> str | None:
        """This page's navigation; None if furo must compute it."""
        entries = self.entries_by_uri.get(page_uri, [])
        if len(entries) > 1 or page_uri in self.anchored:
            return None
        tokens = list(self._in_folder(page_uri))
        if entries:
            _mark_current(tokens, entries[0])
        return "".join(tokens)

    def _in_folder(self, page_uri: str) -> list[str]:
        folder = page_uri.rpartition("/")[0]
        tokens = self._by_folder.get(folder)
        if tokens is None:
            # Any page of the folder but none of the tree: the page's own link is
            # marked apart, so these are the same for every page in the folder.
            base = f"{folder}/{_OUTSIDE}" if folder else _OUTSIDE
            tokens = list(self.tokens)
            for index, (target, anchor) in self.links.items():
                href = relative_uri(base, target) + anchor
                tokens[index] = _HREF.sub(_literally(f'href="{href}"'), tokens[index], count=1)
            self._by_folder[folder] = tokens
        return tokens


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement taken as it is (``re.sub`` reads backslashes in a replacement string)."""
    return lambda _: text


def _item_class(match: re.Match[str], own_page: bool) -> str:
    return f'class="{_current_item_classes(match.group(1), own_page)}"'


def _mark_current(tokens: list[str], entry: _Entry) -> None:
    """What Sphinx and furo mark on the page's own entry and its ancestors."""
    link = tokens[entry.link]
    link = _CLASS.sub(lambda m: f'class="current {m.group(1)}"', link, count=1)
    tokens[entry.link] = _HREF.sub('href="#"', link, count=1)
    branch: _Entry | None = entry
    while branch is not None:
        classes = functools.partial(_item_class, own_page=branch is entry)
        tokens[branch.li] = _CLASS.sub(classes, tokens[branch.li], count=1)
        tokens[branch.ul] = _current_list(tokens[branch.ul])
        if branch.checkbox >= 0:
            tokens[branch.checkbox] = tokens[branch.checkbox].replace(
                ' class="toctree-checkbox"', ' checked="" class="toctree-checkbox"', 1
            )
        branch = branch.parent


def _current_item_classes(classes: str, own_page: bool) -> str:
    # Sphinx appends "current"; furo then appends "has-children", and "current-page" to
    # the last current item, which is the page's own.
    names = classes.split()
    furo_added = [name for name in names if name == "has-children"]
    names = [name for name in names if name != "has-children"] + ["current", *furo_added]
    if own_page:
        names.append("current-page")
    return " ".join(names)


def _current_list(tag: str) -> str:
    if 'class="' in tag:
        return _CLASS.sub(lambda m: f'class="{m.group(1)} current"', tag, count=1)
    return tag.replace("<ul", '<ul class="current"', 1)


def layout(html: str) -> Layout | None:
    """Cut furo's navigation of a page outside the tree; None if it is not as expected."""
    tokens: list[str] = []
    entries: list[_Entry] = []
    links: dict[int, tuple[str, str]] = {}
    entries_by_uri: dict[str, list[_Entry]] = {}
    anchored: set[str] = set()
    lists: list[int] = []
    items: list[_Entry] = []
    position = 0
    for match in _TAG.finditer(html):
        tokens.append(html[position : match.start()])
        tokens.append(match.group(0))
        position = match.end()
        index = len(tokens) - 1
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name == "ul":
            if closing:
                lists.pop()
            else:
                lists.append(index)
        elif name == "li":
            if closing:
                items.pop()
            elif not lists or not _CLASS.search(attributes):
                return None
            else:
                entry = _Entry(li=index, parent=items[-1] if items else None, ul=lists[-1])
                entries.append(entry)
                items.append(entry)
        elif closing or not items:
            continue
        elif name == "input":
            items[-1].checkbox = index
        elif items[-1].link < 0:  # the entry's own link, not one further down
            items[-1].link = index
            href = _HREF.search(attributes)
            if href is None or _NEEDS_ESCAPING.search(href.group(1)):
                return None
            classes = _CLASS.search(attributes)
            if classes is not None and "internal" in classes.group(1).split():
                target, hash_, anchor = href.group(1).partition("#")
                links[index] = (target, hash_ + anchor)
                if hash_:
                    anchored.add(target)
                else:
                    entries_by_uri.setdefault(target, []).append(items[-1])
    tokens.append(html[position:])
    if lists or items or any(entry.link < 0 for entry in entries):
        return None
    return Layout(tokens, links, entries_by_uri, anchored)


@dataclass
class _Pending:
    original: Callable[..., str]
    layout: Layout
    asked: bool = False


_LAYOUTS: weakref.WeakKeyDictionary[Builder, Layout | None] = weakref.WeakKeyDictionary()
_PENDING: weakref.WeakKeyDictionary[Sphinx, _Pending] = weakref.WeakKeyDictionary()


def _applies(app: Sphinx) -> bool:
    return (
        app.builder.name == "html"
        and isinstance(app.builder, StandaloneHTMLBuilder)
        and app.config.html_theme == "furo"
        and _furo_as_known()
    )


@functools.cache
def _furo_as_known() -> bool:
    """Whether the installed furo asks for the tree and shows it as this module expects,
    read from its source: a furo release that changes either keeps its own navigation
    rather than getting an empty one."""
    try:
        import furo

        asks = inspect.getsource(furo._compute_navigation_tree)
        shows = inspect.getsource(furo._html_page_context)
        template = Path(furo.__file__).parent / "theme" / "furo" / "sidebar" / "navigation.html"
        shown = "furo_navigation_tree" in template.read_text("utf-8")
    except (ImportError, AttributeError, OSError, TypeError):
        return False
    return (
        shown
        and all(f"{name}={value!r}" in asks for name, value in FURO_TOCTREE_ARGS.items())
        and 'context["furo_navigation_tree"] = _compute_navigation_tree(context)' in shows
    )


def _before_furo(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    original: Callable[..., str] | None = context.get("toctree")
    if original is None or not _applies(app) or (layout_ := _layout(app)) is None:
        return
    pending = _PENDING[app] = _Pending(original, layout_)

    def toctree(**kwargs: Any) -> str:
        if kwargs == FURO_TOCTREE_ARGS:
            pending.asked = True
            return ""  # furo turns this into an empty navigation, at no cost
        return original(**kwargs)

    context["toctree"] = toctree


def _after_furo(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    pending = _PENDING.pop(app, None)
    if pending is None:
        return
    context["toctree"] = pending.original
    if not pending.asked:
        return
    navigation = pending.layout.for_page(app.builder.get_target_uri(pagename))
    if navigation is None:
        from furo.navigation import get_navigation_tree

        navigation = get_navigation_tree(pending.original(**FURO_TOCTREE_ARGS))
    context["furo_navigation_tree"] = navigation


def _layout(app: Sphinx) -> Layout | None:
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):  # _applies has checked it: this tells the type
        return None
    if builder not in _LAYOUTS:
        _LAYOUTS[builder] = _compute_layout(builder)
    return _LAYOUTS[builder]


def _forget_layout(app: Sphinx, exception: BaseException | None) -> None:
    # The next build in this process may have another tree.
    _LAYOUTS.pop(app.builder, None)


def _compute_layout(builder: StandaloneHTMLBuilder) -> Layout | None:
    from furo.navigation import get_navigation_tree  # importable: _applies read furo

    tree = global_toctree_for_doc(builder.env, _OUTSIDE, builder, tags=builder.tags, **FURO_TOCTREE_ARGS)
    if tree is None:
        return None
    return layout(get_navigation_tree(builder.render_partial(tree)["fragment"]))
