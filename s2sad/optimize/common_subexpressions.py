"""Common-subexpression elimination across the adjoint updates of one statement.

The rules for each argument of a function are written separately, so they can repeat each
other's work: the adjoints of ``x = solve(A, b)`` both solve with ``A.T``. A call that
appears more than once among the right-hand sides of one reverse block is computed once,
into a temporary, before the block (where every right-hand side is evaluated anyway).

>>> import gast
>>> from s2sad.emit import to_source
>>> parse = lambda text: gast.parse(text).body[0].value
>>> names = iter(["_t9"])
>>> hoisted, rewritten = hoist_common_calls(
...     [parse("-solve(A.T, g) @ x"), parse("uncol(solve(A.T, g))")], lambda: next(names))
>>> print(to_source(gast.Module(body=hoisted, type_ignores=[])), end="")
_t9 = solve(A.T, g)
>>> [to_source(gast.Expr(value=e)).strip() for e in rewritten]
['-_t9 @ x', 'uncol(_t9)']
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable

import gast


def hoist_common_calls(
    expressions: list[gast.expr],
    new_name: Callable[[], str],
    worth_it: Callable[[gast.Call], bool] = lambda call: True,
) -> tuple[list[gast.stmt], list[gast.expr]]:
    """Assignments computing each repeated call once, and the expressions using them.

    ``worth_it`` says which calls cost enough to be kept in a variable."""
    expressions = [copy.deepcopy(e) for e in expressions]
    hoisted: list[gast.stmt] = []
    while True:
        counts = Counter(gast.dump(n) for e in expressions for n in gast.walk(e)
                         if isinstance(n, gast.Call) and worth_it(n))
        repeated = [key for key, count in counts.items() if count > 1]
        if not repeated:
            return hoisted, expressions
        key = max(repeated, key=len)  # the largest first: it contains the smaller ones
        node = next(n for e in expressions for n in gast.walk(e) if gast.dump(n) == key)
        name = new_name()
        hoisted.append(gast.Assign(targets=[_name(name, gast.Store())],
                                   value=copy.deepcopy(node), type_comment=None))
        expressions = [_Replace(key, name).visit(e) for e in expressions]


def _name(identifier: str, ctx: gast.expr_context) -> gast.Name:
    return gast.Name(id=identifier, ctx=ctx, annotation=None, type_comment=None)


class _Replace(gast.NodeTransformer):
    def __init__(self, key: str, name: str) -> None:
        self.key = key
        self.name = name

    def visit_Call(self, node: gast.Call) -> gast.expr:
        if gast.dump(node) == self.key:
            return _name(self.name, gast.Load())
        return self.generic_visit(node)
