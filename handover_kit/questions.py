"""The questions `handover new` asks, their defaults, and an answers file."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx_handover import yamlsrc
from sphinx_handover.errors import HandoverInputError
from sphinx_handover.package_data import LANGUAGES

from .errors import UserError
from .scaffold import Answers


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    defaults: dict[str, str]  # by language


QUESTIONS = (
    Question("language", "Language of the package (ja/en)", {"ja": "ja", "en": "en"}),
    Question("system_name", "System name", {"ja": "サンプルシステム", "en": "Example Service"}),
    Question("vendor", "Vendor (who built the system)", {"ja": "ベンダー株式会社", "en": "Vendor Ltd."}),
    Question("customer", "Customer (who will operate it)", {"ja": "顧客株式会社", "en": "Customer Ltd."}),
    Question("release_date", "Release date, the go-live day T0 (YYYY-MM-DD)", {}),
    Question("service_hours", "Service hours", {"ja": "24時間365日", "en": "24/7, 365 days"}),
)
DEFAULT_LANGUAGE = "ja"
#: A new package starts two months before release: the first readiness review (T-60) is today.
DEFAULT_LEAD_DAYS = 60


def read_answers_file(path: Path) -> dict[str, str]:
    """An answers file: YAML mapping of question keys to values, located errors."""
    try:
        source, document = yamlsrc.compose(path, str(path))
    except HandoverInputError as exc:
        raise UserError(str(exc)) from exc
    if document is None:
        return {}
    try:
        entries = yamlsrc.mapping(source, document, "the answers file", [q.key for q in QUESTIONS])
        answers = {key: yamlsrc.text(source, value, key) for key, (_, value) in entries.items()}
        for key, answer in answers.items():
            if problem := text_problem(answer):
                raise source.error(entries[key][1], f"{key}: {problem}")
        if "language" in answers:
            yamlsrc.choice(source, entries["language"][1], "language", LANGUAGES)
        if "release_date" in answers:
            yamlsrc.date(source, entries["release_date"][1], "release_date")
    except HandoverInputError as exc:
        raise UserError(str(exc)) from exc
    return answers


def collect(
    given: dict[str, str], *, interactive: bool, ask: Callable[[str], str] = input, today: dt.date | None = None
) -> Answers:
    """Ask every question not answered in *given* (or take its default)."""
    today = today or dt.date.today()
    values = dict(given)
    for question in QUESTIONS:
        if question.key in values:
            continue
        language = values.get("language", DEFAULT_LANGUAGE)
        default = question.defaults.get(language, "")
        if question.key == "release_date":
            default = (today + dt.timedelta(days=DEFAULT_LEAD_DAYS)).isoformat()
        values[question.key] = _ask(question, default, ask) if interactive else default
    return Answers(
        language=values["language"],
        system_name=values["system_name"],
        vendor=values["vendor"],
        customer=values["customer"],
        release_date=dt.date.fromisoformat(values["release_date"]),
        service_hours=values["service_hours"],
    )


def _ask(question: Question, default: str, ask: Callable[[str], str]) -> str:
    while True:
        try:
            reply = ask(f"{question.prompt} [{default}]: ").strip() or default
        except EOFError as exc:
            raise UserError(
                "no answer on standard input: use --no-input for the defaults or --answers FILE"
            ) from exc
        problem = _invalid(question.key, reply)
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


def _invalid(key: str, value: str) -> str | None:
    if problem := text_problem(value):
        return f"  {problem}"
    if key == "language" and value not in LANGUAGES:
        return f"  please answer one of: {', '.join(LANGUAGES)}"
    if key == "release_date" and yamlsrc.parse_date(value) is None:
        return "  please give a date as YYYY-MM-DD, e.g. 2026-12-01"
    if not value:
        return "  an answer is needed"
    return None
