"""Gate messages in the package's language.

Sphinx loads its translations for ``language`` (set in the package's conf.py) before
any extension runs; this catalog joins them, so a ``ja`` package reports its problems
in Japanese, in the log, the site, the JSON report and the JUnit report alike.
Catalog sources: ``locale/<lang>/LC_MESSAGES/sphinx_handover.po`` (compiled to .mo).
"""

from __future__ import annotations

from pathlib import Path

from sphinx import locale
from sphinx.application import Sphinx
from sphinx.locale import get_translation

CATALOG = "sphinx_handover"
LOCALE_DIR = Path(__file__).parents[1] / "locale"

_ = get_translation(CATALOG)


def setup_messages(app: Sphinx) -> None:
    # sphinx.locale.init keeps a catalog loaded for an earlier language when the new one
    # has none (English): forget it, or a second build in this process (the CLI in
    # tests, a server) would speak the first build's language.
    locale.translators.pop(("general", CATALOG), None)
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
