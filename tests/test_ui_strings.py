"""A ja site has no English in its own interface: every built page of the ja example is
scanned for English words in the attributes a reader hears or sees (title, aria-label,
alt, placeholder, the icons' <title>) and in the visible text around the content (furo's
header, sidebars, footer; the evidence pages' frame). The content itself is the author's
and is not scanned, nor is code. The failure names the page and the string."""

from __future__ import annotations

import re
import shutil
import sys
from gettext import GNUTranslations
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES, REPO

from handover_kit.cli import main

sys.path.insert(0, str(REPO / "extensions"))
from sphinx_handover.site import theme_strings

ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
#: Words a Japanese page may show in Latin letters: product names (furo's footer names
#: Sphinx, Furo and its author) and the example's own terms. Identifiers and acronyms in
#: capitals (CHK_SLA_CHAIN, RACI, SHA) are allowed by their form.
ALLOWED = {"Sphinx", "Furo", "pradyunsg", "Runbook", "Go", "No", "JavaScript"}
_WORD = re.compile(r"[A-Za-z]{2,}")
#: A file's path (evidence pages are titled by theirs).
_PATH = re.compile(r"\S*/\S*")
#: Text whose words are the author's or the machine's, not the interface's.
_NOT_SCANNED = {"script", "style", "pre", "code", "kbd", "samp"}
#: Lists of the author's titles around the content: the site's pages, the page's headings.
_AUTHORS_LISTS = re.compile(r"\b(sidebar-tree|toc-tree)\b")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def english(text: str) -> list[str]:
    """The English words of *text*: words with a small letter, not allowed by name."""
    return [word for word in _WORD.findall(_PATH.sub(" ", text)) if not word.isupper() and word not in ALLOWED]


class _InterfaceText(HTMLParser):
    """(where, text) of every attribute in ATTRIBUTES and every visible text outside the
    page's content (furo's <article role="main">) and code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[tuple[str, bool]] = []  # (tag, starts a part not scanned)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ATTRIBUTES:
            if values.get(name):
                self.found.append((f"<{tag} {name}>", values[name] or ""))
        if tag in _VOID:
            return
        content = tag == "article" and values.get("role") == "main"
        content = content or bool(_AUTHORS_LISTS.search(values.get("class") or ""))
        self._open.append((tag, content or tag in _NOT_SCANNED))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(skipped for _, skipped in self._open):
            where = f"<{self._open[-1][0]}>" if self._open else "text"
            self.found.append((where, data.strip()))


def english_ui_strings(page: str) -> list[str]:
    parser = _InterfaceText()
    parser.feed(page)
    return [f"{where} {text!r}" for where, text in parser.found if english(text)]


@pytest.fixture(scope="module")
def ja_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ui") / "ec-order-service"
    shutil.copytree(EXAMPLES / "ec-order-service", root, ignore=shutil.ignore_patterns("_build"))
    assert main(["build", str(root), "--as-of", AS_OF]) == 0
    return root / "_build" / "html"


def test_no_english_in_the_interface_of_any_ja_page(ja_site):
    pages = sorted(ja_site.rglob("*.html"))
    assert len(pages) > 20
    found = [
        f"{page.relative_to(ja_site)}: {string}"
        for page in pages
        for string in english_ui_strings(page.read_text("utf-8"))
    ]
    assert found == [], "English in the interface of a ja page:\n" + "\n".join(found[:40])


def test_furos_icons_and_toggles_speak_japanese(ja_site):
    page = (ja_site / "index.html").read_text("utf-8")
    for form, words in theme_strings.FIXED_STRINGS.items():
        for word in words:
            assert form.format(word) not in page
    assert "<title>メニュー</title>" in page
    assert 'aria-label="配色を切り替え（ライト・ダーク・自動）"' in page
    assert 'aria-label="「3. 手順書（Runbook）」の下の項目を開閉"' in page


def test_the_scan_finds_english_outside_the_content_only():
    page = (
        "<html><head><title>Menu</title></head><body><svg><title>Light mode</title></svg>"
        '<input aria-label="Toggle site navigation sidebar"><img alt="CHK_SLA_CHAIN">'
        '<article role="main"><p>Prometheus の設定</p><a title="Back to top">x</a></article>'
        '<div class="toc-tree"><a>Pod の異常</a></div><p>evidence/a/b.log</p>'
        "<footer>Made with Sphinx <code>kubectl get</code></footer></body></html>"
    )
    assert english_ui_strings(page) == [
        "<title> 'Menu'",
        "<title> 'Light mode'",
        "<input aria-label> 'Toggle site navigation sidebar'",
        "<a title> 'Back to top'",
        "<footer> 'Made with Sphinx'",
    ]


def _catalog(language: str) -> GNUTranslations:
    with theme_strings._catalog(language).open("rb") as stream:
        return GNUTranslations(stream)


def test_every_fixed_string_has_its_japanese():
    ja = _catalog("ja")
    words = [word for group in theme_strings.FIXED_STRINGS.values() for word in group]
    missing = [word for word in [*words, theme_strings.NAVIGATION_TOGGLE] if ja.gettext(word) == word]
    assert missing == []
    assert "%(title)s" in ja.gettext(theme_strings.NAVIGATION_TOGGLE)


def test_the_replacer_touches_only_the_forms_furo_writes():
    replace = theme_strings.fixed_string_replacer(_catalog("ja"))
    page = (
        '<svg><title>Menu</title></svg><p>Menu</p><a title="Link to this heading">¶</a>'
        '<input aria-label="Toggle navigation of R&amp;D &quot;A&quot;">'
    )
    assert replace(page) == (
        '<svg><title>メニュー</title></svg><p>Menu</p><a title="この見出しへのリンク">¶</a>'
        '<input aria-label="「R&amp;D &quot;A&quot;」の下の項目を開閉">'
    )


def test_each_label_is_defined_in_one_word_table():
    """labels.py's lookup merges the word tables kept by purpose: a key defined in two of
    them would silently take the later table's words."""
    from sphinx_handover.i18n import labels

    for language in ("en", "ja"):
        keys = [key for table in labels._TABLES for key in table[language]]
        assert sorted(keys) == sorted(labels._LABELS[language]), language
