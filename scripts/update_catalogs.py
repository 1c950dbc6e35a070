"""Refresh the gate's message catalogs: extract every _("...") of sphinx_handover, merge
into locale/<lang>/LC_MESSAGES/sphinx_handover.po (keeping translations), compile .mo.

Run after changing a message: python scripts/update_catalogs.py
tests/test_messages.py fails while a message is untranslated or a .mo is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent / "extensions" / "sphinx_handover"
LOCALE = PACKAGE / "locale"
DOMAIN = "sphinx_handover"


def extracted() -> Catalog:
    template = Catalog(project=DOMAIN)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        template.add(message, locations=[(filename, lineno)])
    return template


def update(language: str) -> Path:
    po_path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po_path.exists():
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project=DOMAIN)
    catalog.update(extracted(), no_fuzzy_matching=True)
    with po_path.open("wb") as stream:
        write_po(stream, catalog, omit_header=False, sort_output=True, width=100)
    with po_path.with_suffix(".mo").open("wb") as stream:
        write_mo(stream, catalog)
    return po_path


if __name__ == "__main__":
    for language in sys.argv[1:] or ["ja"]:
        print(update(language))
