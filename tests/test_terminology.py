"""A ja site speaks one Japanese: one term per concept (the glossary in DOMAIN.md) and
Japanese punctuation between Japanese words, in the ja templates, the ja labels and the
ja message catalogs."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO

sys.path.insert(0, str(REPO / "extensions"))

#: Rejected variant -> the glossary's term. Words that are right in some places are not
#: here: 対象外 (out of scope; N/A is 該当なし, checked in labels and catalogs below),
#: 試験 and 訓練 (a restore test, a runbook's last exercise), only their contact-path uses.
REJECTED = {
    "着手": "初動",
    "一次応答": "初動",
    "一次回答": "初動",
    "出口 ?KPI": "終了基準",
    "終了条件": "終了基準",
    "しきい値": "閾値",
    "証跡": "エビデンス",
    "エビデンスの実物": "エビデンスのファイル",
    "チェック項目": "受入チェック（表ではチェック）",
    "(?<!有効)期限切れ": "有効期間切れ（証明書やリスク受容なら有効期限切れ）",
    "該当無": "該当なし",
    "呼び出し試験": "連絡網テスト",
    "連絡網試験": "連絡網テスト",
    "連絡網の試験": "連絡網テスト",
    "最終試験日": "連絡網テストの実施日",
    "未試験": "連絡網テスト未実施",
    "SLAの内側": "目標値以内",
    "24x7": "24時間365日",
    "ランブック": "手順書（Runbook）",
}
#: In labels and catalogs every use of these is the rejected one.
REJECTED_IN_UI = {**REJECTED, "対象外": "該当なし", "(?<!サービス)レベル": "第N段"}

_JA = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]"
#: An ASCII bracket or colon with Japanese directly on both sides (one space allowed).
ASCII_BETWEEN_JAPANESE = re.compile(rf"(?<={_JA}) ?[():] ?(?={_JA})")

JA_TEMPLATES = [REPO / "docs_template" / "ja", REPO / "docs_template" / "add" / "ja"]
CATALOGS = sorted((REPO / "extensions" / "sphinx_handover" / "locale" / "ja").glob("LC_MESSAGES/*.po"))


def problems(text: str, rejected: dict[str, str] = REJECTED) -> list[str]:
    """What reads wrong in *text*: rejected terms, ASCII punctuation inside Japanese."""
    found = [f"{_word(word)!r}: use {use}" for word, use in rejected.items() if re.search(word, text)]
    found += [f"ASCII {m.group().strip()!r} between Japanese words" for m in ASCII_BETWEEN_JAPANESE.finditer(text)]
    return found


def _word(pattern: str) -> str:
    return re.sub(r"\(\?<?[!=][^)]*\)", "", pattern)


def _report(where: str, text: str, rejected: dict[str, str]) -> list[str]:
    return [f"{where}: {problem}: {text.strip()[:80]}" for problem in problems(text, rejected)]


def test_the_checker_finds_what_it_is_for():
    assert problems("初動(一次回答)目標") == [
        "'一次回答': use 初動",
        "ASCII '(' between Japanese words",
        "ASCII ')' between Japanese words",
    ]
    assert problems("証跡が期限切れ") == [
        "'証跡': use エビデンス",
        "'期限切れ': use 有効期間切れ（証明書やリスク受容なら有効期限切れ）",
    ]
    assert problems("証明書の有効期限切れ") == []
    assert problems("担当: 中村") == ["ASCII ':' between Japanese words"]
    assert problems("対象外") == [] and problems("対象外", REJECTED_IN_UI) == ["'対象外': use 該当なし"]
    assert problems("サービスレベル", REJECTED_IN_UI) == [] and problems("レベル 2", REJECTED_IN_UI) == [
        "'レベル': use 第N段"
    ]
    # Right: Japanese punctuation, ASCII inside English or code, an id after a colon.
    assert problems("初動（一次対応）目標。期限：T-7 (2026-11-24)、`:gate:`、REQ_A: 要件") == []


@pytest.mark.parametrize("folder", JA_TEMPLATES, ids=lambda p: str(p.relative_to(REPO)))
def test_ja_templates_use_one_term_per_concept(folder: Path):
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            found += _report(f"{path.relative_to(REPO)}:{number}", line, REJECTED)
    assert not found, "\n".join(found)


def _ja_label_tables():
    """labels.py's table and the other modules' own ja tables (_LABELS), in every
    subpackage."""
    import importlib
    import pkgutil

    import sphinx_handover

    for info in pkgutil.walk_packages(sphinx_handover.__path__, "sphinx_handover."):
        table = getattr(importlib.import_module(info.name), "_LABELS", None)
        if isinstance(table, dict) and isinstance(table.get("ja"), dict):
            yield info.name.rpartition(".")[2], table["ja"]


def test_ja_labels_use_one_term_per_concept():
    found = []
    tables = dict(_ja_label_tables())
    assert "labels" in tables and "targets_render" in tables
    for module, table in tables.items():
        for key, text in table.items():
            if isinstance(text, str):
                found += _report(f"{module} ja[{key!r}]", text, REJECTED_IN_UI)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.name)
def test_ja_catalogs_use_one_term_per_concept(po_path: Path):
    with po_path.open("rb") as stream:
        catalog = read_po(stream, locale="ja")
    found = []
    for message in catalog:
        if message.id and isinstance(message.string, str):
            found += _report(f"{po_path.name} {message.id[:40]!r}", message.string, REJECTED_IN_UI)
    assert not found, "\n".join(found)


def _built_page(cli, package, language: str) -> str:
    from test_gate_rules import evidence, make

    make(package, evidence())
    if language == "ja":
        yaml_path = package.root / "handover.yaml"
        yaml_path.write_text(yaml_path.read_text("utf-8").replace("language: en", "language: ja"), "utf-8")
        (package.root / "conf.py").write_text('extensions = ["sphinx_handover"]\nlanguage = "ja"\n', "utf-8")
    assert cli("build", package.root, "--as-of", "2026-11-20").code == 0
    return (package.root / "_build" / "html" / "checks.html").read_text("utf-8")


def test_a_ja_site_shows_need_boxes_and_theme_in_japanese(cli, package):
    page = _built_page(cli, package, "ja")
    # Need boxes: field names, values, link texts, with the Japanese colon.
    assert '<span class="needs_label">期限：</span><span class="needs_data">T-30</span>' in page
    assert "受入チェック</span></span>：</span>" in page
    assert '確認する要件：<span class="verifies">' in page and 'エビデンス：<span class="proves">' in page
    assert "gate: " not in page and "verified by" not in page and "proven by" not in page
    # furo's own words, and the search page's result count (after Sphinx's translations.js).
    for words in ("ページの先頭へ", "本文へ移動", "前へ"):
        assert words in page, words
    assert "Back to top" not in page and "Skip to content" not in page and "Previous" not in page
    search = (package.root / "_build" / "html" / "search.html").read_text("utf-8")
    assert search.index("translations.js") < search.index("handover-search-ja.js")
    assert (package.root / "_build" / "html" / "_static" / "handover-search-ja.js").is_file()


def test_an_en_site_names_fields_as_reviewers_say_them_and_keeps_furo_english(cli, package):
    page = _built_page(cli, package, "en")
    # The fields are named as in the ja site, in English words, not sphinx-needs' option names.
    assert '<span class="needs_label">Due at: </span><span class="needs_data">T-30</span>' in page
    assert "Verifies: " in page and "gate: " not in page and "verifies: " not in page
    assert "Back to top" in page and "Previous" in page
    assert "handover-search-ja.js" not in page
