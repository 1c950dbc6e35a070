"""The words the site shows reviewers, in the package's language (ja or en)."""

from __future__ import annotations

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "ready": "READY",
        "not_ready": "NOT READY",
        "ready_detail": "Every check due at this review has valid evidence.",
        "not_ready_detail": "The handover cannot be accepted yet: the items below block it.",
        "review": "Review",
        "before_first_review": "before the first review (T-60)",
        "as_of": "as of",
        "release": "release (T0)",
        "checks_total": "checks",
        "blocking": "Blocking items",
        "item": "Item",
        "problem": "Problem",
        "where": "Where",
        "build_warnings": "Other build warnings",
        "upcoming": "Upcoming items",
        "nothing_upcoming": "No check is due at a later review.",
        "check": "Check",
        "title": "Title",
        "due": "Due",
        "status": "Status",
        "evidence": "Evidence",
        "no_evidence": "none yet",
        "age": "{days} days old",
        "diagram_not_drawn": (
            "This diagram is not drawn because Graphviz ('dot') is not installed. Its DOT source:"
        ),
        "done": "done",
        "missing": "missing",
        "failed": "failed",
        "stale": "stale",
        "invalid": "invalid",
        "waived": "waived",
        "upcoming_status": "upcoming",
        "type_req": "Requirement",
        "type_check": "Check",
        "type_evidence": "Evidence",
        "type_runbook": "Runbook",
    },
    "ja": {
        "ready": "READY",
        "not_ready": "NOT READY",
        "ready_detail": "このレビューで期限を迎えるチェック項目は、すべて有効なエビデンスがそろっています。",
        "not_ready_detail": "引継ぎはまだ受け入れられません。次の項目が判定を止めています。",
        "review": "レビュー",
        "before_first_review": "最初のレビュー(T-60)前",
        "as_of": "基準日",
        "release": "リリース日(T0)",
        "checks_total": "チェック項目",
        "blocking": "判定を止めている項目",
        "item": "項目",
        "problem": "内容",
        "where": "場所",
        "build_warnings": "その他のビルド警告",
        "upcoming": "今後のレビューで期限を迎える項目",
        "nothing_upcoming": "以降のレビューで期限を迎えるチェック項目はありません。",
        "check": "チェック",
        "title": "項目名",
        "due": "期限",
        "status": "状態",
        "evidence": "エビデンス",
        "no_evidence": "未登録",
        "age": "{days}日前",
        "diagram_not_drawn": (
            "Graphviz (dot) がインストールされていないため、この図は描画されていません。DOT ソース:"
        ),
        "done": "完了",
        "missing": "未提出",
        "failed": "不合格",
        "stale": "期限切れ",
        "invalid": "無効",
        "waived": "リスク受容",
        "upcoming_status": "期限前",
        "type_req": "要件",
        "type_check": "受入チェック",
        "type_evidence": "エビデンス",
        "type_runbook": "手順書",
    },
}


def label(language: str | None, key: str) -> str:
    return _LABELS.get(language or "en", _LABELS["en"])[key]


def status_label(language: str | None, status: str) -> str:
    return label(language, "upcoming_status" if status == "upcoming" else status)
