"""The words the site shows reviewers, in the package's language (ja or en).

One lookup, :func:`label`, over word tables kept by what the words are for:

- :mod:`.need_words`: the need boxes (field names and values, need types, links, badges);
- :mod:`.dashboard_words`: the readiness panel, the checklist, statuses, charts and
  traceability, and the ``handover`` command's last line;
- :mod:`.data_words`: the views of handover.yaml's data (service levels, RACI, coverage,
  escalation, the review timeline, hypercare);
- here: the words of every page (dates, durations, the copyright line).

A key is defined in one table only (tests/test_ui_strings.py).
"""

from __future__ import annotations

import datetime as dt

from . import dashboard_words, data_words, need_words

#: Words of every page.
_COMMON: dict[str, dict[str, str]] = {
    "en": {
        "copyright": "{vendor} / {customer}",
        "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
        "date_weekday": "{date} ({day})",
        "duration_day": "{n}d",
        "duration_hour": "{n}h",
        "duration_minute": "{n}min",
        "duration_second": "{n}s",
        "duration_separator": " ",
    },
    "ja": {
        "copyright": "{vendor}、{customer}",
        "weekdays": "月 火 水 木 金 土 日",
        "date_weekday": "{date}（{day}）",
        "duration_day": "{n}日",
        "duration_hour": "{n}時間",
        "duration_minute": "{n}分",
        "duration_second": "{n}秒",
        "duration_separator": "",
    },
}

#: Every table, merged into the one lookup below.
_TABLES = (_COMMON, need_words.WORDS, dashboard_words.WORDS, data_words.WORDS)
#: language -> key -> words.
_LABELS: dict[str, dict[str, str]] = {
    language: {key: text for table in _TABLES for key, text in table[language].items()} for language in ("en", "ja")
}


def label(language: str | None, key: str) -> str:
    return _LABELS.get(language or "en", _LABELS["en"])[key]


def has_label(language: str | None, key: str) -> bool:
    return key in _LABELS.get(language or "en", _LABELS["en"])


def status_label(language: str | None, status: str) -> str:
    return label(language, "upcoming_status" if status == "upcoming" else status)


def duration_text(language: str | None, value: dt.timedelta) -> str:
    """``1h30m`` as a reader says it: ``1時間30分``, ``1h 30min``; seconds only when given."""
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        (days, "duration_day"),
        (hours, "duration_hour"),
        (minutes, "duration_minute"),
        (seconds, "duration_second"),
    ]
    words = [label(language, key).format(n=amount) for amount, key in parts if amount]
    return label(language, "duration_separator").join(words) or label(language, "duration_minute").format(n=0)


def date_text(language: str | None, day: dt.date) -> str:
    """The date with its day of the week: ``2026-12-01(火)``, ``2026-12-01 (Tue)``."""
    weekday = label(language, "weekdays").split()[day.weekday()]
    return label(language, "date_weekday").format(date=day.isoformat(), day=weekday)
