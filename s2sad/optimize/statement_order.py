"""The order of independent statements in an adjoint: the parameters' adjoints in the
order of the parameters.

The reverse sweep meets a statement's operands last to first, so the adjoints of ``W @ x``
come out as ``W_bar`` then ``x_bar`` and those of ``f(x1) + g(x2)`` as ``x2_bar`` then
``x1_bar``. A person writes the gradient's parts in the order of the parameters they belong
to. Within the derivative of one primal statement (between two comments), two adjacent
assignments ``a = e1``, ``b = e2`` of pure values where neither reads or writes what the
other writes are swapped when both are adjoints the function returns and ``b`` belongs to
an earlier parameter than ``a``, until no such pair is left.
Only plain assignments of a name move: a write into an array, a tape's push or pop, a
call with effects and a comment stay where they are, and so does everything else around
them. Values and their order of dependence are untouched, so the results are the same
bits.

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse("def f_adjoint(x, W, y_bar):\\n    h_bar = y_bar * 2\\n"
...                   "    W_bar = np.outer(h_bar, x)\\n    x_bar = W.T @ h_bar\\n"
...                   "    return x_bar, W_bar")
>>> order_parameter_adjoints(tree.body[0], lambda name: True)
True
>>> print(to_source(tree.body[0]), end="")
def f_adjoint(x, W, y_bar):
    h_bar = y_bar * 2
    x_bar = W.T @ h_bar
    W_bar = np.outer(h_bar, x)
    return x_bar, W_bar
"""

from __future__ import annotations

from collections.abc import Callable

import gast

from s2sad.nodes import is_comment
from s2sad.trees import walk

_BODIES = ("body", "orelse")


def order_parameter_adjoints(definition: gast.FunctionDef,
                             pure: Callable[[gast.expr], bool]) -> bool:
    """Order the independent assignments of ``definition``'s adjoint as the module says;
    ``pure(value)`` tells a value that may be computed earlier or later. Whether anything
    moved."""
    rank = _returned_ranks(definition)
    if not rank:
        return False
    return _order_block(definition.body, rank, pure)


def _returned_ranks(definition: gast.FunctionDef) -> dict[str, int]:
    """The adjoints the function returns, by their position in what it returns."""
    returned = definition.body[-1] if definition.body else None
    if not isinstance(returned, gast.Return) or returned.value is None:
        return {}
    parts = returned.value.elts if isinstance(returned.value, gast.Tuple) else [returned.value]
    rank: dict[str, int] = {}
    for position, part in enumerate(parts):
        while isinstance(part, gast.Call) and part.args:  # match(x_bar, x)
            part = part.args[0]
        if isinstance(part, gast.Name):
            rank.setdefault(part.id, position)
    return rank


def _order_block(block: list[gast.stmt], rank: dict[str, int],
                 pure: Callable[[gast.expr], bool]) -> bool:
    changed = False
    for statement in block:
        for field in _BODIES:
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                changed |= _order_block(inner, rank, pure)
    swapped = True
    while swapped:
        swapped = False
        for i in range(len(block) - 1):
            first, second = block[i], block[i + 1]
            if not (_movable(first, pure) and _movable(second, pure)):
                continue
            if _target(first) in rank and _target(second) in rank and \
                    rank[_target(second)] < rank[_target(first)] and \
                    _independent(first, second):
                block[i], block[i + 1] = second, first
                swapped = changed = True
    return changed


def _movable(statement: gast.stmt, pure: Callable[[gast.expr], bool]) -> bool:
    """``name = value`` with a pure value: it may run before or after its neighbours."""
    return (isinstance(statement, gast.Assign) and not is_comment(statement)
            and len(statement.targets) == 1 and isinstance(statement.targets[0], gast.Name)
            and pure(statement.value))


def _target(statement: gast.Assign) -> str:
    return statement.targets[0].id


def _independent(first: gast.Assign, second: gast.Assign) -> bool:
    """Whether neither statement reads or writes the name the other writes."""
    return (_target(first) not in _names(second) and _target(second) not in _names(first))


def _names(statement: gast.stmt) -> set[str]:
    return {n.id for n in walk(statement) if isinstance(n, gast.Name)}
