"""Shape classes: which values certainly have the same shape.

Broadcasting rules must sum an adjoint back to its argument's shape (``unbroadcast``)
and may have to widen a tangent (``broadcast_like``) -- unless the argument and the result
have the same shape. This analysis proves that statically, so such calls vanish from
the emitted code. Every definition of a name is a separate value (the code is straight
line or, with branches and loops, a set of definitions that may reach a use), classes
are merged by union-find, and one class stands for scalars.

Facts used: elementwise functions of one argument keep its shape; a broadcasting binary
operation with a constant operand, or with two operands of one class, has the shape of
its operands; every argument and result of a ``math`` function is a scalar (but the
sequences ``fsum``, ``prod``, ``dist`` and ``sumprod`` take, and ``prod``'s result, which
is an array for arrays); a reduction over all axes is a scalar.

>>> from s2sad.analyses.operations import Operation
>>> import gast, math, operator
>>> name = lambda n: gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
>>> def op(target, function, *args):
...     statement = gast.parse(f"{target} = 0").body[0]
...     return Operation("apply", statement, function, None,
...                      {f"a{i}": name(a) for i, a in enumerate(args)})
>>> shapes = ShapeClasses(["x", "y"], [op("t", operator.mul, "x", "y")])
>>> shapes.same(("t", 0), ("x", -1))
False
>>> shapes = ShapeClasses(["x", "y"], [op("t", operator.mul, "x", "y"), op("s", math.sin, "y")])
>>> shapes.same(("t", 0), ("x", -1)), shapes.same(("x", -1), ("y", -1))
(True, False)
"""

from __future__ import annotations

import copy
import math
import operator
from collections import ChainMap
from collections.abc import MutableMapping, Sequence

import gast
import numpy as np

from s2sad.analyses.operations import Operation, targets_of
from s2sad.trees import names_in

Value = tuple[str, int]  # (name, index of the defining statement; -1 for a parameter)
_SCALAR: Value = ("<scalar>", -2)

_UNARY_SAME = {operator.neg, operator.pos, np.ndarray.copy}
_BINARY_BROADCAST = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow}
#: math functions whose arguments are sequences, not scalars
_MATH_OF_SEQUENCES = {math.fsum, math.prod, math.dist, getattr(math, "sumprod", math.fsum)}
_FULL_REDUCTIONS = {
    np.sum,
    np.mean,
    np.prod,
    np.max,
    np.min,
    np.amax,
    np.amin,
    np.ndarray.sum,
    np.ndarray.mean,
    np.ndarray.prod,
    np.ndarray.max,
    np.ndarray.min,
}


