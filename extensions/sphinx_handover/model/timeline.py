"""The readiness reviews, counted in days from the release date (T0)."""

from __future__ import annotations

import datetime as dt

#: Review name -> days from T0, in the order the reviews happen.
REVIEWS: dict[str, int] = {"T-60": -60, "T-30": -30, "T-7": -7, "T+30": 30}
DEFAULT_GATE = "T-7"


def review_date(release_date: dt.date, review: str) -> dt.date:
    return release_date + dt.timedelta(days=REVIEWS[review])


def review_dates(release_date: dt.date) -> dict[str, dt.date]:
    """Every review's date, with T0 itself, in calendar order."""
    dates = {name: review_date(release_date, name) for name in REVIEWS}
    dates["T0"] = release_date
    return dict(sorted(dates.items(), key=lambda item: item[1]))


def default_gate(release_date: dt.date, as_of: dt.date) -> str | None:
    """The latest review held on or before *as_of*; None before the first one."""
    held = [name for name in REVIEWS if review_date(release_date, name) <= as_of]
    return held[-1] if held else None


def is_due(check_gate: str, evaluated_gate: str | None) -> bool:
    """Whether a check due at *check_gate* must be done at *evaluated_gate*."""
    if evaluated_gate is None:
        return False
    return REVIEWS[check_gate] <= REVIEWS[evaluated_gate]
