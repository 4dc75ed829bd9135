"""Deterministic, collision-free names for generated code.

Adjoints are ``x_bar``, tangents ``x_dot``, temporaries ``_t1, _t2, ...``: the same
input always gives the same names, and a generated name never shadows a user's.

>>> namer = Namer({"x", "x_bar"})
>>> namer.bar("x"), namer.dot("x"), namer.temp(), namer.temp()
('x_bar_', 'x_dot', '_t1', '_t2')
"""

from __future__ import annotations

from collections.abc import Iterable

import gast

from s2sad.trees import walk


class Namer:
    """Hands out names that no user name and no earlier generated name uses."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)
        #: the names this namer handed out (a subset of ``taken``)
        self.generated: set[str] = set()
        #: the temporaries and their adjoints and tangents (a subset of ``generated``)
        self.temporaries: set[str] = set()
        self._derived: dict[tuple[str, str], str] = {}
        self._counters: dict[str, int] = {}

    def copy(self) -> Namer:
        """A namer that goes on from this one's state on its own."""
        twin = Namer()
        twin.taken, twin.generated = set(self.taken), set(self.generated)
        twin.temporaries = set(self.temporaries)
        twin._derived, twin._counters = dict(self._derived), dict(self._counters)
        return twin

    def reserve(self, name: str) -> str:
        self.taken.add(name)
        return name

    def fresh(self, base: str) -> str:
        """``base`` itself if free, else ``base_`` ..."""
        name = base
        while name in self.taken:
            name += "_"
        self.generated.add(name)
        return self.reserve(name)

    def numbered(self, prefix: str) -> str:
        """``prefix1``, ``prefix2``, ...: the next free numbered name."""
        while True:
            self._counters[prefix] = self._counters.get(prefix, 0) + 1
            name = f"{prefix}{self._counters[prefix]}"
            if name not in self.taken:
                self.generated.add(name)
                return self.reserve(name)

    def temp(self) -> str:
        name = self.numbered("_t")
        self.temporaries.add(name)
        return name

    def derived(self, name: str, suffix: str) -> str:
        key = (name, suffix)
        if key not in self._derived:
            self._derived[key] = self.fresh(f"{name}_{suffix}")
            if name in self.temporaries:
                self.temporaries.add(self._derived[key])
        return self._derived[key]

    def name_derived(self, name: str, suffix: str, chosen: str) -> None:
        """Let ``chosen`` (a name this namer handed out) be ``name``'s derived variable."""
        self._derived.setdefault((name, suffix), chosen)

    def derivatives_of(self) -> dict[str, str]:
        """Each adjoint and tangent name handed out, with the variable it belongs to."""
        return {derived: name for (name, suffix), derived in self._derived.items()
                if suffix in ("bar", "dot")}

    def bar(self, name: str) -> str:
        return self.derived(name, "bar")

    def dot(self, name: str) -> str:
        return self.derived(name, "dot")


def names_in(node: gast.AST) -> set[str]:
    """Every identifier a tree mentions (variables, parameters, attributes)."""
    found: set[str] = set()
    for child in walk(node):
        if isinstance(child, gast.Name):
            found.add(child.id)
        elif isinstance(child, gast.FunctionDef):
            found.add(child.name)
    return found
