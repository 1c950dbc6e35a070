"""The questions `handover new` asks, their defaults, and an answers file."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from sphinx_handover.model import yamlsrc
from sphinx_handover.model.errors import HandoverInputError
from sphinx_handover.model.package_data import LANGUAGES, RELEASE_YEARS, is_release_date

from ..errors import UserError
from .scaffold import Answers


@dataclass(frozen=True)
class Question:
    key: str
    prompts: dict[str, str]  # by language
    defaults: dict[str, str]  # by language


QUESTIONS = (
    Question(
        "language",
        {
            "ja": "パッケージの言語 / Language of the package (ja/en)",
            "en": "Language of the package / パッケージの言語 (ja/en)",
        },
        {"ja": "ja", "en": "en"},
    ),
    Question(
        "system_name", {"ja": "システム名", "en": "System name"}, {"ja": "サンプルシステム", "en": "Example Service"}
    ),
    Question(
        "vendor",
        {"ja": "ベンダー（システムを構築した会社）", "en": "Vendor (who built the system)"},
        {"ja": "ベンダー株式会社", "en": "Vendor Ltd."},
    ),
    Question(
        "customer",
        {"ja": "顧客（運用を引き継ぐ会社）", "en": "Customer (who will operate it)"},
        {"ja": "顧客株式会社", "en": "Customer Ltd."},
    ),
    Question(
        "release_date",
        {"ja": "リリース日・稼働開始日 T0（YYYY-MM-DD）", "en": "Release date, the go-live day T0 (YYYY-MM-DD)"},
        {},
    ),
    Question(
        "service_hours",
        {"ja": "サービス提供時間", "en": "Service hours"},
        {"ja": "24時間365日", "en": "24/7, 365 days"},
    ),
)
KEYS = tuple(question.key for question in QUESTIONS)
DEFAULT_LANGUAGE = "ja"
#: A new package starts two months before release: the first readiness review (T-60) is today.
DEFAULT_LEAD_DAYS = 60


def read_answers_file(path: Path) -> dict[str, str]:
    """An answers file: YAML mapping of question keys to values, located errors."""
    try:
        source, document = yamlsrc.compose(path, str(path))
    except HandoverInputError as exc:
        raise UserError(exc.located(with_rule=False)) from exc
    if document is None:
        return {}
    try:
        entries = yamlsrc.mapping(source, document, "the answers file", list(KEYS))
        answers = {}
        for key, (_, value) in entries.items():
            # An answer's own rule first, so every answer that is not one line of text is
            # told the same (the YAML reader would name a control character its own way).
            if isinstance(value, yaml.ScalarNode) and (problem := text_problem(yamlsrc.scalar_text(value))):
                raise source.error(value, f"{key}: {problem}")
            answers[key] = yamlsrc.text(source, value, key)
        if "language" in answers:
            yamlsrc.choice(source, entries["language"][1], "language", LANGUAGES)
        if "release_date" in answers:
            date = yamlsrc.date(source, entries["release_date"][1], "release_date")
            if not is_release_date(date):
                raise source.error(entries["release_date"][1], f"release_date: {_EN['release_date']}")
    except HandoverInputError as exc:
        raise UserError(exc.located(with_rule=False)) from exc
    return answers


def parse_set(values: list[str]) -> dict[str, str]:
    """``--set KEY=VALUE`` answers, each checked as an answer at the prompt is."""
    answers: dict[str, str] = {}
    for item in values:
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals:
            raise UserError(f"--set {item!r}: write KEY=VALUE, e.g. --set system_name='Billing'")
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UserError(f"--set {key}: unknown answer ({hint}the answers are {', '.join(KEYS)})")
        if problem := _invalid(key, value, "en"):
            raise UserError(f"--set {key}: {problem.strip()}")
        answers[key] = value
    return answers


def collect(
    given: dict[str, str], *, interactive: bool, ask: Callable[[str], str] = input, today: dt.date | None = None
) -> Answers:
    """Ask every question not answered in *given* (or take its default), in the
    package's language once it is known."""
    today = today or dt.date.today()
    values = dict(given)
    for question in QUESTIONS:
        if question.key in values:
            continue
        language = values.get("language", DEFAULT_LANGUAGE)
        default = question.defaults.get(language, "")
        if question.key == "release_date":
            default = (today + dt.timedelta(days=DEFAULT_LEAD_DAYS)).isoformat()
        values[question.key] = _ask(question, language, default, ask) if interactive else default
    return Answers(
        language=values["language"],
        system_name=values["system_name"],
        vendor=values["vendor"],
        customer=values["customer"],
        release_date=dt.date.fromisoformat(values["release_date"]),
        service_hours=values["service_hours"],
    )


