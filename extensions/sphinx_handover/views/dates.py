"""``{handover-date}`T-7```: a date of the timeline, from handover.yaml, never frozen.

The cover and the chapters name the release date (T0), the readiness reviews and the end
of hypercare. Written as literal dates they go stale as soon as ``project.release_date``
moves; written with this role they are computed from handover.yaml when the page is read.

A page is read again only when Sphinx thinks it changed, so the release date the pages
were read with is kept in the environment: when handover.yaml gives another one, every
page holding the role is read again (and so written again). An edit of handover.yaml
that leaves the release date alone reads nothing again.

The names are ``T-60``, ``T-30``, ``T-7``, ``T0`` (also ``T+0``) and ``T+30`` (the
review that ends hypercare). An unknown name (``T-8``) is an input error at its file:line
(``[handover.invalid_option]``, exit 2), like an invalid ``:gate:`` of a check.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Set as AbstractSet

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxRole

from ..i18n.messages import _
from ..integration import state
from ..integration.need_sources import SourceError, record_source_error
from ..model import timeline
from ..rules.rules_table import Rule

ROLE = "handover-date"
#: The class of the node the role writes, by which the pages holding dates are found.
DATE_CLASS = "handover-date"
#: The names the role takes: every review and the release day itself, in calendar order.
MOMENTS = tuple(timeline.review_dates(dt.date(2000, 1, 1)))
#: Other spellings in use: hypercare runs from T+0 (the release day) to T+30.
ALIASES = {"T+0": "T0"}


def moment_dates(release_date: dt.date) -> dict[str, dt.date]:
    """The date of each name the role takes (T+30 is both a review and the end of hypercare)."""
    dates = timeline.review_dates(release_date)
    return {**dates, **{alias: dates[name] for alias, name in ALIASES.items()}}


class HandoverDateRole(SphinxRole):
    """Writes the date of a review (or T0) for the release date the page is read with."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        release_date: dt.date | None = getattr(self.env, _RELEASE_DATE, None)
        if name not in MOMENTS and name not in ALIASES:
            self._unknown(name)
            return [nodes.literal(self.rawtext, self.text)], []  # shown as written
        # Before env-get-outdated has run no date is known; still a page holding a date.
        text = moment_dates(release_date)[name].isoformat() if release_date else name
        return [nodes.inline(self.rawtext, text, classes=[DATE_CLASS])], []

    def _unknown(self, name: str) -> None:
        names = ", ".join(MOMENTS)
        close = difflib.get_close_matches(name, MOMENTS, n=1)
        if close:
            message = _("{{{role}}}`{name}`: unknown review: use one of {names} (did you mean {match}?)").format(
                role=ROLE, name=name, names=names, match=close[0]
            )
        else:
            message = _("{{{role}}}`{name}`: unknown review: use one of {names}").format(
                role=ROLE, name=name, names=names
            )
        record_source_error(self.env, SourceError(self.env.docname, self.lineno, Rule.INVALID_OPTION, message))


#: Environment attributes: the release date pages were last read with, and the pages that
#: hold a date (pickled with the environment, so they outlive the build that set them).
_RELEASE_DATE = "handover_dates_release_date"
_PAGES = "handover_date_pages"


def _pages(env: BuildEnvironment) -> set[str]:
    pages: set[str] | None = getattr(env, _PAGES, None)
    if pages is None:
        pages = set()
        setattr(env, _PAGES, pages)
    return pages


class DatePagesCollector(EnvironmentCollector):
    """Remembers which pages hold a date of the timeline."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str], other: BuildEnvironment
    ) -> None:
        _pages(env).update(_pages(other) & set(docnames))

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(DATE_CLASS in node["classes"] for node in doctree.findall(nodes.inline)):
            _pages(app.env).add(app.env.docname)


def _reread_when_release_moves(
    app: Sphinx, env: BuildEnvironment, added: AbstractSet[str], changed: AbstractSet[str], removed: AbstractSet[str]
) -> list[str]:
    """The pages holding dates, when the release date is not the one they were read with."""
    release_date = state.of(app).data.project.release_date
    if getattr(env, _RELEASE_DATE, None) == release_date:
        return []
    setattr(env, _RELEASE_DATE, release_date)  # read before any page is: parallel readers get it too
    return sorted(_pages(env) & env.found_docs - set(removed))


def setup_dates(app: Sphinx) -> None:
    app.add_role(ROLE, HandoverDateRole())
    app.add_env_collector(DatePagesCollector)
    app.connect("env-get-outdated", _reread_when_release_moves)
