"""The sign-off of the review evaluated, in the words of the verdict line: the CLI's last
line, the ``--summary`` heading and the dashboard's banner say whether the verdict is
signed, by whom, and whether that decision still covers the current content.

The words come from the gate's catalog for the verdict's language, read here rather
than through Sphinx's translator: the CLI says the line after the build, and a
workbook export may say it for a verdict of another language than the last build's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from gettext import GNUTranslations, NullTranslations
from typing import TYPE_CHECKING

from .messages import CATALOG, LOCALE_DIR

if TYPE_CHECKING:
    from ..rules.verdict import SignoffStatus


def signed_words(
    language: str | None,
    review: str | None,
    statuses: Sequence[SignoffStatus],
    role_names: Mapping[str, str] | None = None,
) -> str:
    """ "signed: go at T-7 by NAME (ROLE), current" (or stale), "not signed at T-7", or
    nothing when the package records no sign-off at all or no review is held yet. ROLE is
    the role's name from *role_names* where given (reviewers read it, as in the dashboard's
    table of sign-offs), else its id."""
    if not statuses or not review:
        return ""
    _ = _translator(language or "en")
    latest = [status for status in statuses if status.signoff.review == review and not status.superseded]
    if not latest:
        return _("not signed at {review}").format(review=review)
    status = latest[-1]
    record = status.signoff
    decision = {"go": _("go"), "no-go": _("no-go"), "conditional": _("conditional go")}[record.decision]
    state = _("current") if status.current else _("stale")
    return _("signed: {decision} at {review} by {by} ({role}), {state}").format(
        decision=decision,
        review=review,
        by=record.by,
        role=(role_names or {}).get(record.role) or record.role,
        state=state,
    )


@cache
def _translator(language: str) -> Callable[[str], str]:
    mo = LOCALE_DIR / language / "LC_MESSAGES" / f"{CATALOG}.mo"
    if not mo.is_file():
        return NullTranslations().gettext
    with mo.open("rb") as stream:
        return GNUTranslations(stream).gettext
