"""The language a page may write where sphinx-needs evaluates Python: an allow-list.

A filter compares need fields: ``type == "check" and "T-7" in gate``,
``search("^REQ_", id)``, ``docname.startswith("chapters/")``, ``len(links) > 1``,
``any(t in tags for t in ["db", "web"])``. That is all this language holds: boolean logic,
comparisons, literals, names of need fields, subscripts, ``+`` and ``-``, conditional
expressions, comprehensions, calls of a few functions and string / mapping methods.
Nothing in it can reach an object's internals: no name or attribute starting with ``_``,
no attribute but a listed method called, no builtin but the harmless ones (not ``eval``,
``open``, ``getattr``...), no call of anything else, no lambda, no assignment expression,
no ``*`` or ``**`` (so no expression can build a value exponentially larger than itself).
The expression is parsed with :mod:`ast` and every node checked: a list of what is
allowed, not of what is known to be bad.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from ..i18n.messages import _

#: Functions a filter may call: sphinx-needs' ``search`` and side-effect-free builtins.
FUNCTIONS = frozenset(
    {
        "search",
        "len",
        "any",
        "all",
        "str",
        "int",
        "float",
        "bool",
        "sorted",
        "set",
        "list",
        "tuple",
        "min",
        "max",
        "abs",
    }
)
#: Methods a filter may call, on strings, lists and mappings (and ``c.this_doc()``).
METHODS = frozenset(
    {
        "startswith", "endswith", "lower", "upper", "casefold", "strip", "lstrip", "rstrip",
        "split", "count", "find", "join", "get", "keys", "values", "items", "isdigit", "this_doc",
    }
)  # fmt: skip
#: Builtins a filter may name as values; every other builtin name is refused (``key=eval``).
#: ``id`` and ``type`` are need fields that the evaluation's names shadow.
_BUILTIN_VALUES = FUNCTIONS | {"True", "False", "None", "id", "type"}
_BUILTINS = frozenset(dir(builtins))
#: The one object a filter may read attributes of: sphinx-needs' variant data (``var.os``).
_ATTRIBUTE_ROOTS = frozenset({"var"})
#: Longer than any filter a person writes; bounds the work of checking and evaluating.
MAX_LENGTH = 2000
_DYNAMIC = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)

_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
    ast.BinOp, ast.Add, ast.Sub, ast.IfExp, ast.Name, ast.Load, ast.Store, ast.Constant,
    ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Subscript, ast.Slice,
    ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.comprehension, ast.Call, ast.keyword, ast.Attribute,
)  # fmt: skip


class RefusedExpression(ValueError):
    """Why an expression is outside the language; the message is the user's."""


@lru_cache(maxsize=4096)
def refusal(expression: str) -> str | None:
    """Why *expression* may not be evaluated, or None when it may."""
    try:
        check_expression(expression)
    except RefusedExpression as reason:
        return str(reason)
    return None


def check_expression(expression: str | ast.AST) -> None:
    """Raises :class:`RefusedExpression` unless *expression* is in the language."""
    if isinstance(expression, str):
        if len(expression) > MAX_LENGTH:
            raise RefusedExpression(_("is longer than {limit} characters").format(limit=MAX_LENGTH))
        try:
            tree: ast.AST = ast.parse(expression.strip(), mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            raise RefusedExpression(_("is not a Python expression")) from None
    else:
        tree = expression
        if not isinstance(tree, ast.Expression):
            raise RefusedExpression(_("is a program, not an expression"))
    _Checker().visit(tree)


class _Checker(ast.NodeVisitor):
    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, _NODES):
            raise RefusedExpression(_("uses {construct}, which a filter may not").format(construct=_construct(node)))
        super().generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("_") or (node.id in _BUILTINS and node.id not in _BUILTIN_VALUES):
            raise RefusedExpression(_("names {name}, which a filter may not").format(name=node.id))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # Reached only for attributes that are not a listed method called (visit_Call).
        if node.attr.startswith("_") or not _rooted_in_variant_data(node):
            raise RefusedExpression(_("reads the attribute {name}, which a filter may not").format(name=node.attr))
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if isinstance(function, ast.Name) and function.id in FUNCTIONS:
            pass
        elif isinstance(function, ast.Attribute) and function.attr in METHODS:
            self.visit(function.value)
        else:
            raise RefusedExpression(
                _("calls {name}, which a filter may not (it may call {allowed})").format(
                    name=_called(function), allowed=", ".join(sorted(FUNCTIONS))
                )
            )
        for argument in node.args:
            self.visit(argument)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise RefusedExpression(_("uses {construct}, which a filter may not").format(construct="**"))
            self.visit(keyword.value)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        if node.is_async:
            raise RefusedExpression(_("uses {construct}, which a filter may not").format(construct="async for"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise RefusedExpression(_("uses {construct}, which a filter may not").format(construct=repr(node.value)))


def _rooted_in_variant_data(node: ast.Attribute) -> bool:
    value: ast.expr = node
    while isinstance(value, ast.Attribute):
        if value.attr.startswith("_"):
            return False
        value = value.value
    return isinstance(value, ast.Name) and value.id in _ATTRIBUTE_ROOTS


def _called(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return f".{function.attr}()"
    return _construct(function)


def _construct(node: ast.AST) -> str:
    words = {
        ast.Lambda: "lambda",
        ast.NamedExpr: ":=",
        ast.Starred: "*",
        ast.JoinedStr: "an f-string",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.YieldFrom: "yield",
        ast.Mult: "*",
        ast.Pow: "**",
        ast.Div: "/",
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.LShift: "<<",
        ast.MatMult: "@",
    }
    return words.get(type(node), type(node).__name__)


def unsafe_functions(texts: Iterable[str]) -> str | None:
    """Why a dynamic function (``[[name(...)]]``) in *texts* would evaluate what the
    language does not hold, or None."""
    for text in texts:
        for match in _DYNAMIC.finditer(text):
            reason = _unsafe_call(match.group(1))
            if reason is not None:
                return reason
    return None


def _unsafe_call(call: str) -> str | None:
    """A filter argument of a dynamic function: a parameter whose name holds 'filter'."""
    try:
        tree = ast.parse(call.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # sphinx-needs reports a call it cannot read and evaluates nothing
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        return None
    parameters = _parameters(tree.func.id)
    named = [(parameters[index] if index < len(parameters) else "", value) for index, value in enumerate(tree.args)]
    named += [(keyword.arg or "", keyword.value) for keyword in tree.keywords]
    for parameter, value in named:
        if "filter" in parameter and isinstance(value, ast.Constant) and isinstance(value.value, str):
            reason = refusal(value.value)
            if reason is not None:
                return _("[[{call}]]: the filter {reason}").format(call=call.strip(), reason=reason)
    return None


@cache
def _parameters(function: str) -> tuple[str, ...]:
    from sphinx_needs.functions import common

    candidate = getattr(common, function, None)
    if not callable(candidate):
        return ()
    try:
        return tuple(inspect.signature(candidate).parameters)[3:]  # after app, need, needs
    except (TypeError, ValueError):
        return ()
