"""The names generated code uses for objects it did not get from the user's source.

Rule templates mention ``np``, ``math`` and runtime helpers in their own modules; the
generated function gets each such object bound under a name that cannot clash with the
user's variables or with a user global of the same spelling that means something else.
The bindings become closure cells of the compiled function (fast, and they never touch
the user's module), or import lines when the source is written to a file.
"""

from __future__ import annotations

import builtins
import importlib
import types
from typing import Any

from s2sad.errors import S2sadError
from s2sad.naming import Namer


class Namespace:
    def __init__(self, user_globals: dict[str, Any], namer: Namer, user_locals: set[str]) -> None:
        self.user_globals = user_globals
        self.namer = namer
        #: the user's local and closure variables: never usable, they shadow globals
        self.user_locals = user_locals
        self.bindings: dict[str, Any] = {}
        #: user globals bound to the objects they held when the derivative was built
        self.frozen: dict[str, Any] = {}
        #: derivatives of called user functions this code uses, with those functions
        self.depends: list[tuple[Any, Any]] = []
        #: how each called object was reached from a free name, and what it was
        #: (``s2sad.proof``: a derivative is current while each path leads to the same)
        self.callees: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._by_id: dict[int, str] = {}

    def copy(self, namer: Namer) -> Namespace:
        """A twin with the same bindings so far, naming with ``namer`` (a copy of this
        one's namer): what either binds later the other does not see."""
        twin = Namespace(self.user_globals, namer, self.user_locals)
        twin.bindings, twin.frozen = dict(self.bindings), dict(self.frozen)
        twin.depends, twin._by_id = list(self.depends), dict(self._by_id)
        twin.callees = dict(self.callees)
        return twin

    def name_for(self, value: Any, preferred: str) -> str:
        """The name under which generated code reaches ``value``."""
        known = self._by_id.get(id(value))
        if known is not None:
            return known
        name = preferred
        if not self._usable(name, value):  # the user's own spelling, if they have one
            spellings = sorted(n for n, v in self.user_globals.items()
                               if v is value and not n.startswith("__") and self._usable(n, value))
            name = spellings[0] if spellings else name
        while not self._usable(name, value):
            name = "_" + name
        self.bindings[name] = value
        self._by_id[id(value)] = name
        self.namer.reserve(name)
        return name

    def bound_name(self, value: Any) -> str | None:
        """The name generated code already reaches ``value`` by, if any."""
        return self._by_id.get(id(value))

    def bind(self, name: str, value: Any) -> None:
        """Generated code reaches ``value`` as ``name`` (a name of the derivative's own)."""
        self.bindings[name] = value
        self._by_id.setdefault(id(value), name)
        self.namer.reserve(name)

    def freeze(self, name: str, value: Any) -> None:
        """Bind the user's global ``name`` to the object it holds now. Calls through it then
        keep calling the function whose rules the derivative was built with, even if the
        global is rebound later (``s2sad.grad(f)`` again builds a new derivative)."""
        self.bindings[name] = value
        self._by_id.setdefault(id(value), name)
        self.frozen[name] = value

    def _usable(self, name: str, value: Any) -> bool:
        if name in self.bindings:
            return self.bindings[name] is value
        if name in self.user_locals or name in self.namer.generated:
            return False
        if name in self.user_globals:  # the user's own global for the same object
            return self.user_globals[name] is value
        if hasattr(builtins, name):
            return getattr(builtins, name) is value
        return name not in self.namer.taken



def import_lines(bindings: dict[str, Any]) -> list[str]:
    """Import statements that bind every name, for source written to a file."""
    return [import_line(name, value) for name, value in sorted(bindings.items())]


def _home_of(value: Any) -> str | None:
    import sys

    for module in ("numpy", "scipy.special"):
        loaded = sys.modules.get(module)
        if loaded is not None and any(v is value for v in vars(loaded).values()):
            return module
    return None


def import_line(name: str, value: Any) -> str:
    if isinstance(value, types.ModuleType):
        module = value.__name__
        if module == name:
            return f"import {module}"
        return f"import {module} as {name}"
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if module is None:  # ufuncs of numpy and scipy.special carry no module
        module = _home_of(value)
        if module is not None and getattr(importlib.import_module(module), name, None) is value:
            qualname = name
    if module and qualname and "." not in qualname:
        try:
            found = getattr(importlib.import_module(module), qualname)
        except (ImportError, AttributeError):
            found = None
        if found is value:
            suffix = "" if qualname == name else f" as {name}"
            return f"from {module} import {qualname}{suffix}"
    if isinstance(value, (int, float, complex, str, bool, type(None))):
        return f"{name} = {value!r}"
    raise S2sadError(
        f"the derivative uses a value that cannot be written as an import or a literal "
        f"({name} = {type(value).__name__}, e.g. an array default argument); use the "
        f"derivative from Python (s2sad.grad) instead of writing it to a file")
