"""Synthetic runbooks: one of the example's six runbooks, renamed, plus its acceptance
section (2 requirements, 3 checks, 4 evidence records with real artifacts).

Every record is valid on the benchmark's as-of date, so the package is READY and the
gate runs its whole path. Ten needs per runbook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import blocks

NEEDS_PER_RUNBOOK = 10
#: The heading every synthetic runbook's acceptance section starts with (the edit point).
ACCEPTANCE_HEADING = "## 受入チェックと証跡"

_OWNERS = (
    "中村 由美(運用リーダー)",
    "渡辺 亮(北辰 基盤チーム)",
    "佐藤 隆(ベンダーPM)",
    "松本 大輔(みなと商事 運用チーム)",
)


@dataclass(frozen=True)
class Template:
    """One of the example's runbooks, with its runbook need's id and title."""

    stem: str
    text: str
    need_id: str
    title: str

    @classmethod
    def read(cls, path: Path) -> Template:
        text = path.read_text(encoding="utf-8")
        need = blocks.find(text, "runbook")[0]
        return cls(path.stem, text, need.option("id") or "", need.argument)


@dataclass(frozen=True)
class SyntheticRunbook:
    number: int
    template: Template
    as_of: dt.date

    @property
    def key(self) -> str:
        return f"RB{self.number:04d}"

    @property
    def docname(self) -> str:
        return f"runbooks/rb-{self.number:04d}-{self.template.stem}"

    @property
    def evidence_dir(self) -> str:
        return f"evidence/runbooks/rb-{self.number:04d}"

    @property
    def single_evidence_id(self) -> str:
        """The only record proving its check: removing it makes the package NOT READY."""
        return f"EV_{self.key}_DRYRUN"

    def page(self, artifacts: dict[str, str]) -> str:
        new_id = f"{self.template.need_id}_{self.number:04d}"
        text = self.template.text.replace(self.template.need_id, new_id)
        text = re.sub(r"^# (.*)$", rf"# \1(No.{self.number:04d})", text, count=1, flags=re.MULTILINE)
        return text.rstrip("\n") + "\n\n" + self._acceptance(artifacts)

    def artifacts(self) -> dict[str, str]:
        """Artifact path -> its text, one per evidence record."""
        return {self._artifact(name): self._artifact_text(name, days) for name, days in self._records()}

    def _records(self) -> list[tuple[str, int]]:
        n = self.number
        return [("review-1", 10 + n % 50), ("review-2", 5 + n % 30), ("dryrun", 5 + n % 80), ("drill", 20 + n % 300)]

    def _artifact(self, name: str) -> str:
        return f"{self.evidence_dir}/{name}.txt"

    def _date(self, days: int) -> str:
        return (self.as_of - dt.timedelta(days=days)).isoformat()

    def _artifact_text(self, name: str, days: int) -> str:
        lines = [f"{self.template.title}(No.{self.number:04d}){name} の記録", f"実施日: {self._date(days)}"]
        lines += [f"{step:02d}:{10 + step:02d} 手順{step} を実施し、結果を確認した。" for step in range(1, 9)]
        return "\n".join(lines) + "\n結果: 合格\n"

    def _acceptance(self, artifacts: dict[str, str]) -> str:
        k, title = self.key, self.template.title
        owner = _OWNERS[self.number % len(_OWNERS)]
        days = dict(self._records())
        parts = [
            f"{ACCEPTANCE_HEADING}(No.{self.number:04d})\n",
            f"この手順書を引き受けるための要件と、その受入チェック、証跡の記録です。証跡の実物は `{self.evidence_dir}/` にあります。\n",
            _need(
                "req",
                f"{title}:一次対応者が手順書だけで切り分けられる",
                [("id", f"REQ_{k}_TRIAGE")],
                "夜間・休日に一人で読んでも、切り分けと暫定対処の判断ができること。コマンドはそのまま貼り付けて実行できること。",
            ),
            _need(
                "req",
                f"{title}:リリース前に訓練されている",
                [("id", f"REQ_{k}_DRILL")],
                "本番相当の環境で、開発に関わっていない運用担当者が手順書どおりに実施し、所要時間と不備を記録していること。",
            ),
            _need(
                "check",
                f"{title}:手順書のレビュー",
                [
                    ("id", f"CHK_{k}_REVIEW"),
                    ("owner", owner),
                    ("verifies", f"REQ_{k}_TRIAGE"),
                    ("gate", "T-60"),
                    ("evidence_kind", "document"),
                ],
                "運用チームと北辰が合同で手順書を読み合わせ、指摘が反映されたことを確かめた議事録。",
            ),
            self._evidence(
                "review-1", "手順書レビュー議事録", f"CHK_{k}_REVIEW", "document", days, artifacts, sha=True
            ),
            self._evidence("review-2", "指摘の反映確認", f"CHK_{k}_REVIEW", "document", days, artifacts),
            _need(
                "check",
                f"{title}:ドライラン",
                [
                    ("id", f"CHK_{k}_DRYRUN"),
                    ("owner", owner),
                    ("verifies", f"REQ_{k}_TRIAGE, REQ_{k}_DRILL"),
                    ("gate", "T-30"),
                    ("evidence_kind", "dry-run"),
                ],
                "ステージング環境で手順書だけを見て実施した作業ログ。リリース日の90日前より新しいこと。",
            ),
            self._evidence("dryrun", "ステージングでのドライラン", f"CHK_{k}_DRYRUN", "dry-run", days, artifacts),
            _need(
                "check",
                f"{title}:本番相当の訓練",
                [
                    ("id", f"CHK_{k}_DRILL"),
                    ("owner", owner),
                    ("verifies", f"REQ_{k}_DRILL"),
                    ("gate", "T-7"),
                    ("evidence_kind", "restore-test"),
                ],
                "本番と同じ基盤で行った訓練のログ。開始・完了の時刻と実測の所要時間が記録されていること。",
            ),
            self._evidence("drill", "本番相当の訓練記録", f"CHK_{k}_DRILL", "restore-test", days, artifacts, sha=True),
        ]
        return "\n".join(parts)

    def _evidence(
        self,
        name: str,
        what: str,
        check: str,
        kind: str,
        days: dict[str, int],
        artifacts: dict[str, str],
        sha: bool = False,
    ) -> str:
        artifact = self._artifact(name)
        ev_id = self.single_evidence_id if name == "dryrun" else f"EV_{self.key}_{name.upper().replace('-', '_')}"
        options = [
            ("id", ev_id),
            ("proves", check),
            ("date", self._date(days[name])),
            ("owner", _OWNERS[(self.number + 1) % len(_OWNERS)]),
            ("artifact", artifact),
            ("kind", kind),
            ("result", "pass"),
        ]
        # What the gate requires of these kinds (policy.required_measurements), within target.
        if kind in ("dry-run", "restore-test"):
            options.append(("measured_rto", "1h10m"))
        if kind == "restore-test":
            options.append(("measured_rpo", "5m"))
        if sha:
            options.append(("sha256", hashlib.sha256(artifacts[artifact].encode("utf-8")).hexdigest()))
        return _need(
            "evidence",
            f"{what}(No.{self.number:04d})",
            options,
            "記録の作成者と立会者が結果を確認し、手順書の不備があれば翌営業日までに修正した。",
        )


def _need(kind: str, title: str, options: list[tuple[str, str]], body: str) -> str:
    lines = [f"```{{{kind}}} {title}", *(f":{key}: {value}" for key, value in options), "", body, "```", ""]
    return "\n".join(lines)
