"""Algebraic simplification of the values the other passes composed.

Rule templates are simplified as they are inlined (``s2sad/simplify.py``); folding a
value into its reader can make a new pattern of the same rules, ``-math.cos(x2) + x1``
say, which becomes ``x1 - math.cos(x2)`` (the same bits: ``a - b`` is ``a + (-b)`` and
``+`` commutes). Only a value that stays an operation is rewritten: turning ``--x`` into
``x`` would hand out ``x`` itself where the code made a new array.

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
            if isinstance(value, (*_OPERATIONS, gast.Call)):
                statement.value = value
                if facts is not None:
                    facts.forget(statement)
                changed = True
    return changed
