"""furo's and the search page's own words in the site's language, offline.

furo marks its strings for translation (``Back to top``, ``On this page``, ``Next``)
but ships no catalog, and Sphinx's catalog has only some of them. For a language with
a catalog ``locale/<lang>/LC_MESSAGES/handover_theme.po`` (compiled to ``.mo``), the
templates look a string up there first, then in Sphinx's catalog. The search page's
messages come from ``translations.js``, where Sphinx's ja catalog leaves the result
count empty: ``static/handover-search-<lang>.js``, loaded after it, fills them in.

The catalog is used for this build only: Sphinx's shared translator is not changed.
After editing a ``.po``: ``python -m sphinx_handover.theme_strings``.
"""

from __future__ import annotations

from gettext import GNUTranslations
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

CATALOG = "handover_theme"
LOCALE_DIR = Path(__file__).parent / "locale"
_STATIC = Path(__file__).parent / "static"


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
    if app.builder.format == "html" and _search_script(app.config.language).is_file():
        # After translations.js (priority 500 among the builder's own scripts).
        app.add_js_file(_search_script(app.config.language).name, priority=800)


def copy_search_strings(app: Sphinx, exception: Exception | None) -> None:
    script = _search_script(app.config.language)
    if exception is None and app.builder.format == "html" and script.is_file():
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
