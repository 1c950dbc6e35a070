"""The words of the need boxes, in the package's language: sphinx-needs' field names and
values as :mod:`.need_labels` relabels them, the need types and link texts
(:mod:`..integration.needs_config`), and the badges on a need (:mod:`..views.badges`).

An English site keeps sphinx-needs' field names and values, so the ``field_*`` and
``value_*`` words are Japanese only (:func:`.labels.has_label` tells).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # An English site keeps sphinx-needs' field names and values.
        "field_colon": ": ",
        "badge_due": "{due} {gate} ({date})",
        "badge_separator": " · ",
        "badge_waiver": "{reason} ({role}, ~{expires})",
        "link_verifies_outgoing": "verifies",
        "link_verifies_incoming": "verified by",
        "link_proves_outgoing": "proves",
        "link_proves_incoming": "proven by",
        "type_req": "Requirement",
        "type_check": "Check",
        "type_evidence": "Evidence",
        "type_runbook": "Runbook",
    },
    "ja": {
        # Field names and values as reviewers say them.
        "field_colon": "：",
        "badge_due": "{due} {gate}（{date}）",
        "badge_separator": "：",
        "badge_waiver": "{reason}（承認：{role}、{expires}まで）",
        "field_gate": "期限",
        "field_max_age": "エビデンスの有効期間（日数）",
        "field_evidence_kind": "必要なエビデンス",
        "field_date": "実施日",
        "field_owner": "担当",
        "field_artifact": "エビデンスのファイル",
        "field_result": "結果",
        "field_kind": "種類",
        "field_sha256": "SHA-256",
        "field_last_exercised": "最終訓練日",
        "field_target_rto": "目標復旧時間（RTO）",
        "field_target_rpo": "目標復旧地点（RPO）",
        "field_freshness": "有効期間の数え方",
        "field_measured_rto": "復旧時間の実測値（RTO）",
        "field_measured_rpo": "データ損失の実測値（RPO）",
        "field_content_fingerprint": "内容のフィンガープリント（承認の照合用）",
        "value_result_pass": "合格",
        "value_result_fail": "不合格",
        "value_kind_document": "文書",
        "value_kind_dry-run": "ドライラン",
        "value_kind_restore-test": "リストア試験",
        "value_kind_escalation-drill": "連絡網テスト",
        "value_evidence_kind_document": "文書",
        "value_evidence_kind_dry-run": "ドライラン",
        "value_evidence_kind_restore-test": "リストア試験",
        "value_evidence_kind_escalation-drill": "連絡網テスト",
        "value_freshness_review": "レビューの日付で数える",
        "value_freshness_continuous": "リリース後も基準日で数える",
        "link_verifies_outgoing": "確認する要件",
        "link_verifies_incoming": "確認する受入チェック",
        "link_proves_outgoing": "裏付ける受入チェック",
        "link_proves_incoming": "エビデンス",
        "type_req": "要件",
        "type_check": "受入チェック",
        "type_evidence": "エビデンス",
        "type_runbook": "手順書",
    },
}
