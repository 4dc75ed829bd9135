"""An element written once into an array of zeros is assigned, not added to.

The adjoint of ``xs[t]`` read in a loop adds into ``xs_bar[t]``; when ``xs_bar`` was just
made of zeros and the loop's only touch of it is ``xs_bar[t] += e`` with ``t`` the loop's
own index over a ``range`` (each element reached once), the element is still zero when it
is reached, and ``xs_bar[t] = e`` is what a person writes (the same number; only a
negative zero's sign would differ).

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse("def f(xs, g):\\n    xs_bar = np.zeros_like(xs)\\n"
...                   "    for t in reversed(range(3)):\\n        xs_bar[t] += g * t\\n"
...                   "    return xs_bar")
>>> assign_first_writes(tree.body[0], lambda node: node.attr == "zeros_like")
True
>>> print(to_source(tree.body[0]), end="")
def f(xs, g):
    xs_bar = np.zeros_like(xs)
    for t in reversed(range(3)):
        xs_bar[t] = g * t
    return xs_bar
"""

from __future__ import annotations

from collections.abc import Callable

import gast

from s2sad.trees import walk

_BODIES = ("body", "orelse")


def assign_first_writes(definition: gast.FunctionDef,
                        is_zeros_like: Callable[[gast.Attribute], bool]) -> bool:
    """Turn each ``X[t] += e`` described in the module into ``X[t] = e``, in every block
    of ``definition``; ``is_zeros_like`` tells the attribute ``np.zeros_like``. Whether
    any was."""
    return _block(definition.body, is_zeros_like)


def _block(block: list[gast.stmt], is_zeros_like) -> bool:
    changed = False
    for statement in block:
        for field in _BODIES:
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                changed |= _block(inner, is_zeros_like)
    for position, statement in enumerate(block):
        array = _zeros_made(statement, is_zeros_like)
        if array is None:
            continue
        for later in block[position + 1:]:
            if isinstance(later, gast.For) and array in _names(later):
                changed |= _assign_in_loop(later, array)
                break
            if array in _names(later):
                break
    return changed


def _zeros_made(statement: gast.stmt, is_zeros_like) -> str | None:
    """``X`` for ``X = np.zeros_like(a)``."""
    if (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)
            and isinstance(statement.value, gast.Call)
            and isinstance(statement.value.func, gast.Attribute)
            and is_zeros_like(statement.value.func) and len(statement.value.args) == 1
            and not statement.value.keywords):
        return statement.targets[0].id
    return None


def _assign_in_loop(loop: gast.For, array: str) -> bool:
    """``X[t] += e`` into ``X[t] = e`` where it is the loop's one touch of ``X``."""
    if loop.orelse or not (isinstance(loop.target, gast.Name) and _over_a_range(loop.iter)):
        return False
    index = loop.target.id
    touching = [s for s in walk(loop) if isinstance(s, gast.stmt) and s is not loop
                and array in _names(s)]
    if len(touching) != 1 or touching[0] not in loop.body:
        return False
    update = touching[0]
    if not (isinstance(update, gast.AugAssign) and isinstance(update.op, gast.Add)
            and isinstance(update.target, gast.Subscript)
            and isinstance(update.target.value, gast.Name)
            and update.target.value.id == array
            and isinstance(update.target.slice, gast.Name)
            and update.target.slice.id == index and array not in _names(update.value)):
        return False
    if any(isinstance(n, gast.Name) and n.id == index and not isinstance(n.ctx, gast.Load)
           for s in loop.body for n in walk(s)):
        return False
    position = loop.body.index(update)
    loop.body[position] = gast.Assign(targets=[update.target], value=update.value,
                                      type_comment=None)
    return True


def _over_a_range(iterable: gast.expr) -> bool:
    """``range(...)`` or ``reversed(range(...))`` of values that are never negative: each
    value once, and, as an index, each element once (``range(-1, n)`` reads ``x[-1]``, the
    last element, twice)."""
    if _call_of(iterable, "reversed") and len(iterable.args) == 1:
        iterable = iterable.args[0]
    if not _call_of(iterable, "range") or not 1 <= len(iterable.args) <= 3:
        return False
    args = [_integer(a) for a in iterable.args]
    if len(args) == 1:
        return True
    start, stop, step = args + [1] * (3 - len(args))
    if step is None or step == 0:
        return False
    if step > 0:  # from start up
        return start is not None and start >= 0
    return stop is not None and stop >= -1  # down to stop, exclusive


def _integer(node: gast.expr) -> int | None:
    """The value of an integer constant (``-1`` too), or None."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = _integer(node.operand)
        return None if inner is None else -inner
    if isinstance(node, gast.Constant) and type(node.value) is int:
        return node.value
    return None


def _call_of(node: gast.expr, name: str) -> bool:
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
            and node.func.id == name and not node.keywords)


def _names(node: gast.AST) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, gast.Name)}
