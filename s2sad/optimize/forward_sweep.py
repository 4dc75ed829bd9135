"""The forward sweep of an adjoint without the statements whose results nothing reads.

What the reverse sweep (and the return) reads is needed; a statement of the forward sweep
that makes nothing needed goes when dropping it changes nothing else. A save
(``_x1 = x``) can go; a call made for its effect, a pop from a list, a random draw and,
when the derivative is called in place of the function (``keep_raising``), a statement
that may raise where the function does (``Effects.removable``) stay.
"""

from __future__ import annotations

from collections.abc import Callable

import gast

from s2sad.analyses.effects import Effects, Facts, effects_in
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import names_read
from s2sad.optimize.dead_code import eliminate_dead_code


def prune_forward_sweep(prepared: Prepared, forward: list[gast.stmt],
                        reverse: list[gast.stmt], keep_raising: bool) -> list[gast.stmt]:
    """``forward`` without the statements nothing in ``reverse`` needs."""
    needed = set().union(*(names_read(s) for s in reverse))
    return eliminate_dead_code(forward, needed, removable_in(prepared, keep_raising))


def removable_in(prepared: Prepared, keep_raising: bool) -> Callable[[gast.stmt], bool]:
    """The test of whether dropping a statement of ``prepared``'s forward sweep (its
    result unused) changes nothing else."""
    operation_of = {id(op.statement): op for op in prepared.operations}
    made: list[Effects] = []  # the purity tests, made when first needed

    def removable(statement: gast.stmt) -> bool:
        operation = operation_of.get(id(statement))
        if operation is None:  # a save: ``_x1 = x``
            return isinstance(statement, gast.Assign) and isinstance(statement.value,
                                                                     gast.Name)
        if operation.kind in ("opaque", "pop") or isinstance(statement, gast.Expr):
            return False  # a call for its effect, or a tape's pop: always kept
        module = getattr(operation.function, "__module__", None) or ""
        if not made:
            made.append(effects_in(prepared.namespace, prepared.namespace.user_locals,
                                   keep_raising=keep_raising))
        return "random" not in module and made[0].removable(Facts(statement))

    return removable
