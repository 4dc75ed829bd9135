"""Shape classes: which values certainly have the same shape.

Broadcasting rules must sum an adjoint back to its argument's shape (``unbroadcast``)
and may have to widen a tangent (``broadcast_like``) -- unless the argument and the result
have the same shape. This analysis proves that statically, so such calls vanish from
the emitted code. Every definition of a name is a separate value (the code is straight
line), classes are merged by union-find, and one class stands for scalars.

Facts used: elementwise functions of one argument keep its shape; a broadcasting binary
operation with a constant operand, or with two operands of one class, has the shape of
its operands; every argument and result of a ``math`` function is a scalar; a reduction
over all axes is a scalar.

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

import math
import operator
from collections.abc import Sequence

import gast
import numpy as np

from s2sad.analyses.operations import Operation, targets_of

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
    def __init__(self, parameters: Sequence[str], operations: Sequence[Operation]) -> None:
        self._parent: dict[Value, Value] = {_SCALAR: _SCALAR}
        self.reaching: list[dict[str, Value]] = []  # per statement: name -> value read there
        current = {p: (p, -1) for p in parameters}
        for p in parameters:
            self._parent[(p, -1)] = (p, -1)
        for index, operation in enumerate(operations):
            self.reaching.append(dict(current))
            for target in targets_of(operation.statement):
                current[target] = (target, index)
                self._parent[(target, index)] = (target, index)
        #: name -> the value it holds after the last statement
        self.final: dict[str, Value] = current
        changed = True
        while changed:  # facts learned late (x is a scalar) help earlier statements
            changed = False
            for index, operation in enumerate(operations):
                changed |= self._learn(index, operation)

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
        if operation.kind == "copy":
            source = self.value_read(index, operation.operands[0])
            return source is not None and self._union(result, source)
        if operation.kind != "apply":
            return False
        function = operation.function
        args = [self.value_read(index, a) for a in operation.arguments.values()]
        if getattr(function, "__module__", None) == "math" or (
            callable(function) and getattr(function, "__self__", None) is math
        ):
            changed = self._union(result, _SCALAR)
            for value in args:
                if value is not None:
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
