"""Calls of a derivative of real array code, each sent to the version for its arguments'
types and shapes (``versions.ShapedVersions``): built on the second call with such
arguments (the first runs the version for any shapes: a derivative called once is not
transformed twice), as a compiler specializes a function for the types it is called with.

A dispatcher stands where the derivative function would (``grad(f)`` returns it); what a
transformation reads of it (a second derivative, a call from differentiated code) is the
derivative for any shapes, ``GENERIC``.
"""

from __future__ import annotations

import threading
import types
import weakref
from typing import Any

import numpy as np

from s2sad.pickling import reduced

#: the attribute holding a dispatcher's derivative for any shapes
GENERIC = "__s2sad_generic__"

_ARRAY = np.ndarray
#: in a dispatch table: the call runs the dispatcher's own derivative for any shapes
_GENERIC = object()
#: the versions of a derivative -> its dispatchers' table (types and shapes -> the version
#: called, or ``_GENERIC``): shared, as ``grad(f)(x)`` written inline makes a dispatcher
#: per call
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class ShapeDispatch:
    """Calls ``generic``'s versions from ``shaped`` (a ``ShapedVersions``) by the types
    and shapes of the positional arguments; other calls go to ``generic`` itself."""

    def __init__(self, generic: Any, shaped: Any, primal: Any, source: str) -> None:
        setattr(self, GENERIC, generic)
        self._shaped = shaped
        self._count = len(shaped.parameters)
        self._table: dict[tuple, Any] = _TABLES.setdefault(shaped, {})
        self._lock = threading.Lock()
        self.__wrapped__ = primal
        self.__name__ = generic.__name__
        self.__qualname__ = generic.__qualname__
        self.__doc__ = primal.__doc__
        self.__module__ = primal.__module__
        self.source = source

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        given = self._positional(args, kwargs) if kwargs else args  # vjp names the seed
        if given is None or len(given) != self._count:
            return getattr(self, GENERIC)(*args, **kwargs)
        key = tuple([(a.shape, a.dtype) if type(a) is _ARRAY else type(a) for a in given])
        function = self._table.get(key)
        if function is None or function is _GENERIC:
            function = getattr(self, GENERIC) if function is _GENERIC else self._version(
                key, given, now=False)
        return function(*given)

    def version_for(self, *args: Any, **kwargs: Any) -> Any:
        """The function a call with these arguments runs (built now if need be)."""
        given = self._positional(args, kwargs) if kwargs else args
        if given is None or len(given) != self._count:
            return getattr(self, GENERIC)
        key = tuple([(a.shape, a.dtype) if type(a) is _ARRAY else type(a) for a in given])
        function = self._table.get(key)
        if function is _GENERIC:
            return getattr(self, GENERIC)
        return function or self._version(key, given)

    def _positional(self, args: tuple, kwargs: dict) -> tuple | None:
        """All the arguments by position, when ``kwargs`` name the last parameters."""
        rest = self._shaped.parameters[len(args):]
        if set(kwargs) != set(rest):
            return None
        return args + tuple(kwargs[name] for name in rest)

    def _version(self, key: tuple, args: tuple, now: bool = True) -> Any:
        """The function for ``key``; unless ``now``, one not built yet is built on the
        second call with such arguments (the first runs the version for any shapes)."""
        types = self._shaped.types_of(dict(zip(self._shaped.parameters, args)))
        if types is not None and not now and not self._shaped.called(types):
            return getattr(self, GENERIC)
        version = None if types is None else self._shaped.version(types)
        with self._lock:
            self._table[key] = _GENERIC if version is None else version.function
        return getattr(self, GENERIC) if version is None else version.function

    def __reduce__(self) -> tuple:
        return reduced(self)

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        """As a class attribute, bound to the instance, as a function would be."""
        return self if instance is None else types.MethodType(self, instance)

    def __getattr__(self, name: str) -> Any:
        """What a function has (``__code__``, ``__defaults__``): the generic version's."""
        if name.startswith("__s2sad") or name in ("_shaped", "_table", "_count", "_lock",
                                                  "version_for"):
            raise AttributeError(name)
        return getattr(getattr(self, GENERIC), name)

    def __repr__(self) -> str:
        return f"<s2sad derivative {self.__name__}, by argument shapes>"


def generic(value: Any) -> Any:
    """The derivative for any shapes that a dispatcher stands for, or ``value``."""
    return getattr(value, GENERIC, value)
