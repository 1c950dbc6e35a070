"""Filters get a bounded share of the build's time: none can hang it.

The filter language (:mod:`.expression_policy`) decides what a filter may do, not how
long it may take, and no rule on its text could: ``search("(a+)+$", title)`` backtracks
exponentially in Python's regular expressions, ``[1 for a in needs for b in needs for c
in needs]`` is cubic, and ``id in [n["id"] for n in needs]`` evaluated for every need is
quadratic. So every evaluation of a filter (sphinx-needs' ``eval`` and the regular
expressions of its ``eval``-free tier) runs under a CPU-time budget per filter, summed
over the whole build. A filter that spends its budget is stopped where it is (Python's
regular expressions check for signals while they match, so a backtracking pattern is
stopped too), reported where it is written as sphinx-needs reports a filter that fails,
and not evaluated again. After :data:`REFUSED_LIMIT` such filters no filter is evaluated
any more, so a package of many slow filters costs :data:`REFUSED_LIMIT` budgets, not one
each.

The budget is CPU time of this process (``ITIMER_PROF``), so a busy machine does not
stop a filter that an idle one finishes; it is a hundred times what a filter over
10,000 needs takes. Signals are delivered to the main thread only: a build run in
another thread evaluates filters without a budget.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType, ModuleType
from typing import Any, TypeVar

from sphinx_needs.exceptions import NeedsInvalidFilter

from ..i18n.messages import _

#: CPU seconds one filter may spend in a build, over all the needs it is evaluated on.
FILTER_BUDGET_SECONDS = 5.0
#: Filters stopped for time after which no filter is evaluated in this build.
REFUSED_LIMIT = 3

_T = TypeVar("_T")


class FilterOverBudget(NeedsInvalidFilter):
    """A filter that spent its time; sphinx-needs reports it as a filter that failed."""


class _Stopped(BaseException):
    """Raised by the timer's signal inside the evaluation; BaseException, so that no
    ``except Exception`` of the code being evaluated swallows it on the way out."""


class _Ledger:
    def __init__(self) -> None:
        self.spent: dict[Hashable, float] = {}
        self.refused: set[Hashable] = set()
        self.depth = 0

    def reset(self) -> None:
        self.spent.clear()
        self.refused.clear()


_ledger = _Ledger()


def reset_budgets(*_event_arguments: object) -> None:
    """A new build starts with every filter's budget whole (``builder-inited``)."""
    _ledger.reset()


def within_budget(key: Hashable, evaluate: Callable[[], _T]) -> _T:
    """``evaluate()``, charged to the filter *key*; raises :class:`FilterOverBudget`
    when the filter has spent its budget (now or earlier in this build)."""
    if key in _ledger.refused or len(_ledger.refused) >= REFUSED_LIMIT:
        raise FilterOverBudget(_over_budget_message())
    if _ledger.depth or threading.current_thread() is not threading.main_thread():
        return evaluate()  # charged to the filter that is being evaluated around it
    remaining = FILTER_BUDGET_SECONDS - _ledger.spent.get(key, 0.0)
    if remaining <= 0:
        # spent in evaluations each shorter than the timer's tick, which never fired
        _ledger.refused.add(key)
        raise FilterOverBudget(_over_budget_message())
    started = time.process_time()
    _ledger.depth += 1
    try:
        with _timer(remaining):
            return evaluate()
    except _Stopped:
        _ledger.refused.add(key)
        raise FilterOverBudget(_over_budget_message()) from None
    finally:
        _ledger.depth -= 1
        _ledger.spent[key] = _ledger.spent.get(key, 0.0) + time.process_time() - started


def _over_budget_message() -> str:
    return _(
        "took more than {seconds:g} s of CPU time over the package's needs and is not evaluated "
        "(a backtracking regular expression or a loop in a loop over needs); "
        "a handover package may filter needs, not keep the build busy"
    ).format(seconds=FILTER_BUDGET_SECONDS)


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    def stop(_signal: int, _frame: FrameType | None) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class BudgetedRegex:
    """The :mod:`re` a module of sphinx-needs sees: patterns compiled from filters are
    matched within the filter's budget; everything else is :mod:`re` itself."""

    def __init__(self) -> None:
        self.error = re.error

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        return _BudgetedPattern(re.compile(pattern, flags))

    def search(self, pattern: Any, string: Any, flags: int = 0) -> Any:
        return within_budget(("search", pattern), lambda: re.search(pattern, string, flags))


class _BudgetedPattern:
    def __init__(self, compiled: re.Pattern[Any]) -> None:
        self._compiled = compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiled, name)

    def search(self, string: Any, *args: Any) -> Any:
        compiled = self._compiled
        return within_budget(("search", compiled.pattern), lambda: compiled.search(string, *args))


def budget_regular_expressions(modules: Iterable[ModuleType]) -> None:
    """Gives each module a :class:`BudgetedRegex` for its global ``re``."""
    for module in modules:
        if getattr(module, "re", None) is re:
            module.re = BudgetedRegex()  # type: ignore[attr-defined]
