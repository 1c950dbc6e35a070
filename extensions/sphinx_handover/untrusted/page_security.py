"""What every page of the site carries for reviewers' browsers: escaped template values
and a Content-Security-Policy.

Sphinx's templates print some configuration values as they are: furo writes
``html_title`` (the system name from handover.yaml) unescaped into the sidebar brand,
the mobile header and the search page's ``<title>``, and a value such as ``<img src=x
onerror=...>`` would run there. So, at the one point every page's template values pass
(``html-page-context``), each value that comes from handover.yaml or conf.py is replaced
by its escaped text, as markup-safe: templates that escape it themselves (``|e``) leave it
as it is, and ``|striptags`` gives back the plain text, so titles read correctly.

The policy forbids inline script and every other origin. It is a ``<meta>`` element,
so it holds for a site served from any web server and opened from disk. What the site's
own parts need: Sphinx's and furo's scripts are files (furo's one inline script is
served as a file, by ``templates/base.html``; Sphinx's translations compile the
catalog's plural rule with ``new Function``, replaced by ``static/handover-plural.js``
so the policy needs no ``'unsafe-eval'``); furo's CSS variables are an inline
``<style>``, and Sphinx and sphinx-needs write ``style`` attributes, hence
``'unsafe-inline'`` for styles only; furo's icons are ``data:`` images in CSS; the
search fetches pages of the site; the sidebar's search box submits to the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.fileutil import copy_asset_file

from ..integration.check_builder import writes_site

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-src 'none'; worker-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'

#: Template values Sphinx takes from the configuration (project, html_title,
#: html_short_title, copyright, html_last_updated_fmt, release, version).
_CONFIG_VALUES = ("project", "docstitle", "shorttitle", "copyright", "last_updated", "release", "version", "logo_alt")
_HERE = Path(__file__).parents[1]
THEME_SCRIPT = "handover-theme-choice.js"
#: Sphinx's translations without ``new Function``; between doctools.js (200) and
#: translations.js (500).
PLURAL_SCRIPT = "handover-plural.js"


def setup_page_security(app: Sphinx) -> None:
    app.connect("config-inited", add_templates, priority=800)
    app.add_js_file(PLURAL_SCRIPT, priority=300)
    app.connect("html-page-context", secure_page_context, priority=900)
    app.connect("build-finished", finish_site)


def add_templates(app: Sphinx, config: Config) -> None:
    """Put handover-kit's template of furo's base.html before the theme's."""
    folder = str(_HERE / "templates")
    if folder not in config.templates_path:
        config.templates_path = [*config.templates_path, folder]


def secure_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for name in _CONFIG_VALUES:
        context[name] = escaped(context.get(name))
    for name, value in app.config.html_context.items():
        context[name] = escaped(value)
    context["metatags"] = CSP_META + "\n" + str(context.get("metatags") or "")


def escaped(value: Any) -> Any:
    """*value* as escaped markup when it is text (lists of text: each); other values as they are."""
    if isinstance(value, str):
        return Markup(escape(str(value)))
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return type(value)(Markup(escape(str(item))) for item in value)
    return value


def finish_site(app: Sphinx, exception: Exception | None) -> None:
    """Serve the theme script; remove sphinx-needs' permalink page, which nothing links
    to, which reads a needs.json a handover site does not have, and whose inline
    script the policy would block anyway."""
    if exception is not None or not writes_site(app):
        return
    for script in (THEME_SCRIPT, PLURAL_SCRIPT):
        copy_asset_file(_HERE / "static" / script, Path(app.outdir, "_static"), force=True)
    permalink = Path(app.outdir, Path(getattr(app.config, "needs_permalink_file", "") or "permalink.html").name)
    if (
        permalink.suffix == ".html"
        and permalink.is_file()
        and "sphinx-needs permalink" in permalink.read_text("utf-8", "replace")
    ):
        permalink.unlink()
