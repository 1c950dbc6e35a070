"""Which documents hold which live views (kept in the environment, so it survives
incremental builds), and which documents show a given view."""

from __future__ import annotations

from sphinx.environment import BuildEnvironment

#: The environment attribute that holds, per document, the live views it shows.
_ATTRIBUTE = "handover_live_pages"
#: Directive name -> the class name of its placeholder node, as recorded per document.
_CLASS_NAMES: dict[str, str] = {}


def register(directive: str, class_name: str) -> None:
    _CLASS_NAMES[directive] = class_name


def of(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> the class names of the live views it holds, in page order."""
    pages: dict[str, list[str]] | None = getattr(env, _ATTRIBUTE, None)
    if pages is None:
        pages = {}
        setattr(env, _ATTRIBUTE, pages)
    return pages


def shows(env: BuildEnvironment, docname: str, directive: str) -> bool:
    """Whether *docname* holds the live view *directive* (asked once per page written)."""
    return _CLASS_NAMES.get(directive) in of(env).get(docname, ())


def pages_showing(env: BuildEnvironment, directive: str) -> list[str]:
    """The documents that hold the live view *directive*, in name order."""
    class_name = _CLASS_NAMES.get(directive)
    return sorted(docname for docname, views in of(env).items() if class_name in views)
