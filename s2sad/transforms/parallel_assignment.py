"""Assignments meant to happen at once, written one after another.

The updates of one statement's adjoints all read adjoint values from before that
statement: ``a_bar = b_bar; b_bar = a_bar + g`` must read the old ``a_bar``. An order in
which no assignment overwrites a variable a later one still reads is found when there is
one; in a cycle the first overwritten value is kept aside first.

>>> from s2sad.nodes import load
>>> from s2sad.emit import to_source
>>> block = []
>>> pending = [("a", load("b_bar")), ("b", load("a_bar"))]
>>> for name, value in in_safe_order(pending, lambda n: n + "_bar", lambda b: b, block):
...     block.append(assign(name + "_bar", value))
>>> print("".join(to_source(s) for s in block))
a_bar_kept = a_bar
a_bar = b_bar
b_bar = a_bar_kept
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import gast

from s2sad.nodes import assign, load, names_read
from s2sad.trees import copy_tree, walk


def in_safe_order(pending: list[tuple[str, gast.expr]], variable: Callable[[str], str],
                  fresh: Callable[[str], str], block: list[gast.stmt]
                  ) -> Iterator[tuple[str, gast.expr]]:
    """The pending ``(name, value)`` assignments to ``variable(name)`` in an order where
    none overwrites a variable another still reads; in a cycle, the first clobbered value
    is kept aside in a variable named by ``fresh`` first (a statement added to
    ``block``)."""
    while pending:
        ready = next((i for i, (name, _) in enumerate(pending)
                      if not _read_by_others(variable(name), pending, i)), None)
        if ready is None:
            clobbered = variable(pending[0][0])
            kept = fresh(f"{clobbered}_kept")
            block.append(assign(kept, load(clobbered)))
            pending = [(n, _rename(e, clobbered, kept)) for n, e in pending]
            continue
        yield pending.pop(ready)


def _read_by_others(variable: str, pending: list[tuple[str, gast.expr]], index: int) -> bool:
    return any(variable in names_read(e) for i, (_, e) in enumerate(pending) if i != index)


def _rename(expression: gast.expr, old: str, new: str) -> gast.expr:
    expression = copy_tree(expression)
    for node in walk(expression):
        if isinstance(node, gast.Name) and node.id == old:
            node.id = new
    return expression
