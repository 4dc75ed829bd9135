"""Algebraic simplification of the values the other passes composed.

Rule templates are simplified as they are inlined (``s2sad/simplify.py``); folding a
value into its reader can make a new pattern of the same rules, ``-math.cos(x2) + x1``
say, which becomes ``x1 - math.cos(x2)`` (the same bits: ``a - b`` is ``a + (-b)`` and
``+`` commutes). Only a value that stays an operation, or becomes a call of a NumPy
ufunc, is rewritten: turning ``--x`` into ``x`` would hand out ``x`` itself where the
code made a new array, and ``np.reshape(x, s) * 1.0`` into ``np.reshape(x, s)`` a view of
``x``, which a later write into the result would change.

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("x2_bar = -math.cos(x2) + x1\\ny = --x").body
>>> simplify_values(body)
True
>>> print(to_source(gast.Module(body=body, type_ignores=[])), end="")
x2_bar = x1 - math.cos(x2)
y = --x
"""

from __future__ import annotations

import gast
import numpy as np

from s2sad.analyses.effects import FactsCache, visit_nested
from s2sad.simplify import simplified

_OPERATIONS = (gast.BinOp, gast.UnaryOp)


def simplify_values(body: list[gast.stmt], facts: FactsCache | None = None) -> bool:
    """Simplify the value of every simple statement of ``body`` that is an operation and
    stays one; whether anything changed."""
    changed = visit_nested(body, lambda inner: simplify_values(inner, facts))
    for statement in body:
        if isinstance(statement, (gast.Assign, gast.Expr, gast.Return)) and isinstance(
                statement.value, _OPERATIONS):
            value = simplified(statement.value)
            if isinstance(value, _OPERATIONS) or _fresh_call(value):
                statement.value = value
                if facts is not None:
                    facts.forget(statement)
                changed = True
    return changed


def _fresh_call(node: gast.expr) -> bool:
    """Whether ``node`` calls a NumPy ufunc without ``out=``: a new array every time."""
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
            and isinstance(getattr(np, node.func.attr, None), np.ufunc)
            and not any(k.arg == "out" for k in node.keywords))
