"""sphinx-needs evaluates text of the pages as Python; here it evaluates only filters.

Where a page hands Python to sphinx-needs: the ``:filter:`` of ``needtable``,
``needlist``, ``needflow``, ``needextract``, ``needpie``, ``needbar``, ``needgantt``,
``needsequence``; the lines of a ``needpie`` and the cells of a ``needbar``; the argument
of ``needextend``, ``if`` and ``when``; a dynamic function's filter (``[[copy("id",
filter="...")]]`` in a need, ``{ndf}`` in a page). The content of a filter directive is
run as a program (filter code), and ``:filter-func:`` imports and calls a module of the
package. Built as they come, any of these runs the author's code on the machine of whoever
builds the package: the reviewer, their CI.

Two places hold that to :mod:`.expression_policy`:

* **Where it is written** (while reading, so ``check`` and ``build`` agree): each
  directive of sphinx-needs is wrapped; an expression outside the language, filter code
  and ``:filter-func:`` are reported as ``[handover.unsafe_expression]`` at the
  directive's line and the directive shows nothing. Dynamic functions are checked where
  needs are written (:func:`unsafe_functions`) and in the ``ndf`` role.
* **Where it is evaluated**: ``eval``, ``exec`` and ``compile`` are names that a module
  looks up in its own globals before the builtins, so each module of sphinx-needs that
  calls them gets versions that evaluate only expressions of the language and run no
  program, and ``:filter-func:``'s loader refuses. Which modules those are is read from
  sphinx-needs' own source (every module whose code calls them is imported and guarded),
  so a new version of sphinx-needs that evaluates in a new place is guarded too.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives as rst_directives
from docutils.parsers.rst import roles
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.exceptions import NeedsInvalidFilter

from ..i18n.messages import _
from ..integration.need_sources import SourceError, record_source_error
from ..rules.rules_table import Rule
from .evaluation_budget import budget_regular_expressions, reset_budgets, within_budget
from .expression_policy import RefusedExpression, check_expression, refusal, unsafe_functions

#: Directives of sphinx-needs that render templates, run PlantUML or fetch from the network.
REFUSED_DIRECTIVES = frozenset({"needuml", "needarch", "needreport", "needservice", "needgantt", "needsequence"})
#: Directives whose argument is an expression.
_ARGUMENT_IS_EXPRESSION = frozenset({"needextend", "if", "when"})
#: Directives whose content lines (needpie) or CSV cells (needbar) are expressions.
_CONTENT_IS_EXPRESSIONS = frozenset({"needpie", "needbar"})
_COMPILED_HERE = "<handover: filter>"
_MATCHING_FILTER_PATTERNS = ("sphinx_needs.filter_common", "sphinx_needs.ubquery")
_CALLS = re.compile(r"(?<![\w.])(?:eval|exec|compile)\s*\(")


def setup_needs_evaluation(app: Sphinx) -> None:
    guard_sphinx_needs()
    app.connect("builder-inited", reset_budgets)
    # After sphinx-needs has registered its directives (500) and the need types (need_sources, 600).
    app.connect("config-inited", _wrap_directives, priority=910)
    _wrap_ndf_role(app)


# --- where it is evaluated -----------------------------------------------------------


def guard_sphinx_needs() -> None:
    """Gives every module of sphinx-needs that evaluates the guarded builtins (once per process)."""
    for module in _evaluating_modules():
        module.eval = _guarded_eval  # type: ignore[attr-defined]
        module.exec = _refused_exec  # type: ignore[attr-defined]
        module.compile = _guarded_compile  # type: ignore[attr-defined]
    for module in list(sys.modules.values()):
        if (module.__name__ or "").startswith("sphinx_needs") and hasattr(module, "check_and_get_external_filter_func"):
            module.check_and_get_external_filter_func = _refused_filter_func  # type: ignore[attr-defined]
    # Where a filter's regular expression is matched: `search` in an evaluated filter, and
    # the patterns of sphinx-needs' eval-free tier (tests/test_needs_expressions.py holds both).
    budget_regular_expressions(importlib.import_module(name) for name in _MATCHING_FILTER_PATTERNS)


@cache
def _evaluating_modules() -> tuple[ModuleType, ...]:
    import sphinx_needs

    root = Path(sphinx_needs.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if _CALLS.search(path.read_text("utf-8")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(("sphinx_needs", *(part for part in parts if part != "__init__")))
            found.append(importlib.import_module(name))
    return tuple(found)


class RefusedEvaluation(NeedsInvalidFilter):
    """Raised where sphinx-needs would evaluate what the language does not hold; sphinx-needs
    reports its filter errors as warnings, so the build goes on without evaluating it."""


def _guarded_eval(expression: Any, globals: Any = None, locals: Any = None, /) -> Any:
    if isinstance(expression, CodeType):
        if expression.co_filename != _COMPILED_HERE:
            raise RefusedEvaluation(_("a filter compiled elsewhere is not evaluated"))
    else:
        _require(expression)
    # Two compilations of one filter are equal code objects: one budget for the filter.
    return within_budget(expression, lambda: builtins.eval(expression, globals, locals))


def _guarded_compile(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
    if mode != "eval":
        raise RefusedEvaluation(_("filter code (a program) is not run"))
    _require(source)
    return builtins.compile(source, _COMPILED_HERE, mode, *args, **kwargs)


def _refused_exec(*args: Any, **kwargs: Any) -> None:
    raise RefusedEvaluation(_("filter code (a program) is not run"))


def _refused_filter_func(reference: str | None = None, *args: Any, **kwargs: Any) -> None:
    if reference:  # sphinx-needs asks for every filter directive, most of them naming none
        raise RefusedEvaluation(_(":filter-func: (a module of the package) is not run"))


def _require(expression: Any) -> None:
    if isinstance(expression, bytes):
        expression = expression.decode("utf-8", "replace")
    if not isinstance(expression, (str, ast.AST)):
        raise RefusedEvaluation(_("only a filter expression is evaluated"))
    try:
        check_expression(expression)
    except RefusedExpression as reason:
        raise RefusedEvaluation(_("the filter {reason}").format(reason=reason)) from None


# --- where it is written -------------------------------------------------------------


def _wrap_directives(app: Sphinx, config: Config) -> None:
    import sphinx_needs

    package = sphinx_needs.__name__
    for name, original in list(rst_directives._directives.items()):
        if not isinstance(original, type) or not original.__module__.startswith(package):
            continue  # not sphinx-needs' (the need types are handover's wrappers)
        copied = ("has_content", "required_arguments", "optional_arguments", "final_argument_whitespace", "option_spec")
        attributes = {attribute: getattr(original, attribute) for attribute in copied}
        wrapper = type(f"{name}_filter_checked", (_CheckedDirective,), {**attributes, "delegate": original})
        app.add_directive(name, wrapper, override=True)


class _CheckedDirective(SphinxDirective):
    delegate: type

    def run(self) -> list[nodes.Node]:
        reason = self._refusal()
        if reason is not None:
            message = _("{directive}: {reason}: a handover package may filter needs, not run code").format(
                directive=self.name, reason=reason
            )
            record_source_error(self.env, SourceError(self.env.docname, self.lineno, Rule.UNSAFE_EXPRESSION, message))
            return []
        directive = self.delegate(
            self.name, self.arguments, self.options, self.content, self.lineno,
            self.content_offset, self.block_text, self.state, self.state_machine,
        )  # fmt: skip
        written: list[nodes.Node] = directive.run()  # docutils' Directive.run is untyped
        return written

    def _refusal(self) -> str | None:
        if self.name in REFUSED_DIRECTIVES:
            return _("renders templates, runs PlantUML or fetches from the network")
        if "filter-func" in self.options:
            return _(":filter-func: imports and runs a module")
        expressions = [("filter", self.options["filter"])] if self.options.get("filter") else []
        if self.name in _ARGUMENT_IS_EXPRESSION and self.arguments:
            argument = self.arguments[0].strip()
            if self.name != "needextend" or not _names_one_need(argument):
                quoted = len(argument) > 1 and argument[0] == argument[-1] == '"'
                expressions.append((self.name, argument[1:-1] if quoted else argument))
        if self.name in _CONTENT_IS_EXPRESSIONS:
            expressions.extend((self.name, text) for text in _content_expressions(self.name, self.content))
        elif self.content and _runs_content_as_filter_code(self.delegate):
            return _("its content would run as a program (filter code)")
        for where, expression in expressions:
            reason = refusal(expression)
            if reason is not None:
                return _("{where} {expression!r} {reason}").format(where=where, expression=expression, reason=reason)
        # Options of needextend (values set on needs), a table's style_row...: dynamic functions.
        return unsafe_functions(str(value) for value in self.options.values())


def _names_one_need(argument: str) -> bool:
    """needextend's argument names a need (``<ID>`` or one word) or is a filter (quoted or several words)."""
    if argument.startswith('"') and argument.endswith('"'):
        return False
    return (argument.startswith("<") and argument.endswith(">")) or len(argument.split()) == 1


