"""Japanese search: the pages and the query are split the same way, so what a reviewer
types (either spelling of 引継ぎ, a need id, a part of a title) is found."""

from __future__ import annotations

import pytest
from conftest import AS_OF

from sphinx_handover.site.search_ja import VARIANTS, normalize, split

SAMPLES = [
    "運用引き継ぎ計画書",
    "引継ぎ",
    "CHK_RESTORE_TEST",
    "EV_RESTORE_TEST_2026_10 の結果",
    "ＲＴＯ　２時間",  # full-width: NFKC
    "バックアップ・リストアの実機検証",
    "問い合わせ窓口と問合せ先",
    "図",
    "a_b__c",
]


def test_every_spelling_of_a_word_is_written_one_way():
    for word, spellings in VARIANTS.items():
        assert normalize(word) == word
        for spelling in spellings:
            assert normalize(spelling) == word
            assert normalize(f"運用{spelling}計画") == f"運用{word}計画"


def test_a_japanese_query_is_a_set_of_character_pairs_of_the_page():
    page = set(split("運用引き継ぎ計画書を作る"))
    assert set(split("引継ぎ")) <= page and set(split("計画書")) <= page
    assert not set(split("計画表")) <= page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import shutil

    from conftest import EXAMPLES

    from handover_kit.cli import main

    root = tmp_path_factory.mktemp("search") / "pkg"
    shutil.copytree(EXAMPLES / "ec-order-service", root)
    main(["build", str(root), "--as-of", AS_OF])
    return root / "_build" / "html"


def test_the_search_page_splits_queries_as_the_index_does(browser, serve, site):
    page = browser.new_page()
    page.goto(f"{serve(site)}/search.html")
    page.wait_for_function("typeof splitQuery === 'function'")
    for sample in SAMPLES:
        assert page.evaluate("(text) => splitQuery(text)", sample) == list(dict.fromkeys(split(sample))), sample
    # Snippets are cut from the page's text without the need boxes' field lists.
    chapter = (site / "chapters" / "10-acceptance.html").read_text("utf-8")
    assert "必要なエビデンス：" in chapter
    text = page.evaluate("(html) => Search.htmlToText(html)", chapter)
    assert "実機検証" in text and "必要なエビデンス：" not in text
    page.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("引き継ぎ", "index.html"),
        ("引継ぎ", "index.html"),
        ("CHK_RESTORE_TEST", "chapters/10-acceptance.html"),
        ("EV_RESTORE_TEST_2026_10", "chapters/10-acceptance.html"),
        ("実機検証", "chapters/10-acceptance.html"),
        ("連絡網テスト", "chapters/10-acceptance.html"),
    ],
)
def test_what_reviewers_type_is_found_with_a_count_and_a_readable_snippet(browser, serve, site, query, expected):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{serve(site)}/search.html?q={query}")
    hit = page.locator(f"#search-results a[href^='{expected}']")
    expect(hit.first).to_be_visible(timeout=20000)
    summary = page.locator("#search-results .search-summary")
    expect(summary).to_contain_text("件です", timeout=20000)
    snippets = page.locator("#search-results li p.context")
    texts = [snippets.nth(index).inner_text() for index in range(snippets.count())]
    assert not any("必要なエビデンス：" in text for text in texts), texts
    page.close()


def test_a_japanese_word_finds_the_pages_that_hold_it_whole(browser, serve, cli, tmp_path):
    """Pairs are how the index finds a word, not what a reviewer asks for: a page holding
    リス, スト and トア (リスク, オンラインストア) but not リストア is not a result, and the
    word, not its pairs, is what the snippet shows and highlights (not スト in テスト)."""
    from playwright.sync_api import expect

    assert cli("new", "pkg", "--no-input", "--language", "ja").code == 0
    pages = tmp_path / "pkg"
    (pages / "pairs.md").write_text("---\norphan: true\n---\n# リスク一覧\n\nオンラインストアの負荷テスト。\n", "utf-8")
    (pages / "whole.md").write_text("---\norphan: true\n---\n# 手順\n\nリストアの実機検証とテスト。\n", "utf-8")
    cli("build", "pkg", "--as-of", AS_OF)
    page = browser.new_page()
    page.goto(f"{serve(pages / '_build' / 'html')}/search.html?q=リストア")
    expect(page.locator("#search-results .search-summary")).to_contain_text("件です", timeout=20000)
    hrefs = page.locator("#search-results li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(href.startswith("whole.html") for href in hrefs), hrefs
    assert not any(href.startswith("pairs.html") for href in hrefs), hrefs
    titles = page.locator("#search-results li > a").all_inner_texts()
    assert "リストア" in titles[0], titles  # a page named for the word comes first
    expect(page.locator("#search-results .highlighted").first).to_be_visible(timeout=20000)
    assert set(page.locator("#search-results .highlighted").all_inner_texts()) == {"リストア"}
    page.close()