def _ask(question: Question, language: str, default: str, ask: Callable[[str], str]) -> str:
    while True:
        try:
            reply = ask(f"{question.prompts[language]} [{default}]: ").strip() or default
        except EOFError as exc:
            raise UserError(
                "no answer on standard input: use --no-input for the defaults, --set KEY=VALUE or --answers FILE"
            ) from exc
        problem = _invalid(question.key, reply, language)
        if problem is None:
            return reply
        print(problem)


#: Why an answer with a line break is refused: each answer is one value on one line of
#: handover.yaml and of the pages (a title, a table cell), and is shown on one line.
ONE_LINE = "an answer must be one line of text, without line breaks, tabs or other control characters"
#: A lone surrogate: what bytes that are not UTF-8 become on a terminal (or "\udc80" in
#: YAML); no file can hold it.
NOT_TEXT = "an answer must be text that UTF-8 can hold (the input had bytes that are not UTF-8)"


#: A name, a company, service hours: far shorter than this. A longer answer would make
#: lines the build refuses to read (page_limits), so it is refused here.
MAX_ANSWER = 1000
TOO_LONG = f"an answer must be at most {MAX_ANSWER} characters"


def text_problem(value: str) -> str | None:
    """Why *value* cannot be an answer, or None: a control character (newline, CR, tab,
    escape, NEL), a line or paragraph separator, a lone surrogate, or far too long."""
    if len(value) > MAX_ANSWER:
        return TOO_LONG
    categories = {unicodedata.category(char) for char in value}
    if categories & {"Cc", "Zl", "Zp"}:
        return ONE_LINE
    if "Cs" in categories:
        return NOT_TEXT
    return None


#: The prompt's hints in Japanese (the English ones are the constants above).
_JA = {
    ONE_LINE: "回答は1行の文字列にしてください（改行・タブ・制御文字は使えません）",
    NOT_TEXT: "UTF-8 で表せない文字が含まれています",
    TOO_LONG: f"回答は {MAX_ANSWER} 文字以内にしてください",
    "language": "ja か en で答えてください",
    "release_date": f"{RELEASE_YEARS[0]}〜{RELEASE_YEARS[1]}年の日付を YYYY-MM-DD で答えてください（例：2026-12-01）",
    "empty": "回答が必要です",
}
_EN = {
    "language": f"please answer one of: {', '.join(LANGUAGES)}",
    "release_date": f"please give a date from {RELEASE_YEARS[0]} to {RELEASE_YEARS[1]} as YYYY-MM-DD, e.g. 2026-12-01",
    "empty": "an answer is needed",
}


def _invalid(key: str, value: str, language: str = "en") -> str | None:
    if problem := text_problem(value):
        return f"  {_JA[problem] if language == 'ja' else problem}"
    hints = _JA if language == "ja" else _EN
    if key == "language" and value not in LANGUAGES:
        return f"  {hints['language']}"
    if key == "release_date" and ((date := yamlsrc.parse_date(value)) is None or not is_release_date(date)):
        return f"  {hints['release_date']}"
    if not value:
        return f"  {hints['empty']}"
    return None
