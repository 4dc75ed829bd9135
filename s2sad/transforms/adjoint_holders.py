"""Where each adjoint is held while the reverse sweep is built, and which adjoint
variables hold an array of their own.

Two optimizations of the reverse sweep keep their facts here. Copies are not emitted:
after ``x = y`` the adjoint of ``y`` may stay in ``x_bar`` (an alias), and ``grad``'s unit
seed is the number 1.0, folded into the rules that read it; the transform moves an adjoint
into its own variable only where control flow needs it there. And in a reversed loop of
real array code a contribution is added into the adjoint's array in place (``W_bar +=
v``) when that array is the adjoint's own: made by arithmetic or a new zero, and held by
no other live adjoint.

>>> holders = AdjointHolders(lambda name: name + "_bar", new_array=lambda value: False,
...                          updatable=lambda name: True)
>>> holders.hold("y", "x_bar")
>>> holders.current("y").id, holders.in_own_variable("y")
('x_bar', False)
>>> holders.hold("z", 1.0)
>>> holders.current("z").value
1.0
>>> holders.zeroed("w", array=True)
>>> holders.owns("w"), holders.adds_in_place("w", live={"w"})
(True, False)
>>> entry = holders.enter_loop()
>>> holders.adds_in_place("w", live={"w"}), holders.adds_in_place("w", live={"w", "v"})
(True, True)
>>> holders.hold("v", "w_bar")
>>> holders.adds_in_place("w", live={"w", "v"})
False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import gast

from s2sad.nodes import load


@dataclass
class Holdings:
    """What ``AdjointHolders`` knew at one point of the sweep (a branch's start, a
    loop's)."""

    held: dict[str, str | float]
    owned: set[str]
    accumulated: set[str] = field(default_factory=set)


class AdjointHolders:
    """Each adjoint's holder (its own variable, another adjoint's variable, or a number),
    the adjoint variables whose array no other variable refers to, and the adjoints a
    reversed loop adds to in place."""

    def __init__(self, variable: Callable[[str], str], new_array: Callable[[gast.expr], bool],
                 updatable: Callable[[str], bool]) -> None:
        #: the variable of a name's adjoint
        self.variable = variable
        #: whether a value certainly makes a new array
        self._new_array = new_array
        #: whether a name's adjoint is an array of real numbers, which may be added in place
        self._updatable = updatable
        self._held: dict[str, str | float] = {}
        #: each name of ``_held`` -> its place in it (the order of ``sharing``)
        self._place: dict[str, int] = {}
        #: each adjoint variable -> the names whose adjoint it holds
        self._holding: dict[str, set[str]] = {}
        self._owned: set[str] = set()
        #: how many reversed loops enclose the statement being reversed
        self._loops = 0
        #: adjoints the reversed loop being built (or one inside it) adds to in place
        self._accumulated: set[str] = set()

    # -- where an adjoint is -------------------------------------------------------------
    def current(self, name: str) -> gast.expr:
        """``name``'s adjoint now: its variable, another adjoint's variable it equals, or a
        number."""
        held = self._held.get(name, self.variable(name))
        return load(held) if isinstance(held, str) else gast.Constant(value=held, kind=None)

    def in_own_variable(self, name: str) -> bool:
        variable = self.variable(name)
        return self._held.get(name, variable) == variable

    def held_elsewhere(self, live: Iterable[str]) -> list[str]:
        """The names of ``live``, in order, whose adjoint is not in its own variable."""
        return [name for name in sorted(live) if not self.in_own_variable(name)]

    def sharing(self, name: str, live: Iterable[str]) -> list[str]:
        """The other names of ``live`` whose adjoint is held in ``name``'s variable."""
        holding = self._holding.get(self.variable(name), ())
        return sorted((other for other in holding if other != name and other in live),
                      key=self._place.__getitem__)

    def _set(self, name: str, holder: str | float) -> None:
        """``name``'s adjoint is held in ``holder`` (the one write of ``_held``)."""
        before = self._held.get(name)
        if isinstance(before, str):
            self._holding[before].discard(name)
        elif name not in self._held:
            self._place[name] = len(self._place)
        self._held[name] = holder
        if isinstance(holder, str):
            self._holding.setdefault(holder, set()).add(name)

    def _set_all(self, held: dict[str, str | float]) -> None:
        """Every holder at once (``held`` is copied)."""
        self._held = dict(held)
        self._place = {name: i for i, name in enumerate(held)}
        self._holding = {}
        for name, holder in held.items():
            if isinstance(holder, str):
                self._holding.setdefault(holder, set()).add(name)

    # -- what the sweep did ----------------------------------------------------------------
    def hold(self, name: str, holder: str | float) -> None:
        """``name``'s adjoint is now ``holder``: another adjoint's variable, whose array
        then has two holders, or a number."""
        self._set(name, holder)
        if isinstance(holder, str):
            self._owned.discard(holder)

    def assigned(self, name: str, value: gast.expr) -> None:
        """``name``'s variable was assigned ``value``: its own array if ``value`` makes a
        new one; otherwise shared with the variable ``value`` reads."""
        variable = self.variable(name)
        self._set(name, variable)
        if self._new_array(value):
            self._owned.add(variable)
        else:
            self._owned.discard(variable)
            if isinstance(value, gast.Name):
                self._owned.discard(value.id)

    def moved_home(self, name: str) -> None:
        """``name``'s variable was assigned the value of the variable that held it."""
        self._set(name, self.variable(name))

    def zeroed(self, name: str, array: bool) -> None:
        """``name``'s variable was assigned a zero: a new ``array``, or a number."""
        self._set(name, self.variable(name))
        if array:
            self._owned.add(self.variable(name))

    # -- updates in place ------------------------------------------------------------------
    @property
    def in_loop(self) -> bool:
        """Whether the statement being reversed is inside a reversed loop."""
        return self._loops > 0

    def owns(self, name: str) -> bool:
        """Whether ``name``'s adjoint is in its own variable, an array of its own."""
        return self.in_own_variable(name) and self.variable(name) in self._owned

    def adds_in_place(self, name: str, live: Iterable[str]) -> bool:
        """Whether a contribution to ``name``'s adjoint is added into its array in place
        (``W_bar += ...``): in a reversed loop, where the adjoint is an array of real
        numbers of its own that no other adjoint of ``live`` is held in."""
        return (self._loops > 0 and self._updatable(name) and self.owns(name)
                and not self.sharing(name, live))

    def added_in_place(self, name: str) -> None:
        self._accumulated.add(name)

    # -- control flow ----------------------------------------------------------------------
    def snapshot(self) -> Holdings:
        return Holdings(dict(self._held), set(self._owned))

    def restore(self, holdings: Holdings) -> None:
        self._set_all(holdings.held)
        self._owned = set(holdings.owned)

    def owned_in_both(self, holdings: Holdings) -> None:
        """Where two paths meet: a variable owns its array only if it did on both."""
        self._owned &= holdings.owned

    def disown(self, names: Iterable[str]) -> None:
        self._owned -= {self.variable(name) for name in names}

    def enter_loop(self) -> Holdings:
        """Before a loop's body is reversed: what holds at every iteration's start."""
        entry = Holdings(dict(self._held), set(self._owned), self._accumulated)
        self._accumulated = set()
        self._loops += 1
        return entry

    def leave_loop(self, entry: Holdings) -> set[str]:
        """After a loop's body is reversed: the adjoints it adds to in place, which must
        be arrays of their own at every iteration's start."""
        self._loops -= 1
        accumulated = self._accumulated
        self._accumulated = accumulated | entry.accumulated
        return accumulated
