"""Durations, service hours and thresholds as people write them in handover.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from sphinx_handover.model.units import format_duration, parse_duration, parse_hours, parse_measure, parse_threshold


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30m", 30), ("4h", 240), ("1h30m", 90), ("2d", 2880), ("90min", 90), ("1d 2h", 1560)],
)
def test_durations(text, minutes):
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "15 minutes", "4", "h", "-1h", "1.5h"])
def test_not_durations(text):
    assert parse_duration(text) is None


def test_format_duration_round_trips():
    for text in ("30m", "4h", "1h30m", "2d", "1d2h"):
        assert format_duration(parse_duration(text)) == text


def test_hours_always_and_weekdays():
    always = parse_hours("24x7")
    weekdays = parse_hours("Mon-Fri 09:00-18:00")
    assert parse_hours("24時間365日").minutes == always.minutes
    assert parse_hours("平日 9:00-18:00").minutes == weekdays.minutes
    assert len(weekdays.minutes) == 5 * 9 * 60
    assert always.covers(weekdays) and not weekdays.covers(always)


def test_a_weekday_shift_and_a_night_and_weekend_shift_cover_the_week_together():
    day = parse_hours("平日 9:00-18:00")
    rest = parse_hours("毎日 18:00-09:00, 土日 00:00-24:00")
    assert day.minutes | rest.minutes == parse_hours("24x7").minutes
    # without Sunday night the Monday early morning is uncovered
    gap = parse_hours("平日 18:00-09:00, 土日 00:00-24:00")
    assert not (day.minutes | gap.minutes) >= parse_hours("24x7").minutes


@pytest.mark.parametrize("text", ["office hours", "Mon-Fri", "Mon-Fri 9-18", "Mon-Fry 09:00-18:00", "Mon 25:00-26:00"])
def test_unreadable_hours(text):
    assert parse_hours(text) is None


def test_thresholds():
    assert parse_threshold("<= 2h").holds(parse_measure("1h30m"))
    assert not parse_threshold("<= 2h").holds(parse_measure("2h1m"))
    assert parse_threshold(">= 95%").holds(parse_measure("95%"))
    assert not parse_threshold("> 0").holds(parse_measure("0"))
    assert parse_threshold("≤ 15m").holds(parse_measure("15m"))
    assert parse_threshold("at most 2h") is None
