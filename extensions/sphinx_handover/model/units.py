"""Values people write in handover.yaml: durations (``30m``, ``4h``, ``1h30m``, ``2d``),
service hours (``24x7``, ``Mon-Fri 09:00-18:00``, ``平日 9:00-18:00``) and KPI
thresholds (``<= 2h``, ``>= 95%``, ``<= 0``)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

#: At most nine digits a part: Python refuses to read an integer of thousands of digits.
_DURATION = re.compile(r"(?:(\d{1,9})\s*d)?\s*(?:(\d{1,9})\s*h)?\s*(?:(\d{1,9})\s*m(?:in)?)?\s*(?:(\d{1,9})\s*s)?")


def parse_duration(text: str) -> dt.timedelta | None:
    """``30m``, ``4h``, ``1h30m``, ``2d``; seconds too (``3m12s``), because a measured
    restore time is written as the log states it. None when it is not a duration."""
    text = text.strip().lower()
    match = _DURATION.fullmatch(text)
    if not text or not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(group or 0) for group in match.groups())
    try:
        return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # over a million days ('99999999999999999999h'): no duration
        return None


def format_duration(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{seconds}s" if seconds else "")
    return "".join(parts) or "0m"


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    "weekdays": range(5),
    "平日": range(5),
    "daily": range(7),
    "毎日": range(7),
    "weekends": range(5, 7),
    "土日": range(5, 7),
}
_ALWAYS = {"24x7", "24/7", "24/365", "24x365", "24時間365日"}
_WEEK_MINUTES = 7 * 24 * 60
_SPAN = re.compile(r"(?P<days>\S+)\s+(?P<start>\d{1,2}:\d{2})\s*[-–〜~]\s*(?P<end>\d{1,2}:\d{2})")


@dataclass(frozen=True)
class ServiceHours:
    """When a service or a contract is staffed, as the set of minutes of the week."""

    text: str
    minutes: frozenset[int]

    def covers(self, other: ServiceHours) -> bool:
        return other.minutes <= self.minutes


# Each result holds a set of up to 10,080 minutes (0.85 MB for 24x7) for the whole build,
# and handover.yaml writes the same few hours again in every agreement: cached, equal texts
# share one set (the benchmark package's handover.yaml, 16 hours in 3 texts, held 9.4 MB, now 1.6).
@functools.lru_cache(maxsize=256)
def parse_hours(text: str) -> ServiceHours | None:
    """``24x7``, or spans such as ``Mon-Fri 09:00-18:00, Sat 09:00-12:00``; None if unreadable."""
    cleaned = text.strip()
    if cleaned.lower().replace(" ", "") in _ALWAYS:
        return ServiceHours(cleaned, frozenset(range(_WEEK_MINUTES)))
    minutes: set[int] = set()
    spans = [part.strip() for part in re.split(r"[,;、]", cleaned) if part.strip()]
    if not spans:
        return None
    for span in spans:
        match = _SPAN.fullmatch(span)
        days = _days(match.group("days")) if match else None
        start, end = (_clock(match.group(name)) for name in ("start", "end")) if match else (None, None)
        if days is None or start is None or end is None or start == end:
            return None
        length = end - start if end > start else end + 24 * 60 - start  # past midnight
        for day in days:
            first = day * 24 * 60 + start
            minutes.update((first + offset) % _WEEK_MINUTES for offset in range(length))
    return ServiceHours(cleaned, frozenset(minutes))


def _days(text: str) -> range | list[int] | None:
    lowered = text.lower()
    if lowered in _DAY_ALIASES:
        return _DAY_ALIASES[lowered]
    if "-" in lowered:
        first, _, last = lowered.partition("-")
        if first in _DAYS and last in _DAYS:
            return list(range(_DAYS.index(first), _DAYS.index(last) + 1))
        return None
    return [_DAYS.index(lowered)] if lowered in _DAYS else None


def _clock(text: str) -> int | None:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


@dataclass(frozen=True)
class Measure:
    """A KPI value: a duration (in minutes), a percentage, or a count."""

    unit: str  # "duration", "percent" or "count"
    value: float
    text: str


def parse_measure(text: str) -> Measure | None:
    cleaned = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?\s*%", cleaned):
        return Measure("percent", float(cleaned.rstrip("% ")), cleaned)
    if re.fullmatch(r"\d+", cleaned):
        return Measure("count", float(cleaned), cleaned)
    duration = parse_duration(cleaned)
    if duration is not None:
        return Measure("duration", duration.total_seconds() / 60, cleaned)
    return None


@dataclass(frozen=True)
class Threshold:
    operator: str  # "<=", "<", ">=", ">"
    limit: Measure

    def holds(self, measured: Measure) -> bool:
        value, limit = measured.value, self.limit.value
        return {"<=": value <= limit, "<": value < limit, ">=": value >= limit, ">": value > limit}[self.operator]

    def __str__(self) -> str:
        return f"{self.operator} {self.limit.text}"


def parse_threshold(text: str) -> Threshold | None:
    match = re.fullmatch(r"\s*(<=|>=|<|>|≤|≥)\s*(.+)", text)
    if not match:
        return None
    operator = {"≤": "<=", "≥": ">="}.get(match.group(1), match.group(1))
    limit = parse_measure(match.group(2))
    return Threshold(operator, limit) if limit else None


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY = 24 * 60


def describe_hours(minutes: frozenset[int]) -> list[str]:
    """Minutes of the week as spans :func:`parse_hours` reads back as the same minutes,
    few and grouped by day: ``["Mon-Fri 00:00-09:00", "Mon-Fri 18:00-24:00",
    "Sat-Sun 00:00-24:00"]``. Each day's hours are written within the day or, when that
    takes fewer spans, past midnight into the next (``Mon-Sun 18:00-09:00``)."""
    days = [_runs(minutes, day) for day in range(7)]
    within, overnight = _grouped(days), _grouped(_overnight(days))
    return overnight if len(overnight) < len(within) else within


def _runs(minutes: frozenset[int], day: int) -> list[tuple[int, int]]:
    """The day's hours as (start, end) minutes of the day, end exclusive, up to 24:00."""
    runs: list[tuple[int, int]] = []
    for minute in range(_DAY):
        if day * _DAY + minute in minutes:
            if runs and runs[-1][1] == minute:
                runs[-1] = (runs[-1][0], minute + 1)
            else:
                runs.append((minute, minute + 1))
    return runs


def _overnight(days: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Each evening joined to the next morning (a run to 24:00 and one from 00:00 of the
    next day, which is not a whole day): ``18:00-09:00``, ending the next day."""
    joined = [list(runs) for runs in days]
    for day in range(7):
        following = joined[(day + 1) % 7]
        evening = next((run for run in joined[day] if run[1] == _DAY and run[0] > 0), None)
        morning = next((run for run in following if run[0] == 0 and run[1] < _DAY), None)
        if evening and morning:
            joined[day][joined[day].index(evening)] = (evening[0], morning[1])
            following.remove(morning)
    return joined


def _grouped(days: list[list[tuple[int, int]]]) -> list[str]:
    """One span per run of consecutive days with the same hours (Mon-Fri, not Sun-Mon)."""
    spans: list[str] = []
    first = 0
    for day in range(1, 8):
        if day == 7 or sorted(days[day]) != sorted(days[first]):
            named = _DAY_NAMES[first] if day - 1 == first else f"{_DAY_NAMES[first]}-{_DAY_NAMES[day - 1]}"
            spans += [f"{named} {_clock_text(start)}-{_clock_text(end)}" for start, end in sorted(days[first])]
            first = day
    return spans


def _clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
