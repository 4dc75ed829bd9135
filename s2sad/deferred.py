"""The general version of a derivative that has a specialized one, built when first needed.

Most calls of such a derivative take the specialized code (real or float arguments), so
the general version is built only when something asks for it: the specialized code's
fallback call (a complex argument, say), a later transformation that reads the generated
code (a second derivative), or its source. Built once; from then on the closure cells that
held the stub hold the general function itself, so calls go straight to it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from s2sad.dispatch import generic


class DeferredVersion:
    """A stub for a version not built yet, called like the function it stands for."""

    def __init__(self, name: str, build: Callable[[], Any]) -> None:
        self.__name__ = self.__qualname__ = name
        self._build: Callable[[], Any] | None = build
        self._built: Any = None  # a compiler.Generated
        self._error: BaseException | None = None  # why building failed, raised again
        self._cells: list = []
        self._lock = threading.RLock()  # re-entered, it fails rather than hangs

    @property
    def built(self) -> bool:
        return self._built is not None

    def attach(self, function: Any, name: str) -> None:
        """``function`` reaches this stub through its closure variable ``name``: once the
        version is built, that cell holds the built function instead."""
        cell = function.__closure__[function.__code__.co_freevars.index(name)]
        if self._built is None:
            self._cells.append(cell)
        else:
            cell.cell_contents = self._built.function

    def generated(self) -> Any:
        """The built version (a ``Generated``), built now if it is not yet."""
        with self._lock:
            if self._error is not None:
                raise self._error
            if self._built is None:
                try:
                    self._built = self._build()
                except BaseException as error:  # the transformation is not run twice
                    self._error = error
                    raise
                self._build = None
                for cell in self._cells:
                    cell.cell_contents = self._built.function
                self._cells.clear()
        return self._built

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.generated().function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.__name__}, built on its first call>"


def resolved(value: Any) -> Any:
    """``value``, or the function it stands for when it is a stub (building it), or the
    derivative for any shapes when it is a dispatcher (``dispatch.py``)."""
    value = generic(value)
    if isinstance(value, DeferredVersion):
        return value.generated().function
    return value
