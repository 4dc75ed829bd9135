"""Whether a function may give another result when it runs again, found from its source.

A caller's adjoint runs a callee's forward sweep again (``helper_adjoint`` recomputes
what ``helper_primal`` computed). That second run gives the same result unless the callee
reads state that its first run, or the caller since, changed: random numbers (NumPy's or
Python's global state, a ``Generator``, ``RandomState`` or ``random.Random`` it is given
or reaches), an iterator's next item, or whatever an unknown method or function value
does. ``recomputation(function)`` tells, from the callee's source and, transitively, the
sources of the functions it calls: a pure helper is ``PURE`` and its calls cost nothing
more; a callee that may differ has its recomputation checked against what the forward
sweep got, and one that may draw random numbers has the random states it may read put
back to what they were before the forward sweep's call (``s2sad/runtime/replay.py``).
"""

from __future__ import annotations

import builtins
import random
import sys
import types
from dataclasses import dataclass, field
from typing import Any

import gast
import numpy as np

from s2sad.errors import S2sadError
from s2sad.frontend import is_missing, parse_function
from s2sad.trees import walk

#: the classes whose objects hold random states
RANDOM_STATES = (np.random.Generator, np.random.RandomState, np.random.BitGenerator,
                 random.Random)


def _public_methods(*classes: type) -> frozenset:
    return frozenset(name for cls in classes for name in dir(cls) if not name.startswith("_"))


#: the methods of random generators: a call of one on any object may draw
RANDOM_METHODS = _public_methods(np.random.Generator, np.random.RandomState, random.Random)
#: methods that take an item out of an iterator or a queue
_ADVANCING_METHODS = frozenset(("__next__", "send", "popleft", "popitem", "get_nowait",
                                "readline", "read", "readlines"))
#: methods of lists, dicts, strings and arrays whose result depends on their arguments
_PLAIN_METHODS = frozenset((
    "append", "extend", "insert", "pop", "remove", "clear", "index", "count", "copy", "get",
    "keys", "values", "items", "setdefault", "update", "startswith", "endswith", "format",
    "join", "split", "strip", "lower", "upper", "replace", "reverse", "sort", "conjugate",
    "is_integer", "bit_length", "as_integer_ratio", "hex", "fromkeys"))
#: builtins whose result may differ on the same arguments
_STATEFUL_BUILTINS = frozenset((next, input, open, id, hash, globals, locals, vars))


@dataclass(frozen=True)
class Recomputation:
    """What a function's second run may do differently from its first."""

    #: it may give another result (``reason`` says why, for messages)
    differs: bool = False
    #: it may draw from NumPy's global random state (``np.random.randn``)
    numpy_global: bool = False
    #: it may draw from Python's ``random`` module's state (``random.random``)
    python_global: bool = False
    #: it may draw from random generators it is given (or their attributes hold)
    arguments: bool = False
    #: random generators it reaches through global or closure names
    held: tuple = field(default=(), compare=False)
    reason: str = ""

    @property
    def sources(self) -> str:
        """The random states it may draw from besides ``held``, as ``random_states`` of
        ``s2sad/runtime/replay.py`` takes them."""
        return " ".join(name for name, on in (
            ("numpy", self.numpy_global), ("python", self.python_global),
            ("arguments", self.arguments)) if on)

    @property
    def draws(self) -> bool:
        """Whether it may draw random numbers from a state s2sad can put back."""
        return self.numpy_global or self.python_global or self.arguments or bool(self.held)

    def joined(self, other: Recomputation) -> Recomputation:
        """What either may do."""
        held = self.held + tuple(o for o in other.held if all(o is not h for h in self.held))
        return Recomputation(
            self.differs or other.differs, self.numpy_global or other.numpy_global,
            self.python_global or other.python_global, self.arguments or other.arguments,
            held, self.reason or other.reason)


PURE = Recomputation()


def recomputation(function: Any, self_type: type | None = None) -> Recomputation:
    """What running ``function`` again may do differently, from its source and those of the
    functions it calls (``PURE`` when nothing). ``self_type``: for a method, the class of
    the object it is called on, where its calls ``self.m(...)`` find their methods."""
    return _Finder().function(function, self_type)


