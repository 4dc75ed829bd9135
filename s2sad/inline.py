"""The derivatives ``grad`` and its kin built, by function, for ``s2sad.grad(f)(x)``
written inline: asked again for the same function with the same arguments, the API finds
what it built last time by one dictionary look-up (and then checks the derivative's proof,
``s2sad.proof``), instead of reading the function's signature and making the request and
the cache key again.

An entry holds its function weakly and goes with it, and with the derivative when the
pipeline's bounded cache evicts that (``forget``); ``clear_cache`` empties the store.
It keeps the compiled derivative, never the object handed out, which refers to the
function: that object is made afresh at each call.

>>> def f(x):
...     return 2 * x
>>> store = InlineDerivatives()
>>> with store.recording("grad", f, 0, {}) as recording:
...     store.record(f, "compiled derivative", "handed out")
...     recording.keep("handed out")
>>> store.find("grad", f, 0, {}), store.find("grad", f, 1, {})
('compiled derivative', None)
>>> del f, recording
>>> len(store)
0
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator
from typing import Any


class InlineDerivatives:
    def __init__(self) -> None:
        #: (maker, id(function), wrt, options) -> (the function, weakly; what was built)
        self._entries: dict[tuple, tuple[weakref.ref, Any]] = {}
        #: id of what was built -> the keys of its entries
        self._keys: dict[int, set[tuple]] = {}
        self._local = threading.local()

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, maker: str, function: Any, wrt: Any, options: dict) -> Any:
        """What was built for ``function`` asked with ``wrt`` and ``options``, or None."""
        key = _key(maker, function, wrt, options)
        entry = None if key is None else self._entries.get(key)
        if entry is None or entry[0]() is not function:
            return None
        return entry[1]

    @contextlib.contextmanager
    def recording(self, maker: str, function: Any, wrt: Any,
                  options: dict) -> Iterator[_Recording]:
        """While the API makes a derivative of ``function`` the long way: what ``record``
        notes, kept by the recording's ``keep``."""
        recording = _Recording(self, _key(maker, function, wrt, options), function)
        outer = getattr(self._local, "recording", None)
        self._local.recording = recording
        try:
            yield recording
        finally:
            self._local.recording = outer

    def record(self, function: Any, built: Any, made: Any) -> None:
        """The API made the object ``made`` from ``built``, the derivative of ``function``."""
        recording = getattr(self._local, "recording", None)
        if recording is not None:
            recording.made.append((function, built, made))

    def keep(self, key: tuple, function: Any, built: Any) -> None:
        """Keep ``built`` for ``function`` under ``key``, while ``function`` lives."""

        def gone(_: weakref.ref, key=key) -> None:
            self._drop(key)

        try:
            reference = weakref.ref(function, gone)
        except TypeError:  # not weakly referable: not kept
            return
        self._drop(key)
        self._entries[key] = (reference, built)
        self._keys.setdefault(id(built), set()).add(key)

    def forget(self, built: Any) -> None:
        """Drop the entries of ``built`` (evicted from the pipeline's cache)."""
        for key in self._keys.pop(id(built), ()):
            self._entries.pop(key, None)

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            keys = self._keys.get(id(entry[1]))
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._keys[id(entry[1])]

    def clear(self) -> None:
        self._entries.clear()
        self._keys.clear()


class _Recording:
    def __init__(self, store: InlineDerivatives, key: tuple | None, function: Any) -> None:
        self._store = store
        self._key = key
        self._function = function
        self.made: list[tuple[Any, Any, Any]] = []

    def keep(self, result: Any) -> None:
        """Keep what was built when ``result``, handed out, is the one object made, and
        made for the function itself."""
        if self._key is None or len(self.made) != 1:
            return
        function, built, made = self.made[0]
        if function is self._function and made is result:
            self._store.keep(self._key, function, built)


def _key(maker: str, function: Any, wrt: Any, options: dict) -> tuple | None:
    """The look-up key, or None when ``wrt`` or an option cannot be hashed."""
    key = (maker, id(function), wrt, tuple(options.items()) if options else ())
    try:
        hash(key)
    except TypeError:
        return None
    return key


INLINE = InlineDerivatives()
