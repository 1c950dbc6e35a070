"""The words of the evidence pages (:mod:`.artifact_pages`), in the package's language.

Kept beside :mod:`.labels`, in its form, so that module stays one screenful per
language; the project glossary holds here too (エビデンスのファイル, 受入チェック).
"""

from __future__ import annotations

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "kicker_file": "Evidence file",
        "kicker_folder": "Evidence folder",
        "back": "Back to the handover site",
        "records": "Evidence records pointing at it",
        "records_folder": "Evidence records pointing at its folder",
        "record": "Record",
        "date": "Date",
        "owner": "Owner",
        "result": "Result",
        "result_pass": "pass",
        "result_fail": "fail",
        "counts": "counts",
        "does_not_count": "does not count",
        "proves": "Proves",
        "recorded_sha256": "Recorded SHA-256",
        "sha256_matches": "matches",
        "sha256_differs": "differs",
        "sha256_none": "not recorded",
        "computed_sha256": "SHA-256 computed by this build",
        "size": "Size",
        "bytes": "{n} bytes",
        "part_of": "In the folder {folder}",
        "content": "Content",
        "lines": "{n} lines",
        "truncated": "Only the first {shown} of {total} characters are shown. The whole file is in the package.",
        "empty": "The file is empty.",
        "files": "Files in the folder",
        "file": "File",
        "how": "Published as",
        "form_page": "text page",
        "form_download": "download",
        "form_withheld": "not published",
        "download": "Download {name}",
        "not_published": "Not published",
        "withheld_secret": (
            "This file holds a secret (line {lines}, reported as handover.secret), so the site does not publish it. "
            "Replace the secret by a reference to the vault and build again."
        ),
        "withheld_not_utf8": (
            "This file is not UTF-8 text (Shift_JIS or UTF-16, for example). The secret scan could not read it, "
            "so the site does not publish it. Save it as UTF-8 and build again."
        ),
        "withheld_unscanned": (
            "This file is hidden (its name or a folder's starts with '.'), and the secret scan does not read hidden "
            "files, so the site does not publish it. Rename it and build again."
        ),
        "withheld_binary": (
            "This file is binary and not of a type the site offers as a download (PNG, JPEG, GIF, WebP, PDF, ZIP, "
            "Office documents, gzip), so the site does not publish it. Its type might run in a browser, or its content "
            "is not what its name says."
        ),
        "in_package": "The file itself stays in the package.",
    },
    "ja": {
        "kicker_file": "エビデンスのファイル",
        "kicker_folder": "エビデンスのフォルダ",
        "back": "引継ぎサイトに戻る",
        "records": "このファイルを指すエビデンス",
        "records_folder": "このフォルダを指すエビデンス",
        "record": "エビデンス",
        "date": "日付",
        "owner": "担当",
        "result": "結果",
        "result_pass": "合格",
        "result_fail": "不合格",
        "counts": "有効",
        "does_not_count": "無効",
        "proves": "確認する受入チェック",
        "recorded_sha256": "記録された SHA-256",
        "sha256_matches": "一致",
        "sha256_differs": "不一致",
        "sha256_none": "記録なし",
        "computed_sha256": "ビルドで計算した SHA-256",
        "size": "サイズ",
        "bytes": "{n} バイト",
        "part_of": "フォルダ {folder} の中のファイル",
        "content": "内容",
        "lines": "{n} 行",
        "truncated": "全 {total} 文字のうち、先頭の {shown} 文字だけを表示しています。ファイル全体はパッケージにあります。",
        "empty": "空のファイルです。",
        "files": "フォルダの中のファイル",
        "file": "ファイル",
        "how": "公開の形",
        "form_page": "テキストのページ",
        "form_download": "ダウンロード",
        "form_withheld": "公開しない",
        "download": "{name} をダウンロード",
        "not_published": "公開していません",
        "withheld_secret": (
            "このファイルには秘密情報があります（{lines} 行目、handover.secret として報告）。そのためサイトには公開していません。"
            "秘密情報を金庫（vault）の参照に置き換えてから、もう一度ビルドしてください。"
        ),
        "withheld_not_utf8": (
            "このファイルは UTF-8 のテキストではありません（Shift_JIS や UTF-16 など）。秘密情報の検査で読めないため、"
            "サイトには公開していません。UTF-8 で保存し直してから、もう一度ビルドしてください。"
        ),
        "withheld_unscanned": (
            "このファイルは隠しファイルです（ファイル名かフォルダ名が「.」で始まっています）。秘密情報の検査は隠しファイルを"
            "読まないため、サイトには公開していません。名前を変えてから、もう一度ビルドしてください。"
        ),
        "withheld_binary": (
            "このファイルはバイナリで、サイトがダウンロードとして提供する形式（PNG、JPEG、GIF、WebP、PDF、ZIP、"
            "Office 文書、gzip）ではないため、公開していません。ブラウザで動く形式か、名前と中身の形式が違う可能性があります。"
        ),
        "in_package": "ファイル自体はパッケージにあります。",
    },
}


def page_label(language: str | None, key: str) -> str:
    return _LABELS.get(language or "en", _LABELS["en"])[key]
