"""The store of compiled derivatives: bounded, and holding the functions they were built
from weakly.

An entry is dropped when every function it was looked up for has been garbage collected
(a closure made afresh at each call of its maker would otherwise leave one entry per
call), and the least recently used entry goes when there are more than ``limit``.
Whether an entry is still right is its proof's business (``s2sad.proof``), not this one's.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any


class DerivativeCache:
    def __init__(self, limit: int = 1024, on_evict: Any = None) -> None:
        self.limit = limit
        #: called with the value of each entry evicted to keep the bound
        self._on_evict = on_evict
        #: key -> [value, {id(function): weak reference} for the functions it served,
        #: when it was last used]
        self._entries: dict[tuple, list] = {}
        self._clock = itertools.count()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, function: Any) -> Any:
        """The entry for ``key``, now also serving ``function``; None if there is none."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        entry[2] = next(self._clock)
        if id(function) not in entry[1]:
            self._own(key, entry[1], function)
        return entry[0]

    def put(self, key: tuple, function: Any, value: Any) -> None:
        while len(self._entries) >= self.limit and key not in self._entries:
            oldest = min(self._entries, key=lambda k: self._entries[k][2])
            evicted = self._entries.pop(oldest)
            if self._on_evict is not None:
                self._on_evict(evicted[0])
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = [value, {}, 0]
        entry[0], entry[2] = value, next(self._clock)
        if id(function) not in entry[1]:
            self._own(key, entry[1], function)

    def clear(self) -> None:
        self._entries.clear()

    def _own(self, key: tuple, owners: dict[int, weakref.ref], function: Any) -> None:
        ident = id(function)

        def gone(ref: weakref.ref, key=key, ident=ident, owners=owners) -> None:
            if owners.get(ident) is not ref:
                return
            del owners[ident]
            entry = self._entries.get(key)
            if not owners and entry is not None and entry[1] is owners:
                del self._entries[key]  # no function left that it was built for

        try:
            owners[ident] = weakref.ref(function, gone)
        except TypeError:  # not weakly referable: kept until evicted
            pass
