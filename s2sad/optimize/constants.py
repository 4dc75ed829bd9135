"""Propagate local constants: a variable the function sets once to a number, before any
use, is that number wherever it is read.

Hyperparameters written as variables (``lam = 1.0``, ``lr = 0.1``) then reach the rules as
literals: ``g * lam`` folds to ``g`` when ``lam`` is 1, and the shape analysis sees a
scalar operand, so no ``unbroadcast`` is needed around ``lam * theta``'s adjoint. The
assignment stays (the variable still exists for a reader of the code or a debugger).

Only a top-level assignment of an ``int`` or ``float`` literal to a name assigned nowhere
else (a parameter never is) counts, and only reads in later top-level statements (or
inside them) are replaced, so no read can see the name before it is set.

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse('''
... def f(x):
...     lam = 0.5
...     for k in range(3):
...         x = x - lam * x
...     return x''')
>>> propagate_constants(tree.body[0])
True
>>> print(to_source(tree.body[0]), end="")
def f(x):
    lam = 0.5
    for k in range(3):
        x = x - 0.5 * x
    return x
"""

from __future__ import annotations

from collections import Counter

import gast

__all__ = ["propagate_constants"]


def propagate_constants(function: gast.FunctionDef) -> bool:
    """Replace reads of local constants in ``function`` in place; whether any changed."""
    stores = Counter(n.id for n in gast.walk(function)
                     if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)))
    args = function.args
    parameters = {a.id for a in list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
                  + [a for a in (args.vararg, args.kwarg) if a is not None]}
    known: dict[str, gast.Constant] = {}
    changed = False
    for statement in function.body:
        if known:
            changed |= _replace_reads(statement, known)
        name, value = _constant_assignment(statement)
        if name is not None and stores[name] == 1 and name not in parameters:
            known[name] = value
    return changed


def _constant_assignment(statement: gast.stmt):
    """``(name, constant)`` for ``name = <int or float literal>``, else ``(None, None)``."""
    if isinstance(statement, gast.Assign) and len(statement.targets) == 1 and \
            isinstance(statement.targets[0], gast.Name) and \
            isinstance(statement.value, gast.Constant) and \
            type(statement.value.value) in (int, float):
        return statement.targets[0].id, statement.value
    return None, None


def _replace_reads(node: gast.AST, known: dict[str, gast.Constant]) -> bool:
    changed = False
    for field, value in gast.iter_fields(node):
        if isinstance(value, list):
            for i, item in enumerate(value):
                if _is_read(item, known):
                    value[i] = _literal(item, known)
                    changed = True
                elif isinstance(item, gast.AST):
                    changed |= _replace_reads(item, known)
        elif _is_read(value, known):
            setattr(node, field, _literal(value, known))
            changed = True
        elif isinstance(value, gast.AST):
            changed |= _replace_reads(value, known)
    return changed


def _is_read(node, known) -> bool:
    return isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and node.id in known


def _literal(name: gast.Name, known) -> gast.Constant:
    constant = gast.Constant(value=known[name.id].value, kind=None)
    return gast.copy_location(constant, name)
