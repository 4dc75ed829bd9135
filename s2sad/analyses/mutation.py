"""Mutation: the transforms assume no value is modified in place; reject what breaks that.

Two constructs could modify a value behind the derivative's back, and each is rejected at
its line unless it provably cannot:

- a call made for its effect (``x.sort()``, ``np.copyto(x, y)``) that is given an active
  value: it may write into it;
- augmented assignment (``x += e``). s2sad evaluates it as ``x = x + e``, a new value, which
  is the same thing unless another variable shares memory with ``x`` (``y = x``, a slice or
  a transpose of ``x``, a tuple holding ``x``) and is read afterwards: then the original code
  would change that variable too.

Memory sharing is tracked conservatively through the straight-line core: operations known
to return a new object (arithmetic, ufuncs, ``math``, reductions, products, ``.copy()``)
break sharing; anything else is assumed to return a view of its arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

import gast
import numpy as np

from s2sad.analyses.operations import Operation, targets_of
from s2sad.frontend import ParsedFunction

_FRESH_FUNCTIONS = {
    np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.std, np.var, np.ptp,
    np.cumsum, np.cumprod, np.median, np.average, np.dot, np.vdot, np.inner, np.outer,
    np.matmul, np.tensordot, np.einsum, np.kron, np.cross, np.concatenate, np.stack,
    np.vstack, np.hstack, np.dstack, np.column_stack, np.copy, np.array, np.where, np.clip,
    np.tile, np.repeat, np.pad, np.tril, np.triu, np.trace, np.sort, np.take, np.zeros,
    np.ones, np.full, np.zeros_like, np.ones_like, np.full_like, np.empty, np.empty_like,
}
_FRESH_METHODS = {"copy", "astype", "sum", "mean", "prod", "max", "min", "std", "var", "dot",
                  "cumsum", "cumprod", "flatten", "clip", "round", "trace", "take", "repeat"}


def check_mutation(parsed: ParsedFunction, operations: Sequence[Operation],
                   active: set[str], returned: gast.expr) -> None:
    """Raise an ``UnsupportedSyntaxError`` at the first unsafe in-place construct."""
    later = _read_after(operations, returned)
    shared: set[str] = set()
    for index, operation in enumerate(operations):
        statement = operation.statement
        if isinstance(statement, gast.Expr) and operation.kind != "inactive":
            if any(name in active for name in operation.names_read()):
                raise parsed.error(
                    statement, "a call whose result is not used may modify its arguments in "
                    "place, which s2sad cannot differentiate",
                    "use a function that returns a new value, e.g. y = np.sort(x) instead of "
                    "x.sort()")
        targets = targets_of(statement)
        origin = getattr(statement, "origin", None)
        if isinstance(origin, gast.AugAssign) and targets == [origin.target.id]:
            if origin.target.id in shared:
                raise parsed.error(
                    origin, f"augmented assignment to {origin.target.id!r}, which may share "
                    "memory with another variable still in use (a second name, a slice, a "
                    "view or a container of it)",
                    f"write {origin.target.id} = {origin.target.id} {_symbol(origin.op)} ... "
                    "to make a new value")
        shared.difference_update(targets)
        if not _is_fresh(operation):
            value = getattr(statement, "value", statement)
            read = {n.id for n in gast.walk(value) if isinstance(n, gast.Name)}
            sources = [n for n in sorted(read) if n in later[index]]
            if sources:
                shared.update(sources)
                shared.update(targets)


def _read_after(operations: Sequence[Operation], returned: gast.expr) -> list[set[str]]:
    """For each statement, the names read by any later statement or the return."""
    seen = {n.id for n in gast.walk(returned) if isinstance(n, gast.Name)}
    after: list[set[str]] = [set() for _ in operations]
    for index in reversed(range(len(operations))):
        after[index] = set(seen)
        statement = operations[index].statement
        seen |= {n.id for n in gast.walk(statement)
                 if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
    return after


def _is_fresh(operation: Operation) -> bool:
    value = getattr(operation.statement, "value", None)
    if isinstance(value, (gast.BinOp, gast.UnaryOp, gast.Compare, gast.Constant)):
        return True
    if operation.kind == "inactive" and not isinstance(value, (gast.Subscript, gast.Attribute)):
        return True
    function = operation.function
    if isinstance(function, np.ufunc) or getattr(function, "__module__", None) == "math":
        return True
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and (
            function is None or getattr(function, "__objclass__", None) is np.ndarray):
        return value.func.attr in _FRESH_METHODS
    try:
        return function in _FRESH_FUNCTIONS or (
            getattr(function, "__module__", "") or "").startswith("numpy.linalg")
    except TypeError:  # an unhashable callable
        return False


def _symbol(op: gast.operator) -> str:
    symbols = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**",
               gast.MatMult: "@", gast.FloorDiv: "//", gast.Mod: "%"}
    return symbols.get(type(op), "op")