class ShapeClasses:
    """``body`` is the core's structured body (its simple statements are ``operations``,
    in order); a name read where several definitions reach (after a branch, in a loop) is
    a separate value that joins a class once all those definitions are in it."""

    def __init__(self, parameters: Sequence[str], operations: Sequence[Operation],
                 body: Sequence[gast.stmt] | None = None) -> None:
        self._parent: dict[Value, Value] = {_SCALAR: _SCALAR}
        self._phis: dict[frozenset[Value], Value] = {}
        self._index = {id(op.statement): i for i, op in enumerate(operations)}
        self._operations = operations
        #: per statement: each name it reads or binds -> the value it holds there
        self.reaching: list[dict[str, Value]] = [{} for _ in operations]
        current = {p: frozenset({(p, -1)}) for p in parameters}
        for p in parameters:
            self._parent[(p, -1)] = (p, -1)
        if body is None:
            body = [op.statement for op in operations]
        final = self._walk(body, current, [])
        #: name -> the value it holds after the last statement
        self.final: dict[str, Value] = {n: self._value(n, d) for n, d in final.items()}
        self._infer()

    def copy(self, operations: Sequence[Operation]) -> ShapeClasses:
        """A twin for a copy of the function (``operations``, in the same order), whose
        classes can be joined further without changing these."""
        twin = copy.copy(self)
        twin._parent = dict(self._parent)
        twin._operations = operations
        twin._index = {id(op.statement): i for i, op in enumerate(operations)}
        return twin

    def assume_scalar(self, parameters: Sequence[str], values: Sequence[Value] = ()) -> None:
        """Take the parameters to be scalars (code specialized for scalar arguments), and
        the ``values`` (results of calls that give numbers for numbers)."""
        for p in parameters:
            self._union((p, -1), _SCALAR)
        for value in values:
            self._union(value, _SCALAR)
        self._infer()

    def _infer(self) -> None:
        phis_read = self._phis_by_first_read()
        changed = True
        while changed:  # facts learned late (x is a scalar) help earlier statements
            changed = False
            for index, operation in enumerate(self._operations):
                for members, phi in phis_read.get(index, ()):  # after a branch: at once
                    changed |= self._join_phi(members, phi)
                changed |= self._learn(index, operation)
            for members, phi in self._phis.items():
                changed |= self._join_phi(members, phi)

    def _join_phi(self, members: frozenset[Value], phi: Value) -> bool:
        # Members of the phi's own class were computed from an earlier value of it
        # (x = x * 2.0 in a loop): by induction, all its values have the shape of
        # the other members, when these agree.
        others = [m for m in members if not self.same(m, phi)]
        return bool(others) and all(self.same(others[0], m) for m in others) and \
            self._union(phi, others[0])

    def _phis_by_first_read(self) -> dict[int, list[tuple[frozenset[Value], Value]]]:
        """The phis, by the first statement that reads each."""
        members_of = {phi: members for members, phi in self._phis.items()}
        found: dict[int, list] = {}
        seen: set[Value] = set()
        for index, reaching in enumerate(self.reaching):
            for value in reaching.values():
                if value in members_of and value not in seen:
                    seen.add(value)
                    found.setdefault(index, []).append((members_of[value], value))
        return found

    # -- reaching definitions ------------------------------------------------------------
    def _walk(self, body, current: MutableMapping[str, frozenset[Value]],
              breaks: list) -> MutableMapping:
        """Walk ``body`` from the definitions ``current``, which it updates."""
        for statement in body:
            if isinstance(statement, gast.If):
                # each branch records what it binds over what holds before the branch
                branches = [ChainMap({}, current), ChainMap({}, current)]
                self._walk(statement.body, branches[0], breaks)
                self._walk(statement.orelse, branches[1], breaks)
                for name in dict.fromkeys([*branches[0].maps[0], *branches[1].maps[0]]):
                    current[name] = frozenset().union(*(b[name] for b in branches
                                                        if name in b))
            elif isinstance(statement, (gast.For, gast.While)):
                after = self._loop(statement, current)
                for name, definitions in after.items():
                    if current.get(name) != definitions:
                        current[name] = definitions
            else:
                index = self._index[id(statement)]
                self.reaching[index] = {n: self._value(n, current[n])
                                        for n in _names_of(self._operations[index])
                                        if n in current}
                if isinstance(statement, gast.Break):
                    breaks.append(dict(current))
                for target in targets_of(statement):
                    value = (target, index)
                    self._parent.setdefault(value, value)
                    current[target] = frozenset({value})
        return current

    def _loop(self, loop, before: MutableMapping[str, frozenset[Value]]) -> dict:
        if isinstance(loop, gast.For) and isinstance(loop.iter, gast.Call):
            for bound in loop.iter.args:  # range(n): n is an integer
                if isinstance(bound, gast.Name) and bound.id in before:
                    self._union(self._value(bound.id, before[bound.id]), _SCALAR)
        head = dict(before)
        while True:
            breaks: list = []
            entry = dict(head)
            if isinstance(loop, gast.For):  # the loop variable: an integer, a fresh value
                value = (loop.target.id, -3)
                self._parent.setdefault(value, value)
                self._union(value, _SCALAR)  # a range yields integers
                entry[loop.target.id] = frozenset({value})
            new_head = _merge(before, self._walk(loop.body, entry, breaks))
            if new_head == head:
                return _merge(head, *breaks)
            head = new_head

    def _value(self, name: str, definitions: frozenset[Value]) -> Value:
        if len(definitions) == 1:
            return next(iter(definitions))
        if definitions not in self._phis:
            phi = (f"{name}?", -10 - len(self._phis))
            self._parent[phi] = phi
            self._phis[definitions] = phi
        return self._phis[definitions]

    # -- union-find ----------------------------------------------------------------------
    def _find(self, value: Value) -> Value:
        while self._parent[value] != value:
            self._parent[value] = self._parent[self._parent[value]]
            value = self._parent[value]
        return value

    def _union(self, a: Value, b: Value) -> bool:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return False
        self._parent[ra] = rb
        return True

    def phis(self) -> dict[frozenset[Value], Value]:
        """The values read where several definitions reach, by those definitions."""
        return dict(self._phis)

    def loop_variables(self) -> list[Value]:
        """The values of the loops' variables (integers: loops run over ranges)."""
        return [v for v in self._parent if v[1] == -3]

    def assume_shapes(self, shapes: dict[Value, tuple[int, ...]]) -> None:
        """Join the values whose shapes are known to be equal (a version specialized for
        arguments of known shapes, ``shape_inference.py``). Values of shape ``()`` join
        the class of scalars: the caller gives none that may be a 0-d array."""
        first: dict[tuple[int, ...], Value] = {(): _SCALAR}
        for value, shape in shapes.items():
            if value in self._parent:
                self._union(value, first.setdefault(shape, value))
        self._infer()

    def same_as_result(self, index: int, target: str, atom: gast.expr) -> bool:
        """Whether ``atom``, read by statement ``index``, has the shape of its ``target``."""
        value = self.value_read(index, atom)
        return value is not None and self.same(value, (target, index))

    def is_scalar(self, value: Value) -> bool:
        return self.same(value, _SCALAR)

    def same(self, a: Value, b: Value) -> bool:
        return a in self._parent and b in self._parent and self._find(a) == self._find(b)

    # -- facts ---------------------------------------------------------------------------
    def value_read(self, index: int, atom: gast.expr) -> Value | None:
        if isinstance(atom, gast.Name):
            return self.reaching[index].get(atom.id)
        if isinstance(atom, gast.Constant) and isinstance(atom.value, (int, float)):
            return _SCALAR
        return None

    def _learn(self, index: int, operation: Operation) -> bool:
        targets = targets_of(operation.statement)
        if len(targets) != 1:
            return False
        result: Value = (targets[0], index)
        if operation.kind in ("copy", "setitem"):  # x[i] = v keeps the shape of x
            source = self.value_read(index, operation.operands[0])
            return source is not None and self._union(result, source)
        value = getattr(operation.statement, "value", None)
        if (operation.kind == "inactive" and isinstance(value, gast.Constant)
                and isinstance(value.value, (int, float))):
            return self._union(result, _SCALAR)
        if operation.kind != "apply":
            return False
        function = operation.function
        args = [self.value_read(index, a) for a in operation.arguments.values()]
        if getattr(function, "__module__", None) == "math" or (
            callable(function) and getattr(function, "__self__", None) is math
        ):
            if function is math.prod:  # of arrays, an array
                return False
            changed = self._union(result, _SCALAR)
            for value in args:
                if value is not None and function not in _MATH_OF_SEQUENCES:
                    changed |= self._union(value, _SCALAR)
            return changed
        if function in _FULL_REDUCTIONS and len(operation.arguments) == 1:
            return self._union(result, _SCALAR)
        elementwise_unary = function in _UNARY_SAME or (
            isinstance(function, np.ufunc) and function.nin == 1 and len(args) == 1
        )
        if elementwise_unary and args and args[0] is not None:
            return self._union(result, args[0])
        binary = function in _BINARY_BROADCAST or (
            isinstance(function, np.ufunc) and function.nin == 2 and len(args) == 2
        )
        if binary and len(args) == 2 and None not in args:
            a, b = args
            if self.same(b, _SCALAR):
                return self._union(result, a)
            if self.same(a, _SCALAR) or self.same(a, b):
                return self._union(result, b)
        return False


def _names_of(operation: Operation) -> list[str]:
    """The names an operation's statement reads or binds, and those of its atoms."""
    return names_in([operation.statement, *operation.arguments.values(),
                     *operation.operands])


def _merge(*states: dict[str, frozenset[Value]]) -> dict[str, frozenset[Value]]:
    merged: dict[str, frozenset[Value]] = {}
    for state in states:
        for name, definitions in state.items():
            merged[name] = merged.get(name, frozenset()) | definitions
    return merged
