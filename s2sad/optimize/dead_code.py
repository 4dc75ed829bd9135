"""Dead-code elimination over a forward sweep.

A primal statement whose results nothing later reads (neither the rest of the forward
sweep, nor the reverse sweep, nor the return) is dropped: ``grad`` does not compute the
function's value unless it needs it. Only assignments whose operation is known to be pure
(Python arithmetic, functions with rules, indexing, attributes) are removed; calls of
unknown functions and expression statements stay. Branches are cleaned one by one; loops
are kept whole (a later iteration may read what an earlier one computed).

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("a = x * 2\\nb = a + 1\\nc = np.sin(x)\\nprint(c)").body
>>> pure = lambda statement: not isinstance(statement, gast.Expr)
>>> kept = eliminate_dead_code(body, needed={"a"}, is_pure=pure)
>>> print(to_source(gast.Module(body=kept, type_ignores=[])), end="")
a = x * 2
c = np.sin(x)
print(c)
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import gast


def _targets(statement: gast.stmt) -> set[str]:
    names: set[str] = set()
    if isinstance(statement, gast.Assign):
        for target in statement.targets:
            names |= {n.id for n in gast.walk(target) if isinstance(n, gast.Name)}
    return names


def _reads(statement: gast.stmt) -> set[str]:
    return {n.id for n in gast.walk(statement)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def eliminate_dead_code(statements: list[gast.stmt], needed: set[str],
                        is_pure: Callable[[gast.stmt], bool]) -> list[gast.stmt]:
    """The statements that produce something ``needed`` or have effects, in order."""
    needed = set(needed)
    kept: list[gast.stmt] = []
    for statement in reversed(statements):
        if isinstance(statement, gast.If):  # each branch on its own
            branch = copy.copy(statement)
            branch.body = eliminate_dead_code(statement.body, needed, is_pure)
            branch.orelse = eliminate_dead_code(statement.orelse, needed, is_pure)
            if branch.body or branch.orelse:
                branch.body = branch.body or [gast.Pass()]
                needed |= _reads(branch)
                kept.append(branch)
            continue
        if isinstance(statement, (gast.For, gast.While)):  # kept whole
            needed |= _reads(statement)
            kept.append(statement)
            continue
        targets = _targets(statement)
        if targets and not (targets & needed) and is_pure(statement):
            continue
        needed -= targets
        needed |= _reads(statement)
        kept.append(statement)
    kept.reverse()
    return kept
