"""The store of compiled derivatives: bounded, and holding the functions they were built
from weakly.

An entry is dropped when every function it was looked up for has been garbage collected
(a closure made afresh at each call of its maker would otherwise leave one entry per
call), and the least recently used entry goes when there are more than ``limit``.
Whether an entry is still right is its proof's business (``s2sad.proof``), not this one's.
"""

from __future__ import annotations

import weakref
from typing import Any


class DerivativeCache:
    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._entries: dict[tuple, Any] = {}
        #: key -> {id(function): weak reference to it} for the functions it served
        self._owners: dict[tuple, dict[int, weakref.ref]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple, function: Any) -> Any:
        """The entry for ``key``, now also serving ``function``; None if there is none."""
        found = self._entries.pop(key, None)
        if found is None:
            return None
        self._entries[key] = found  # the most recently used last
        owners = self._owners.get(key)
        if owners is not None and id(function) not in owners:
            self._own(key, owners, function)
        return found

    def put(self, key: tuple, function: Any, value: Any) -> None:
        self._entries.pop(key, None)
        self._entries[key] = value
        owners = self._owners.setdefault(key, {})
        if id(function) not in owners:
            self._own(key, owners, function)
        while len(self._entries) > self.limit:
            oldest = next(iter(self._entries))
            del self._entries[oldest]
            self._owners.pop(oldest, None)

    def clear(self) -> None:
        self._entries.clear()
        self._owners.clear()

    def _own(self, key: tuple, owners: dict[int, weakref.ref], function: Any) -> None:
        ident = id(function)

        def gone(_ref: weakref.ref, key=key, ident=ident) -> None:
            current = self._owners.get(key)
            if current is None or current.get(ident) is not _ref:
                return
            del current[ident]
            if not current:  # no function left that it was built for
                self._owners.pop(key, None)
                self._entries.pop(key, None)

        try:
            owners[ident] = weakref.ref(function, gone)
        except TypeError:  # not weakly referable: kept until evicted
            pass