def _runs_content_as_filter_code(directive: type) -> bool:
    from sphinx_needs.filter_common import FilterBase

    return issubclass(directive, FilterBase)


def _content_expressions(name: str, content: Iterable[str]) -> list[str]:
    lines = [line.strip() for line in content if line.strip()]
    if name == "needpie":
        return lines
    # needbar: a CSV table whose first row and column are labels and whose cells are
    # numbers or filters.
    cells = [cell.strip() for line in lines[1:] for cell in line.split(",")[1:]]
    return [cell for cell in cells if cell and not _is_number(cell)]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _wrap_ndf_role(app: Sphinx) -> None:
    delegate = roles._roles.get("ndf")
    if delegate is None:
        return

    def ndf(
        name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        reason = unsafe_functions([f"[[{text}]]"])
        if reason is None:
            return delegate(name, rawtext, text, lineno, inliner, options or {}, content or [])  # type: ignore[no-any-return]
        env = inliner.document.settings.env
        message = _("{{{role}}}: {reason}: a handover package may filter needs, not run code").format(
            role=name, reason=reason
        )
        record_source_error(env, SourceError(env.docname, lineno, Rule.UNSAFE_EXPRESSION, message))
        return [nodes.literal(rawtext, text)], []

    app.add_role("ndf", ndf, override=True)
