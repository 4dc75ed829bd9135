"""What a derivative was built from, and whether that still holds.

A cached derivative is only right for the function as it was when it was built: its code
object, its globals and closure cells, its default values (bound into the derivative's
signature), every callee however it was reached (a global, ``mod.h``, a closure cell,
``obj.method``), each callee's own derivative, and the values it assumed real. A ``Proof``
records those facts; ``holds(function)`` checks them again, with identity tests only, so
the check is cheap enough for every cache lookup.
"""

from __future__ import annotations

import builtins
import types
from typing import Any

from s2sad.deferred import DeferredVersion

_ABSENT = object()

#: a path from a free name: (root name, attribute names), e.g. ("mod", ("h",)) for mod.h
Chain = tuple[str, tuple[str, ...]]


def follow(function: Any, chain: Chain, cell: int | None = None) -> Any:
    """The object ``chain`` leads to from ``function``'s closure cells (``cell``: the
    index of its root's), globals and builtins now, or ``_ABSENT``."""
    root, attrs = chain
    if cell is not None:
        try:
            value = function.__closure__[cell].cell_contents
        except ValueError:  # an empty cell
            return _ABSENT
        if isinstance(value, DeferredVersion) and value.built:  # generated code's stub
            value = value.generated().function
    else:
        value = function.__globals__.get(root, _ABSENT)
        if value is _ABSENT:
            value = getattr(builtins, root, _ABSENT)
    for attr in attrs:
        if value is _ABSENT:
            return _ABSENT
        try:
            value = getattr(value, attr, _ABSENT)
        except Exception:  # a property that raises: not the object it was
            return _ABSENT
    return value


def same(a: Any, b: Any) -> bool:
    """``a is b``, or the same function bound to the same object (``obj.method`` makes a
    new bound method each time it is read)."""
    if a is b:
        return True
    if isinstance(a, types.MethodType) and isinstance(b, types.MethodType):
        return a.__func__ is b.__func__ and a.__self__ is b.__self__
    return (type(a) is type(b) and isinstance(a, (types.BuiltinMethodType,
                                                  types.MethodWrapperType))
            and a.__self__ is b.__self__ and a.__name__ == b.__name__)


class Proof:
    """The facts a derivative of ``function`` rests on (see the module docstring)."""

    __slots__ = ("code", "globals", "closure", "defaults", "kwdefaults", "callees",
                 "depends")

    def __init__(self, function: Any, callees: dict[Chain, Any],
                 depends: tuple = ()) -> None:
        self.code = function.__code__
        self.globals = function.__globals__
        self.closure = function.__closure__
        self.defaults = function.__defaults__
        self.kwdefaults = dict(function.__kwdefaults__ or {})
        #: (chain, its root's closure cell or None, the object it led to: a called
        #: function, or a module)
        free = self.code.co_freevars if self.closure else ()
        self.callees = tuple((chain, free.index(chain[0]) if chain[0] in free else None,
                              value) for chain, value in callees.items())
        #: (derivative of a called user function, that function)
        self.depends = depends

    def holds(self, function: Any) -> bool:
        """Whether ``function`` is still what the derivative was built from."""
        if (function.__code__ is not self.code or function.__globals__ is not self.globals
                or not _same_items(function.__closure__, self.closure)
                or not _same_items(function.__defaults__, self.defaults)):
            return False
        if self.kwdefaults or function.__kwdefaults__:
            kwdefaults = function.__kwdefaults__ or {}
            if len(kwdefaults) != len(self.kwdefaults):
                return False
            for key, value in self.kwdefaults.items():
                if kwdefaults.get(key, _ABSENT) is not value:
                    return False
        for chain, cell, value in self.callees:
            found = follow(function, chain, cell)
            if found is not value and not same(found, value):
                return False
        for generated, callee in self.depends:
            if generated.proof is not None and not generated.proof.holds(callee):
                return False
        return True


def _same_items(a: tuple | None, b: tuple | None) -> bool:
    if a is b:
        return True
    a, b = a or (), b or ()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is not y:
            return False
    return True