def statements_recomputation(parsed, statements: list, function: gast.FunctionDef
                             ) -> Recomputation:
    """The same for ``statements`` of ``function``, a form of ``parsed``'s (a loop body
    run again)."""
    finder = _Finder()
    local = _locals(function)
    found = PURE
    for statement in statements:
        found = found.joined(finder.tree(parsed, statement, local))
    return found


class _Finder:
    def __init__(self) -> None:
        self._seen: set = set()
        #: in a method whose object's class is known: its first parameter, the class
        self._self: tuple[str, type] | None = None

    def function(self, function: Any, self_type: type | None = None) -> Recomputation:
        if (function, self_type) in self._seen:  # recursion: its body is counted once
            return PURE
        self._seen.add((function, self_type))
        try:
            parsed = parse_function(function)
        except S2sadError:
            return _differs(f"{getattr(function, '__qualname__', function)} has no source")
        arguments = parsed.node.args
        first = (arguments.posonlyargs + arguments.args)[:1]
        outer = self._self
        self._self = (first[0].id, self_type) if first and self_type is not None else None
        try:
            return self.tree(parsed, parsed.node, _locals(parsed.node))
        finally:
            self._self = outer

    def tree(self, parsed, node: gast.AST, local: set[str]) -> Recomputation:
        found = PURE
        nested = _nested_functions(parsed.node)
        for child in walk(node):
            if isinstance(child, gast.Call):
                found = found.joined(self._call(parsed, child, local, nested))
            elif isinstance(child, gast.Subscript) and not isinstance(
                    child.ctx, gast.Load) and _root_name(child) not in local:
                found = found.joined(_differs(
                    f"a write into {_root_name(child)!r}, not its own, at line "
                    f"{getattr(child, 'lineno', '?')} of {parsed.filename}"))
            elif isinstance(child, gast.Name) and isinstance(child.ctx, gast.Load) \
                    and child.id not in local:
                value = parsed.resolve(child.id)
                if isinstance(value, RANDOM_STATES):
                    found = found.joined(_held(value, child.id))
        return found

    def _call(self, parsed, call: gast.Call, local: set[str], nested: set[str]
              ) -> Recomputation:
        func = call.func
        root = func
        while isinstance(root, gast.Attribute):
            root = root.value
        where = f"line {getattr(call, 'lineno', '?')} of {parsed.filename}"
        known = self._self
        if known is not None and isinstance(func, gast.Attribute) and \
                isinstance(func.value, gast.Name) and func.value.id == known[0]:
            method = getattr(known[1], func.attr, None)  # self.m(...)
            if isinstance(method, types.FunctionType) and _user_function(method):
                return self.function(method, known[1])
        if isinstance(func, gast.Attribute) and not (
                isinstance(root, gast.Name) and root.id not in local):
            return _method(func.attr, where)  # a method of a value found when called
        if not isinstance(root, gast.Name):
            return _differs(f"a call of a computed function at {where}")
        if root.id in local:
            if root.id in nested:
                return PURE  # its body is part of this walk
            return unknown_callee(f"a call of the function value {root.id!r} at {where}")
        value = parsed.resolve(root.id)
        chain = func
        attrs = []
        while isinstance(chain, gast.Attribute):
            attrs.append(chain.attr)
            chain = chain.value
        for attr in reversed(attrs):
            if is_missing(value):
                break
            value = getattr(value, attr, None)
        return self._callee(value, where)

    def _callee(self, value: Any, where: str) -> Recomputation:
        if is_missing(value) or value is None:
            return _differs(f"a call of an unknown function at {where}")
        owner = getattr(value, "__self__", None)
        if isinstance(owner, RANDOM_STATES):
            return _drawing_from(owner, where)
        if isinstance(value, types.MethodType) and isinstance(value.__func__,
                                                              types.FunctionType):
            return self.function(value.__func__, type(owner)).joined(
                Recomputation(arguments=_has_random_attributes(owner)))
        if isinstance(value, types.FunctionType) and _user_function(value):
            return self.function(value)
        module = getattr(value, "__module__", None) or ""
        if module.startswith("numpy.random") or module == "random":
            return _differs(f"a call of {_name(value)} at {where}")
        try:
            if value in _STATEFUL_BUILTINS:
                return _differs(f"a call of {_name(value)} at {where}")
        except TypeError:  # unhashable
            pass
        if getattr(builtins, getattr(value, "__name__", ""), None) is value \
                or isinstance(value, type):
            return PURE
        if module.split(".")[0] in ("numpy", "scipy", "math", "cmath", "s2sad", "operator",
                                    "functools") or _has_rules(value):
            return PURE
        return _differs(f"a call of {_name(value)}, which s2sad does not know, at {where}")


