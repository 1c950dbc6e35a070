"""Gate messages follow the package's language through Sphinx's message catalogs."""

from __future__ import annotations

import sys

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import AS_OF, REPO
from test_gate_rules import make

sys.path.insert(0, str(REPO / "scripts"))
import update_catalogs


def test_every_message_is_translated_and_compiled():
    po_path = update_catalogs.LOCALE / "ja" / "LC_MESSAGES" / "sphinx_handover.po"
    with po_path.open("rb") as stream:
        po = read_po(stream, locale="ja")
    source = {message.id for message in update_catalogs.extracted() if message.id}
    translated = {message.id for message in po if message.id and message.string}
    assert source <= translated, f"run scripts/update_catalogs.py and translate: {sorted(source - translated)}"
    with po_path.with_suffix(".mo").open("rb") as stream:
        mo = read_mo(stream)
    assert {m.id: m.string for m in mo if m.id} == {m.id: m.string for m in po if m.id and m.string}
    for message in po:
        if message.id:  # the placeholders survive translation
            import string

            fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
            assert fields(message.id) == fields(message.string), message.id


def test_japanese_package_reports_in_japanese(cli, package):
    make(package, None)
    yaml_path = package.root / "handover.yaml"
    yaml_path.write_text(yaml_path.read_text("utf-8").replace("language: en", "language: ja"), "utf-8")
    (package.root / "conf.py").write_text('extensions = ["sphinx_handover"]\nlanguage = "ja"\n', "utf-8")
    result = cli("check", package.root, "--as-of", AS_OF)
    assert result.code == 1
    assert (
        "受入チェック CHK_MON は T-30（2026-11-01）が期限ですが、有効なエビデンスがありません。"
        "'handover evidence add CHK_MON ファイル --owner 担当者' で記録するか、handover.yaml にリスク受容を書いてください"
        " [handover.missing_evidence]"
    ) in result.err


def test_english_package_reports_in_english_after_a_japanese_one(cli, package, tmp_path):
    test_japanese_package_reports_in_japanese(cli, package)
    from conftest import Package

    english = Package(tmp_path / "en")
    make(english, None)
    result = cli("check", english.root, "--as-of", AS_OF)
    assert "check CHK_MON is due at T-30 (2026-11-01) and has no valid evidence" in result.err
