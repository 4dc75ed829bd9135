"""Live adjoints: the variables whose adjoint the reverse sweep may hold at a point.

Read backwards from the output. A statement's targets stop being live before it; when
one of them was live (or it appends to or pops from an active list, whose adjoint keeps
the list's length whether or not it is live yet) the active names it reads become live.
Both branches of an ``if`` are read from the same live set and their results joined; a
loop's head is the fixed point of the adjoints live after it and those an iteration
hands to the one before. The facts are a superset of what the reverse transform makes
live, which it checks at every loop.

>>> import gast
>>> from s2sad.analyses.operations import Operation
>>> tree = gast.parse("def f(x, a):\\n    y = x\\n    for i in n:\\n        y = y, a\\n"
...                   "    z = y, x\\n    return z").body[0]
>>> first, loop, last = tree.body[:3]
>>> def names(*ids):
...     return [gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
...             for n in ids]
>>> operations = {id(first): Operation("copy", first, operands=names("x")),
...               id(loop.body[0]): Operation("display", loop.body[0],
...                                           operands=names("y", "a")),
...               id(last): Operation("display", last, operands=names("y", "x"))}
>>> flow = AdjointFlow(lambda s: operations[id(s)], {"x", "y", "z"})
>>> sorted(flow.loop_head(loop, {"y", "x"})), sorted(flow.before(tree.body[:3], {"z"}))
(['x', 'y'], ['x'])
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import gast

from s2sad.analyses.operations import Operation, targets_of


@dataclass(frozen=True)
class AdjointFlow:
    """The live-adjoint analysis over one core body: each simple statement's operation
    and the active names."""

    operation_of: Callable[[gast.stmt], Operation]
    active: Collection[str]

    def before(self, statements: list[gast.stmt], live: set[str]) -> set[str]:
        """The adjoints live before ``statements``, given those ``live`` after them."""
        live = set(live)
        for statement in reversed(statements):
            if isinstance(statement, gast.If):
                live = self.before(statement.body, live) | self.before(statement.orelse, live)
            elif isinstance(statement, (gast.For, gast.While)):
                live = self.loop_head(statement, live)
            else:
                live = self._before_simple(statement, live)
        return live

    def loop_head(self, loop: gast.For | gast.While, after: set[str]) -> set[str]:
        """The adjoints live at the end of every iteration of ``loop`` (and so before
        it), given those live ``after`` it."""
        head = set(after)
        while True:
            new = after | self.before(loop.body, head)
            if new == head:
                return head
            head = new

    def _before_simple(self, statement: gast.stmt, live: set[str]) -> set[str]:
        operation = self.operation_of(statement)
        targets = set(targets_of(statement))
        flows = operation.kind != "inactive" and (targets & live or (
            operation.kind in ("append", "pop") and operation.operands[0].id in self.active))
        live = live - targets
        if flows:
            live |= {n for n in operation.names_read() if n in self.active}
        return live
