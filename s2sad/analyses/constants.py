"""Local constants: a variable the function sets once to a number, before any use, is that
number wherever a rule reads it.

Hyperparameters written as variables (``lam = 1.0``, ``lr = 0.1``) then reach the rules as
literals: ``g * lam`` folds to ``g`` when ``lam`` is 1, and the shape analysis sees a
scalar operand, so no ``unbroadcast`` is needed around ``lam * theta``'s adjoint. The
primal statements are left as written (the forward sweep still reads ``lam``).

Only a top-level assignment of an ``int`` or ``float`` literal to a name assigned nowhere
else (a parameter never is) counts, and only reads in later top-level statements (or
inside them), so no read can see the name before it is set.

>>> import gast
>>> tree = gast.parse('''
... def f(x):
...     lam = 0.5
...     for k in range(3):
...         x = x - lam * x
...     return x''')
>>> reads = constant_reads(tree.body[0])
>>> sorted((node.id, constant.value) for node, constant in reads.values())
[('lam', 0.5)]
"""

from __future__ import annotations

from collections import Counter

import gast

from s2sad.trees import walk

__all__ = ["constant_reads"]


def constant_reads(function: gast.FunctionDef) -> dict[int, tuple[gast.Name, gast.Constant]]:
    """``id(read) -> (read, constant)`` for every read of a local constant in ``function``."""
    stores = Counter(n.id for n in walk(function)
                     if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)))
    args = function.args
    parameters = {a.id for a in list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
                  + [a for a in (args.vararg, args.kwarg) if a is not None]}
    known: dict[str, gast.Constant] = {}
    found: dict[int, tuple[gast.Name, gast.Constant]] = {}
    for statement in function.body:
        if known:
            for node in walk(statement):
                if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and \
                        node.id in known:
                    found[id(node)] = (node, known[node.id])
        name, value = _constant_assignment(statement)
        if name is not None and stores[name] == 1 and name not in parameters:
            known[name] = value
    return found


def _constant_assignment(statement: gast.stmt):
    """``(name, constant)`` for ``name = <int or float literal>``, else ``(None, None)``."""
    if isinstance(statement, gast.Assign) and len(statement.targets) == 1 and \
            isinstance(statement.targets[0], gast.Name) and \
            isinstance(statement.value, gast.Constant) and \
            type(statement.value.value) in (int, float):
        return statement.targets[0].id, statement.value
    return None, None
