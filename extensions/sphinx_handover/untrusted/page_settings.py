"""Every page is read with the package's MyST settings; its front matter configures nothing.

MyST lets a page's front matter change how that page is read: a ``myst:`` mapping (and,
for compatibility, a top-level ``html_meta`` or ``substitutions``) is merged over the
global settings. With it a page can enable the ``substitution`` extension, whose
``{{ ... }}`` are Jinja templates that run code on the building machine
(``{{ lipsum.__globals__ ... }}``), or put ``<meta http-equiv="refresh">`` in its head and
send the reader's browser elsewhere. Those three keys are the whole of what MyST takes
from front matter as settings (``myst_parser.config.main.merge_file_level``), so they are
reported here, and the page is parsed with the package's settings alone: MyST's own
``parse`` is the merge followed by these three lines, which are all that is kept. The
rest of the front matter stays what it is to Sphinx: page metadata (``orphan``,
``tocdepth``...) and data.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from myst_parser.config.main import TopmatterReadError, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from sphinx.environment import BuildEnvironment

from ..i18n.messages import _
from ..integration.need_sources import SourceError, first_line_where, record_source_error
from ..rules.rules_table import Rule

#: The front matter keys MyST merges into a page's settings.
SETTINGS_KEYS = ("myst", "html_meta", "substitutions")


def read_with_package_settings(text: str, document: nodes.document) -> None:
    """MyST's parse of *text* into *document*, with the package's settings only."""
    env = document.settings.env
    _report_page_settings(env, text)
    parser = create_md_parser(env.myst_config, SphinxRenderer)
    parser.options["document"] = document
    parser.render(text)


def _report_page_settings(env: BuildEnvironment, text: str) -> None:
    try:
        front_matter = read_topmatter(text)
    except TopmatterReadError:
        return  # MyST reports front matter it cannot read while rendering
    if not isinstance(front_matter, dict):
        return
    for key in SETTINGS_KEYS:
        if key in front_matter:
            line = first_line_where(env, env.docname, _starts_with(f"{key}:"))
            message = _(
                "front matter {key}: would change how this page is read (Jinja substitutions run code, "
                "html_meta writes the page's head): a page is read with the package's settings; remove {key}:"
            ).format(key=key)
            record_source_error(env, SourceError(env.docname, line, Rule.UNSAFE_EXPRESSION, message))


def _starts_with(prefix: str) -> Callable[[str], bool]:
    return lambda source: source.startswith(prefix)
