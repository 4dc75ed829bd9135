"""A scalar adjoint spread over an array only where the array is needed.

The adjoint of a full reduction ``t = np.sum(x)`` is ``t_bar`` spread over ``x``'s shape
(``unreduce``). When the only use of that array multiplies it by ``x`` itself (the
adjoint of ``x = np.exp(...)``, say), the scalar does the same job without the array.

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("s_bar = unreduce(t_bar, x, None, False)\\n"
...                   "y_bar = s_bar * x").body
>>> print(to_source(gast.Module(body=inline_scalar_spreads(body, "unreduce"),
...                             type_ignores=[])), end="")
y_bar = t_bar * x
"""

from __future__ import annotations

import copy
from collections import Counter

import gast

_BODIES = ("body", "orelse")


def inline_scalar_spreads(body: list[gast.stmt], unreduce: str) -> list[gast.stmt]:
    """``body`` with each ``v = unreduce(s, x, None, False)`` whose one use is ``v * x``
    (or ``x * v``) dropped, and ``s`` used there instead. ``unreduce`` is the name the
    generated code calls the runtime helper by."""
    loads = Counter(n.id for s in body for n in gast.walk(s)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))
    return _block(body, unreduce, loads)


def _block(body: list[gast.stmt], unreduce: str, loads: Counter) -> list[gast.stmt]:
    out = list(body)
    for statement in out:
        for field in _BODIES:
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                setattr(statement, field, _block(inner, unreduce, loads))
    i = 0
    while i < len(out):
        spread = _spread(out[i], unreduce)
        if spread is None or loads[spread[0]] != 1:
            i += 1
            continue
        name, scalar, array = spread
        for j in range(i + 1, len(out)):
            use = _product_use(out[j], name, array)
            if use is not None:
                product, side = use
                setattr(product, side, copy.deepcopy(scalar))
                del out[i]
                break
            if _stores(out[j]) & ({name, array} | _names(scalar)) or \
                    name in _names(out[j]):
                i += 1
                break
        else:
            i += 1
    return out


def _spread(statement: gast.stmt, unreduce: str):
    """``(v, s, x)`` for ``v = unreduce(s, x, None, False)``."""
    if not (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)):
        return None
    value = statement.value
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and value.func.id == unreduce and len(value.args) == 4 and not value.keywords):
        return None
    scalar, array, axis, keepdims = value.args
    if not (isinstance(array, gast.Name) and isinstance(axis, gast.Constant)
            and axis.value is None and isinstance(keepdims, gast.Constant)
            and keepdims.value is False
            and isinstance(scalar, (gast.Name, gast.Constant))):
        return None
    return statement.targets[0].id, scalar, array.id


def _product_use(statement: gast.stmt, name: str, array: str):
    """``(product, side)`` where ``statement`` reads ``name`` as a factor of
    ``name * array``; None if it does not."""
    if isinstance(statement, (gast.For, gast.While, gast.If)):
        return None
    for node in gast.walk(statement):
        if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
            for side, other in (("left", node.right), ("right", node.left)):
                this = getattr(node, side)
                if isinstance(this, gast.Name) and this.id == name and \
                        isinstance(other, gast.Name) and other.id == array:
                    return node, side
    return None


def _stores(statement: gast.stmt) -> set[str]:
    return {n.id for n in gast.walk(statement)
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))}


def _names(node: gast.AST) -> set[str]:
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}
