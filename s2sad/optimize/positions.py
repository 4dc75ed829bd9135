"""Where in a block each name is read and assigned, so that a pass looking for the next
read or assignment of a name after a statement finds it without walking the statements
in between (``copies.py``, ``substitution.py``): linear in the block's length, where a
scan from every statement is quadratic.

>>> import gast
>>> from s2sad.analyses.effects import FactsCache
>>> body = gast.parse("a = x\\nb = a * 2\\nx = b\\nc = a").body
>>> positions = NamePositions(body, FactsCache())
>>> positions.next_load("a", 0), positions.next_load("a", 1), positions.next_load("b", 2)
(1, 3, None)
>>> positions.next_store(["x", "c"], 0)
2
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable

import gast

from s2sad.analyses.effects import Facts, FactsCache


class NamePositions:
    """The positions of the statements of a block that read (assign) each name, kept up
    to date by ``changed`` as the statements change in place."""

    def __init__(self, statements: list[gast.stmt], facts: FactsCache) -> None:
        self._loads: dict[str, list[int]] = {}
        self._stores: dict[str, list[int]] = {}
        #: position -> the facts its entries were made from
        self._known: list[Facts] = []
        for position, statement in enumerate(statements):
            known = facts(statement)
            self._known.append(known)
            self._add(position, known)

    def next_load(self, name: str, after: int) -> int | None:
        """The first position after ``after`` whose statement reads ``name``."""
        return _next(self._loads.get(name), after)

    def next_store(self, names: Iterable[str], after: int) -> int | None:
        """The first position after ``after`` whose statement assigns one of ``names``."""
        found = [p for p in (_next(self._stores.get(n), after) for n in names)
                 if p is not None]
        return min(found, default=None)

    def changed(self, position: int, known: Facts) -> None:
        """The statement at ``position`` now has the facts ``known``."""
        before = self._known[position]
        self._known[position] = known
        for names, table, now in ((before.loads, self._loads, known.loads),
                                  (before.stores, self._stores, known.stores)):
            for name in names:
                if names[name] and not now[name]:
                    table[name].remove(position)
            for name in now:
                if now[name] and not names[name]:
                    insort(table.setdefault(name, []), position)

    def _add(self, position: int, known: Facts) -> None:
        for name, count in known.loads.items():
            if count:
                self._loads.setdefault(name, []).append(position)
        for name, count in known.stores.items():
            if count:
                self._stores.setdefault(name, []).append(position)


def next_position(positions: list[int], after: int) -> int | None:
    """The first of the sorted ``positions`` after ``after``."""
    return _next(positions, after)


def _next(positions: list[int] | None, after: int) -> int | None:
    if not positions:
        return None
    found = bisect_right(positions, after)
    return positions[found] if found < len(positions) else None
