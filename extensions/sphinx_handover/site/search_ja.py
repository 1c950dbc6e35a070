"""Japanese search that finds what reviewers type.

Sphinx's Japanese search splits the pages with a segmenter but leaves the query whole
(its query splitter breaks only at spaces and punctuation), so a compound such as
引継ぎ is found only when both happen to agree, and a need id (CHK_RESTORE_TEST) is cut
into pieces in the index and kept whole in the query. Here both sides split the same
way, in Python for the index and in the search page's script for the query: Japanese
runs into overlapping character pairs (a page matches when it holds every pair of the
query, so any substring of two characters or more is found), Latin words and ids whole
and by their parts. Both sides first apply NFKC and write okurigana variants one way
(引き継ぎ and 引継ぎ are one word), from the one table below.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

#: Spellings of one word, written as the first form of each entry on both sides.
VARIANTS: dict[str, tuple[str, ...]] = {
    "引継ぎ": ("引き継ぎ",),
    "引継ぐ": ("引き継ぐ",),
    "引渡し": ("引き渡し",),
    "受入れ": ("受け入れ",),
    "取扱い": ("取り扱い",),
    "申込み": ("申し込み",),
    "問合せ": ("問い合わせ", "問合わせ", "問い合せ"),
    "割当て": ("割り当て",),
    "切戻し": ("切り戻し",),
    "立会い": ("立ち会い",),
    "振返り": ("振り返り",),
    "書換え": ("書き換え",),
    "取消し": ("取り消し",),
    "呼出し": ("呼び出し",),
}

_JAPANESE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_TOKENS = re.compile(rf"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*|[{_JAPANESE}]+")
_SCRIPT = Path(__file__).parents[1] / "static" / "handover-search-split.js"


def _variant_pattern() -> re.Pattern[str]:
    spellings = sorted((spelling for forms in VARIANTS.values() for spelling in forms), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, spellings)))


_VARIANT = _variant_pattern()
_CANONICAL = {spelling: word for word, forms in VARIANTS.items() for spelling in forms}


def normalize(text: str) -> str:
    return _VARIANT.sub(lambda match: _CANONICAL[match.group(0)], unicodedata.normalize("NFKC", text))


def split(text: str) -> Iterator[str]:
    for token in _TOKENS.findall(normalize(text)):
        if token[0].isascii():
            yield token
            if "_" in token:
                yield from token.split("_")
        elif len(token) == 1:
            yield token
        else:
            yield from (token[index : index + 2] for index in range(len(token) - 1))


class HandoverSearchJapanese(SearchLanguage):
    lang = "ja"
    language_name = "Japanese"

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        # The script takes the table and the token pattern from here: one source for both sides.
        self.js_splitter_code = (
            _SCRIPT.read_text("utf-8")
            .replace("/*VARIANTS*/{}", json.dumps(_CANONICAL, ensure_ascii=False))
            .replace('/*TOKENS*/""', json.dumps(_TOKENS.pattern, ensure_ascii=False))
        )

    def split(self, input: str) -> list[str]:
        return list(split(input))

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1

    def stem(self, word: str) -> str:
        return word


def setup_search_ja(app: Sphinx) -> None:
    app.add_search_language(HandoverSearchJapanese)
