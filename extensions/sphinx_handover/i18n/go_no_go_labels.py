"""The words of the printable go / no-go sheet, in the package's language (the site's own
words come from :mod:`.labels`)."""

from __future__ import annotations

from .labels import label

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "gng_facts": "What is decided",
        "gng_system": "System",
        "gng_parties": "Vendor / customer",
        "gng_summary": "Acceptance checklist",
        "gng_open": "Open items (block the decision)",
        "gng_no_open": "No item blocks the decision.",
        "gng_waivers": "Accepted risks (waivers)",
        "gng_no_waivers": "No risk is accepted in place of evidence.",
        "gng_signoff": "Sign-off",
        "gng_signoff_note": "Approved by the accountable role (A) of each go / no-go decision in the RACI matrix.",
        "gng_no_decision": "The RACI matrix of handover.yaml has no go / no-go decision (a decision id ending in go_no_go): add one to name who approves.",
        "gng_decision": "Decision",
        "gng_role": "Accountable role",
        "gng_name": "Name",
        "gng_choice": "Go / No-Go",
        "gng_approval": "Approval (seal or signature)",
        "gng_date": "Date",
        "gng_fingerprint": "Fingerprint of what is approved (SHA-256 of the needs, handover.yaml, the artifacts, the statuses and the verdict, as handover signoff records it): {digest}",
        "gng_count": "Count",
        "gng_reason": "Reason",
        "gng_approved_by": "Approved by",
        "gng_expires": "Expires",
        "gng_review_value": "{gate}, {date}",  # the date ends in its weekday in brackets
        "gng_recorded": "{decision}: {by} (recorded, {state})",
        "gng_review_recorded": "Sign-off of the {review} review ({role}): {recorded}. The go / no-go decisions below are taken at T-7 and T+30.",
        "gng_signoff_current": "current",
        "gng_signoff_stale": "stale: the content changed",
        "gng_decision_go": "Go",
        "gng_decision_no-go": "No-Go",
        "gng_decision_conditional": "conditional Go",
    },
    "ja": {
        "gng_facts": "判定の対象",
        "gng_system": "システム",
        "gng_parties": "ベンダー／顧客",
        "gng_summary": "受入チェックの状況",
        "gng_open": "未解決の項目（判定を止めている項目）",
        "gng_no_open": "判定を止めている項目はありません。",
        "gng_waivers": "リスク受容",
        "gng_no_waivers": "エビデンスの代わりにリスク受容とした項目はありません。",
        "gng_signoff": "承認欄",
        "gng_signoff_note": "RACI で Go/No-Go の判断の説明責任者（A）とされた役割が承認します。",
        "gng_no_decision": "handover.yaml の RACI に Go/No-Go の判断（decision が go_no_go で終わる行）がありません。承認者を決めるために追加してください。",
        "gng_decision": "判断",
        "gng_role": "説明責任者（A）",
        "gng_name": "氏名",
        "gng_choice": "Go／No-Go",
        "gng_approval": "承認（印・署名）",
        "gng_date": "日付",
        "gng_fingerprint": "承認する内容のフィンガープリント（要件・チェック・エビデンス、handover.yaml、エビデンスのファイル、状態と判定の SHA-256。handover signoff が記録する値）：{digest}",
        "gng_count": "件数",
        "gng_reason": "理由",
        "gng_approved_by": "承認者",
        "gng_expires": "有効期限",
        "gng_review_value": "{gate}・{date}",  # the date ends in its weekday in brackets
        "gng_recorded": "{decision}：{by}（記録済み・{state}）",
        "gng_review_recorded": "{review} レビューの承認（{role}）：{recorded}。下の Go/No-Go の判断は T-7 と T+30 に行います。",
        "gng_signoff_current": "有効",
        "gng_signoff_stale": "無効：承認後に内容が変わりました",
        "gng_decision_go": "Go",
        "gng_decision_no-go": "No-Go",
        "gng_decision_conditional": "条件付き Go",
    },
}


def gng_label(language: str | None, key: str) -> str:
    words = _LABELS.get(language or "en", _LABELS["en"])
    return words[key] if key in words else label(language, key)
