"""Fence: reject, with the user's line and column, everything s2sad cannot differentiate.

The fence runs before any transformation, so an unsupported construct is an error that
points at it, never a wrong derivative.

>>> import gast
>>> tree = gast.parse("def f(x):\\n    global y\\n    return x")
>>> try:
...     check_supported(tree.body[0], lambda node, message, hint=None: ValueError(message))
... except ValueError as error:
...     print(error)
global statements are not supported
"""

from __future__ import annotations

from collections.abc import Callable

import gast

from s2sad.errors import UnsupportedSyntaxError
from s2sad.trees import walk

ErrorFactory = Callable[..., Exception]

_STATEMENTS = (gast.Assign, gast.AugAssign, gast.Return, gast.Pass, gast.Expr, gast.Assert,
               gast.Break, gast.Continue, gast.Raise, gast.Delete)
_COMPOUND = (gast.If, gast.For, gast.While)

_EXPRESSIONS = (
    gast.DictComp,
    gast.NamedExpr,
    gast.JoinedStr,
    gast.FormattedValue,
    gast.BinOp,
    gast.UnaryOp,
    gast.Call,
    gast.Name,
    gast.Constant,
    gast.Attribute,
    gast.Subscript,
    gast.Tuple,
    gast.List,
    gast.Slice,
    gast.Compare,
    gast.IfExp,
    gast.BoolOp,
    gast.ListComp,
    gast.GeneratorExp,
    gast.comprehension,
    gast.Dict,
    gast.Set,
    gast.Lambda,
    gast.boolop,
    gast.keyword,
    gast.Load,
    gast.Store,
    gast.Param,
    gast.Del,
    gast.arguments,
    gast.operator,
    gast.unaryop,
    gast.cmpop,
    gast.expr_context,
)

#: The message for each rejected construct, and what to do instead.
_REJECTED = {
    gast.Try: (
        "try statements are not supported",
        "move the try/except outside the differentiated function",
    ),
    gast.With: (
        "with statements are not supported",
        "move the with block outside the differentiated function",
    ),
    gast.AsyncWith: ("async with is not supported", None),
    gast.AsyncFor: ("async for is not supported", None),
    gast.AsyncFunctionDef: ("async functions are not supported", None),
    gast.Await: ("await is not supported", None),
    gast.Yield: (
        "yield is not supported",
        "generators cannot be differentiated; return a value instead",
    ),
    gast.YieldFrom: ("yield from is not supported", "generators cannot be differentiated"),
    gast.Global: (
        "global statements are not supported",
        "pass the value as an argument and return the result",
    ),
    gast.Nonlocal: (
        "nonlocal statements are not supported",
        "pass the value as an argument and return the result",
    ),
    gast.Import: ("imports inside the function are not supported", "import at module level"),
    gast.ImportFrom: ("imports inside the function are not supported", "import at module level"),
    gast.FunctionDef: (
        "nested function definitions are not supported",
        "define the helper at module level",
    ),
    gast.ClassDef: ("class definitions inside the function are not supported", None),
    gast.Lambda: (
        "lambda expressions inside the function are not supported",
        "bind it to a name first (g = lambda t: ...), then call g",
    ),
    gast.SetComp: (
        "set comprehensions are not supported: a set has no order to differentiate by",
        "use a list comprehension, and dict.fromkeys(...) or a test 'v in seen' to drop "
        "repeated values",
    ),
    gast.Starred: (
        "unpacking into a list, tuple or set display ([*xs, y]) is not supported",
        "join them instead: xs + [y] for lists, np.concatenate([xs, [y]]) for arrays",
    ),
}

#: A set display of computed values; one of constants (``k in {"a", "b"}``) is allowed.
_SET = ("set displays of computed values are not supported: a set has no order to "
        "differentiate by", "use a list or a tuple ([a, b]); a set of constants is fine")


def check_supported(function: gast.FunctionDef, error: ErrorFactory) -> None:
    """Raise ``error(node, message, hint)`` at the first construct outside the subset."""
    _check_block(function.body, error)


def _check_block(body: list[gast.stmt], error: ErrorFactory) -> None:
    for statement in body:
        _check_statement(statement, error)