def _method(attr: str, where: str) -> Recomputation:
    if attr in RANDOM_METHODS:
        return Recomputation(differs=True, arguments=True,
                             reason=f"a call of the method {attr} at {where}")
    if attr in _ADVANCING_METHODS:
        return _differs(f"a call of the method {attr} at {where}")
    if attr in _PLAIN_METHODS or hasattr(np.ndarray, attr):
        return PURE
    return unknown_callee(f"a call of the method {attr}, found when called, at {where}")


def method_recomputation(attr: str, where: str) -> Recomputation:
    """What a call of the method ``attr`` of a value (found when called) may do
    differently: an unknown method may draw from generators its object holds."""
    return _method(attr, where)


def unknown_callee(reason: str) -> Recomputation:
    """What a function found only when called may do: anything, drawing from generators
    given to it (or held in their attributes) included."""
    return Recomputation(differs=True, arguments=True, reason=reason)


def _drawing_from(owner: Any, where: str) -> Recomputation:
    reason = f"a random draw at {where}"
    if owner is np.random.mtrand._rand:
        return Recomputation(differs=True, numpy_global=True, reason=reason)
    if owner is getattr(random, "_inst", None):
        return Recomputation(differs=True, python_global=True, reason=reason)
    return Recomputation(differs=True, held=(owner,), reason=reason)


def _held(value: Any, name: str) -> Recomputation:
    return Recomputation(differs=True, held=(value,),
                         reason=f"the random generator {name!r}")


def attribute_readers(function: Any) -> set[str]:
    """The parameters of ``function`` whose attributes it reads (``sim.t``; not arrays'
    attributes, nor methods it calls)."""
    try:
        node = parse_function(function).node
    except S2sadError:
        return set()
    arguments = node.args
    names = {a.id for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    called = {id(c.func) for c in walk(node) if isinstance(c, gast.Call)}
    return {c.value.id for c in walk(node) if isinstance(c, gast.Attribute)
            and isinstance(c.ctx, gast.Load) and id(c) not in called
            and isinstance(c.value, gast.Name) and c.value.id in names
            and not hasattr(np.ndarray, c.attr)}


def _root_name(node: gast.expr) -> str | None:
    while isinstance(node, (gast.Subscript, gast.Attribute)):
        node = node.value
    return node.id if isinstance(node, gast.Name) else None


def _has_rules(value: Any) -> bool:
    """Whether the user registered derivative rules for ``value`` (a function of theirs
    without source, say)."""
    rules = getattr(sys.modules.get("s2sad.rules"), "RULES", None)  # loaded by then
    try:
        return rules is not None and rules.find(value) is not None
    except TypeError:  # unhashable
        return False


def _has_random_attributes(owner: Any) -> bool:
    attributes = getattr(owner, "__dict__", None) or {}
    return any(isinstance(v, RANDOM_STATES) for v in attributes.values())


def _differs(reason: str) -> Recomputation:
    return Recomputation(differs=True, reason=reason)


def _user_function(function: types.FunctionType) -> bool:
    module = getattr(function, "__module__", None) or ""
    return hasattr(function, "_s2sad_primal") or module.split(".")[0] not in (
        "numpy", "scipy", "s2sad")


def _name(value: Any) -> str:
    return getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or \
        type(value).__name__


def _locals(node: gast.AST) -> set[str]:
    """The names bound anywhere in a function's tree (its parameters too)."""
    found = set()
    for child in walk(node):
        if isinstance(child, gast.Name) and not isinstance(child.ctx, gast.Load):
            found.add(child.id)
        elif isinstance(child, (gast.FunctionDef, gast.ClassDef)) and child is not node:
            found.add(child.name)
        elif isinstance(child, (gast.Global, gast.Nonlocal)):
            found.difference_update(child.names)
    return found


def _nested_functions(node: gast.AST) -> set[str]:
    """The names nested definitions and lambdas bound to a name are given."""
    found = {c.name for c in walk(node) if isinstance(c, gast.FunctionDef) and c is not node}
    for child in walk(node):
        if isinstance(child, gast.Assign) and isinstance(child.value, gast.Lambda):
            found |= {t.id for t in child.targets if isinstance(t, gast.Name)}
    return found
