"""The one allow-list every piece of package HTML passes through, and the URL rule.

Raw HTML written in a package reaches reviewers' browsers. Lists of known-bad forms
(``<script``, ``on...=``, ``javascript:``) kept failing: browsers accept handlers on the
next line or after ``/``, entity-encoded or tab-split schemes, ``srcdoc``, data URLs and
a dozen elements that load or run something. So the HTML is parsed as a browser parses
it (html5ever, through nh3, the binding of Rust's ammonia) and only what is listed here
is written back: ordinary documentation markup, and URLs that are relative or use http,
https or mailto. Everything else is dropped, whatever it is called. No class of the
site's own (``handover-...``) is kept: a page must not dress itself as the verdict.
"""

from __future__ import annotations

import html
import re

import nh3

#: Elements of ordinary documentation: text-level markup, lists, tables, figures,
#: details/summary. Nothing that runs, loads a document, submits or styles.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite", "code",
        "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
        "tr", "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip

#: Attributes per element ("*": every element). No id or name (they could shadow the
#: site's own anchors and script globals), no style, no data-*, no event handlers.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign", "scope", "abbr"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "table": {"align", "width"},
}

#: The only URL schemes a link may use; anything without a scheme is relative.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
#: Images load as the page opens, so only from the site or over https.
_IMAGE_SCHEMES = frozenset({"https"})

#: Removed with everything inside them (a script's text is not documentation).
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
        "embed", "applet", "noembed", "noframes", "xmp", "title", "textarea",
    }
)  # fmt: skip

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
#: What a browser's URL parser ignores: ASCII tab and newlines anywhere, C0 controls
#: and spaces at either end.
_IGNORED_ANYWHERE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in *value* (an attribute value as written, with
    entities), lower-cased, or None for a relative URL."""
    decoded = html.unescape(value).translate(_IGNORED_ANYWHERE).strip(_C0_AND_SPACE)
    match = _SCHEME.match(decoded)
    return match.group(1).lower() if match else None


def url_is_allowed(value: str, *, image: bool = False) -> bool:
    """Whether *value* is relative or uses an allowed scheme (for an image: https)."""
    scheme = url_scheme(value)
    return scheme is None or scheme in (_IMAGE_SCHEMES if image else ALLOWED_SCHEMES)


#: The site's own classes: handover.css draws the verdict banner, badges, statuses and
#: views with them, so a page that could set them could draw a READY banner of its own.
RESERVED_CLASS_PREFIX = "handover-"
#: The one reserved class a page's markup makes itself: the ``{handover-date}`` role's.
_CLASSES_PAGES_MAKE = frozenset({"handover-date"})


def _site_class(name: str) -> bool:
    return name.lower().startswith(RESERVED_CLASS_PREFIX)


def is_reserved_class(name: str) -> bool:
    """A class a page's markup may not carry; raw HTML may carry none of the site's."""
    return _site_class(name) and name.lower() not in _CLASSES_PAGES_MAKE


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not url_is_allowed(value, image=True):
        return None
    if attribute == "class":
        kept = " ".join(name for name in value.split() if not _site_class(name))
        return kept or None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=set(ALLOWED_SCHEMES),
)


def sanitize(markup: str) -> str:
    """*markup* as a browser would parse it, keeping only what the allow-list names."""
    return _CLEANER.clean(markup)