def _check_statement(statement: gast.stmt, error: ErrorFactory) -> None:
    _reject_if_known(statement, error)
    if isinstance(statement, _COMPOUND):
        header = statement.iter if isinstance(statement, gast.For) else statement.test
        if isinstance(statement, gast.For):
            _check_target(statement.target, error)
        _check_expression(header, error)
        _check_assignment_expressions(header, error)
        _check_block(statement.body, error)
        _check_block(statement.orelse, error)
        return
    if not isinstance(statement, _STATEMENTS):
        raise error(statement, f"{type(statement).__name__} statements are not supported")
    _check_assignment_expressions(statement, error)
    if isinstance(statement, gast.Raise) and statement.exc is None:
        raise error(statement, "a bare raise (raising again) is not supported",
                    "raise the exception by name: raise ValueError(...)")
    if isinstance(statement, gast.Assign):
        for target in statement.targets:
            _check_target(target, error)
    if isinstance(statement, gast.AugAssign):
        _check_target(statement.target, error)
    targets = statement.targets if isinstance(statement, gast.Assign) else \
        [statement.target] if isinstance(statement, gast.AugAssign) else []
    for child in gast.iter_child_nodes(statement):
        if not any(child is t for t in targets):  # (checked as targets above)
            _check_expression(child, error)


def _check_expression(expression: gast.AST, error: ErrorFactory) -> None:
    unpacked = {id(a) for n in walk(expression) if isinstance(n, gast.Call)
                for a in n.args if isinstance(a, gast.Starred)}  # f(*args) is fine
    keys = {id(k.value) for n in walk(expression) if isinstance(n, gast.Call)
            for k in n.keywords if k.arg == "key"}
    for child in walk(expression):
        if id(child) in unpacked:
            continue
        if isinstance(child, gast.Set):
            if not all(isinstance(e, gast.Constant) for e in child.elts):
                raise error(child, *_SET)
            continue
        if isinstance(child, gast.Lambda) and id(child) in keys:
            continue  # sorted(xs, key=lambda v: ...): the lowering takes it (or refuses)
        _reject_if_known(child, error)
        if not isinstance(child, _EXPRESSIONS):
            raise error(child, f"{type(child).__name__} is not supported")
        if isinstance(child, gast.Dict) and None in child.keys:
            raise error(child, "unpacking into a dict display ({**d}) is not supported",
                        "build the dict key by key")
        if isinstance(child, gast.FormattedValue) and child.format_spec is not None and any(
                not isinstance(p, gast.Constant) for p in child.format_spec.values):
            raise error(child, "a computed format spec in an f-string is not supported",
                        "write the spec as text: f'{x:.3f}'")
        if isinstance(child, gast.keyword) and child.arg == "out":
            raise error(child.value, "writing a result into an out= array is not supported",
                        "use the returned value instead")


def _check_target(target: gast.expr, error: ErrorFactory) -> None:
    if isinstance(target, gast.Name):
        return
    if isinstance(target, (gast.Tuple, gast.List)):
        for element in target.elts:  # (Python allows one starred name: a, *b, c = xs)
            _check_target(element.value if isinstance(element, gast.Starred) else element,
                          error)
        return
    if isinstance(target, gast.Subscript):
        if not isinstance(target.value, gast.Name):
            raise error(
                target,
                "assignment through a nested index or an attribute is not supported",
                "index once, e.g. x[i, j] = v instead of x[i][j] = v",
            )
        _check_expression(target.slice, error)
        return
    if isinstance(target, gast.Attribute):
        raise error(
            target,
            "assignment to an attribute is not supported",
            "keep the value in a local variable",
        )
    raise error(target, f"cannot assign to {type(target).__name__}")


def _reject_if_known(node: gast.AST, error: ErrorFactory) -> None:
    kind = type(node)
    if kind not in _REJECTED_TYPES:  # the first rejected construct it is, once per type
        _REJECTED_TYPES[kind] = next(
            (why for rejected, why in _REJECTED.items() if issubclass(kind, rejected)), None)
    why = _REJECTED_TYPES[kind]
    if why is not None:
        raise error(node, *why)


_REJECTED_TYPES: dict[type, tuple[str, str | None] | None] = {}


__all__ = ["UnsupportedSyntaxError", "check_supported"]



def _check_assignment_expressions(node: gast.AST, error: ErrorFactory) -> None:
    """An assignment expression is taken out of its statement (or an ``if``/``while`` test,
    a ``for`` sequence): refused where the statement reads its name before it."""
    walrus = _read_before_assigned(node)
    if walrus is not None:
        raise error(walrus, f"{walrus.target.id!r} is read before this assignment expression "
                    "assigns it, in the same statement", "assign in a separate statement")


def _read_before_assigned(statement: gast.AST) -> gast.NamedExpr | None:
    """The first ``(n := e)`` of ``statement`` whose ``n`` the statement also reads before
    it in Python's order (``x + (x := 2 * x)``), which taking it out would change."""
    for node in walk(statement):
        if not isinstance(node, gast.NamedExpr):
            continue
        inside = {id(n) for n in walk(node)}
        for other in walk(statement):
            if isinstance(other, gast.Name) and other.id == node.target.id and \
                    id(other) not in inside and (other.lineno, other.col_offset) < (
                        node.lineno, node.col_offset):
                return node
    return None
