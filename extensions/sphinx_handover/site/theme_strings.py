"""furo's and the search page's own words in the site's language, offline.

furo marks its strings for translation (``Back to top``, ``On this page``, ``Next``)
but ships no catalog, and Sphinx's catalog has only some of them. For a language with
a catalog ``locale/<lang>/LC_MESSAGES/handover_theme.po`` (compiled to ``.mo``), the
templates look a string up there first, then in Sphinx's catalog. The search page's
messages come from ``translations.js``, where Sphinx's ja catalog leaves the result
count empty: ``static/handover-search-<lang>.js``, loaded after it, fills them in.

Some of furo's words are not marked for translation at all: the icons' ``<title>`` (Menu,
Light mode, ...) and the toggles' ``aria-label`` (Toggle site navigation sidebar, ...),
written literally in its templates and its navigation code, and Sphinx's ``Link to this
heading``, which Sphinx's ja catalog leaves untranslated. For those, each rendered page has
exactly these attribute and element forms (``FIXED_STRINGS``) replaced with the catalog's
words, so the catalog stays the one place the Japanese is written.

The catalog is used for this build only: Sphinx's shared translator is not changed.
After editing a ``.po``: ``python -m sphinx_handover.site.theme_strings``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from gettext import GNUTranslations
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ..integration.check_builder import writes_site

CATALOG = "handover_theme"
LOCALE_DIR = Path(__file__).parents[1] / "locale"
_STATIC = Path(__file__).parents[1] / "static"

#: Where furo and Sphinx write an English word literally: the form it takes in the page
#: (``{}`` stands for the word) -> the words. Each is also a msgid of the catalog.
FIXED_STRINGS = {
    "<title>{}</title>": (
        "Contents",
        "Menu",
        "Expand",
        "Light mode",
        "Dark mode",
        "Auto light/dark, in light mode",
        "Auto light/dark, in dark mode",
    ),
    'aria-label="{}"': (
        "Toggle site navigation sidebar",
        "Toggle table of contents sidebar",
        "Toggle Light / Dark / Auto color theme",
    ),
    'title="{}"': (
        "Link to this heading",
        "Link to this table",
        "Link to this code",
        "Link to this image",
        "Link to this definition",
        "Link to this equation",
    ),
    # The footer's credit: furo writes the possessive outside its translated parts.
    '<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>{}': ("'s",),
}
#: furo's navigation tree labels each branch's toggle with the branch's title.
NAVIGATION_TOGGLE = "Toggle navigation of %(title)s"
_NAVIGATION_TOGGLE_ATTRIBUTE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


def setup_theme_strings(app: Sphinx) -> None:
    app.connect("builder-inited", install_theme_strings)
    app.connect("build-finished", copy_search_strings)


def _catalog(language: str | None) -> Path:
    return LOCALE_DIR / (language or "en") / "LC_MESSAGES" / f"{CATALOG}.mo"


def _search_script(language: str | None) -> Path:
    return _STATIC / f"handover-search-{language or 'en'}.js"


def install_theme_strings(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    mo = _catalog(app.config.language)
    if environment is not None and mo.is_file():
        with mo.open("rb") as stream:
            ours = GNUTranslations(stream)
        ours.add_fallback(app.translator)
        environment.install_gettext_translations(ours)
        if writes_site(app):
            _translate_rendered_pages(app.builder.templates, ours)
    if writes_site(app) and _search_script(app.config.language).is_file():
        # After translations.js (priority 500 among the builder's own scripts).
        app.add_js_file(_search_script(app.config.language).name, priority=800)


def fixed_string_replacer(translations: GNUTranslations) -> Callable[[str], str]:
    """A function that puts *translations* of ``FIXED_STRINGS`` into a rendered page.

    A word the catalog does not translate is left as it is."""
    replacements = {}
    for form, words in FIXED_STRINGS.items():
        for word in words:
            translated = translations.gettext(word)
            if translated != word:
                replacements[form.format(word)] = form.format(html.escape(translated))
    toggle = translations.gettext(NAVIGATION_TOGGLE)
    if not replacements and toggle == NAVIGATION_TOGGLE:
        return lambda page: page
    pattern = re.compile("|".join(map(re.escape, sorted(replacements, key=len, reverse=True))) or "(?!)")

    def translate_toggle(match: re.Match[str]) -> str:
        # The title is already escaped in the attribute, and stays so.
        return 'aria-label="{}"'.format(html.escape(toggle, quote=True).replace("%(title)s", match.group(1)))

    def replace(page: str) -> str:
        page = pattern.sub(lambda match: replacements[match.group()], page)
        if toggle != NAVIGATION_TOGGLE:
            page = _NAVIGATION_TOGGLE_ATTRIBUTE.sub(translate_toggle, page)
        return page

    return replace


def _translate_rendered_pages(templates: object, translations: GNUTranslations) -> None:
    render = getattr(templates, "render", None)
    if render is None:
        return
    replace = fixed_string_replacer(translations)

    def render_translated(template: str, context: dict[str, object]) -> str:
        return replace(render(template, context))

    templates.render = render_translated  # type: ignore[attr-defined]


def copy_search_strings(app: Sphinx, exception: Exception | None) -> None:
    script = _search_script(app.config.language)
    if exception is None and writes_site(app) and script.is_file():
        copy_asset_file(script, Path(app.outdir, "_static"), force=True)


def compile_catalogs() -> list[Path]:
    """Write every ``handover_theme.po``'s ``.mo`` beside it."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{CATALOG}.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream)
        with po.with_suffix(".mo").open("wb") as stream:
            write_mo(stream, catalog)
        written.append(po.with_suffix(".mo"))
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
