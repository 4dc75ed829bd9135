"""The derivatives ``grad`` and its kin built, by function, for ``s2sad.grad(f)(x)``
written inline: asked again for the same function with the same arguments, the API finds
what it built last time by one dictionary look-up (and then checks the derivative's proof,
``s2sad.proof``), instead of reading the function's signature and making the request and
the cache key again.

An entry holds its function weakly and goes with it; ``clear_cache`` empties the store.
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
        recording = _Recording(self._entries, _key(maker, function, wrt, options), function)
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

    def clear(self) -> None:
        self._entries.clear()


class _Recording:
    def __init__(self, entries: dict, key: tuple | None, function: Any) -> None:
        self._entries = entries
        self._key = key
        self._function = function
        self.made: list[tuple[Any, Any, Any]] = []

    def keep(self, result: Any) -> None:
        """Keep what was built when ``result``, handed out, is the one object made, and
        made for the function itself."""
        if self._key is None or len(self.made) != 1:
            return
        function, built, made = self.made[0]
        if function is not self._function or made is not result:
            return

        def gone(_: weakref.ref, key=self._key, entries=self._entries) -> None:
            entries.pop(key, None)

        try:
            self._entries[self._key] = (weakref.ref(function, gone), built)
        except TypeError:  # not weakly referable: not kept
            pass


def _key(maker: str, function: Any, wrt: Any, options: dict) -> tuple | None:
    """The look-up key, or None when ``wrt`` or an option cannot be hashed."""
    key = (maker, id(function), wrt, tuple(options.items()) if options else ())
    try:
        hash(key)
    except TypeError:
        return None
    return key


INLINE = InlineDerivatives()
