"""Shapes fixed by the arguments: for a version specialized to arguments of given types
and shapes (``ArgumentType``), the shape of every value that the operations fix.

An abstract interpretation over the core's operations, on the reaching definitions
``ShapeClasses`` found. A value is an array of a known shape, a Python int (with its value
when known: ``n = x.shape[0]``), a float or a bool, or unknown. Only operations whose
result shape follows from their arguments' shapes are interpreted (elementwise functions
and operators by NumPy's broadcasting, ``@``, reductions with constant axes, transposes,
basic indexing, ``np.outer``, the matrix functions keeping the shape); every other result
is unknown. A name defined in a loop or after a branch holds the shape all its
definitions agree on: assumed from the definitions known so far, then checked, and given
up where the check fails, until the facts hold together (an inductive invariant).

>>> from s2sad.frontend import parse_function
>>> from s2sad.pipeline import Request, analysed
>>> def f(x, W, b):
...     return np.sum(np.tanh(W @ x + b))
>>> p = analysed(parse_function(f), Request("reverse", ("x",), wrt_tuple=False))
>>> facts = infer_shapes(["x", "W", "b"], p.operations, p.shapes,
...     {"x": ArgumentType.of(np.ones(3)), "W": ArgumentType.of(np.ones((2, 3))),
...      "b": ArgumentType.of(np.ones(2))})
>>> [(op.statement.targets[0].id, facts.shapes.get((op.statement.targets[0].id, i)))
...  for i, op in enumerate(p.operations)]
[('_t1', (2,)), ('_t2', (2,)), ('_t3', (2,)), ('_y', ())]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import gast
import numpy as np

from s2sad.analyses.operations import Operation, targets_of
from s2sad.analyses.shapes import ShapeClasses, Value
from s2sad.runtime.pairwise import self_sq_distances

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ArgumentType:
    """What a specialized version assumes of one argument: ``kind`` is ``"float"``,
    ``"int"``, ``"bool"`` (Python's) or ``"array"`` (an ``np.ndarray`` of ``dtype`` and
    ``shape``)."""

    kind: str
    shape: Shape = ()
    dtype: str | None = None

    @staticmethod
    def of(value: Any) -> ArgumentType | None:
        """The type of ``value``, or None when no version is specialized for it."""
        kind = type(value)
        if kind is float:
            return ArgumentType("float")
        if kind is bool:
            return ArgumentType("bool")
        if kind is int:
            return ArgumentType("int")
        if kind is np.ndarray and (value.dtype.kind in "biu" or value.dtype == np.float64) \
                and value.dtype.isnative:  # (float32 code keeps its float64 steps)
            return ArgumentType("array", value.shape, value.dtype.str)
        return None

    def describe(self) -> str:
        if self.kind == "array":
            return f"{np.dtype(self.dtype).name} array of shape {self.shape}"
        return self.kind


@dataclass
class ShapeFacts:
    """The facts found: ``shapes`` of values (arrays and scalars alike; a scalar's shape
    is ``()``), ``ints`` the values of Python ints known at build time."""

    shapes: dict[Value, Shape] = field(default_factory=dict)
    ints: dict[Value, Any] = field(default_factory=dict)  # an int, or a tuple of ints
    #: the values that are tuples of ints (an array's ``.shape``): known, but not arrays
    #: values certainly integers: Python ints, or elements of integer arrays
    integers: set[Value] = field(default_factory=set)


_ELEMENTWISE_BINARY = {operator.add, operator.sub, operator.mul, operator.truediv,
                       operator.pow, operator.floordiv, operator.mod}
_ELEMENTWISE_UNARY = {operator.neg, operator.pos, abs, np.ndarray.copy}
_REDUCTIONS = {np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.std, np.var,
               np.ndarray.sum, np.ndarray.mean, np.ndarray.prod, np.ndarray.max,
               np.ndarray.min, np.ndarray.std, np.ndarray.var}
_SAME_SHAPE_MATRIX = {np.linalg.cholesky, np.linalg.inv}
_MATMUL = {operator.matmul, np.matmul, np.dot, np.ndarray.dot}


def infer_shapes(parameters: Sequence[str], operations: Sequence[Operation],
                 classes: ShapeClasses, types: dict[str, ArgumentType]) -> ShapeFacts:
    """The shapes the arguments' ``types`` fix (see the module's docstring)."""
    given_up: set[Value] = set()
    while True:
        facts = _Interpreter(parameters, operations, classes, types, given_up).run()
        failed = _inconsistent_phis(classes, facts, given_up)
        if not failed:
            return facts
        given_up |= failed


def _inconsistent_phis(classes: ShapeClasses, facts: ShapeFacts,
                       given_up: set[Value]) -> set[Value]:
    """The phis assumed a shape that one of their definitions does not have."""
    failed = set()
    for members, phi in classes.phis().items():
        if phi in given_up or phi not in facts.shapes:
            continue
        if any(facts.shapes.get(m) != facts.shapes[phi] or
               (phi in facts.integers) != (m in facts.integers) for m in members):
            failed.add(phi)
    return failed


class _Interpreter:
    def __init__(self, parameters, operations, classes: ShapeClasses,
                 types: dict[str, ArgumentType], given_up: set[Value]) -> None:
        self.operations = operations
        self.classes = classes
        self.given_up = given_up
        self.facts = ShapeFacts()
        self.integer_arrays: set[Value] = set()  # whose elements are integers
        for name in parameters:
            kind = types.get(name)
            if kind is None:
                continue
            self.facts.shapes[(name, -1)] = kind.shape
            if kind.kind == "int":
                self.facts.integers.add((name, -1))
            elif kind.kind == "array" and np.dtype(kind.dtype).kind in "iu":
                self.integer_arrays.add((name, -1))

    def run(self) -> ShapeFacts:
        changed = True
        while changed:
            changed = False
            for loop_variable in self.classes.loop_variables():
                changed |= self._set(loop_variable, (), integer=True)
            for index, operation in enumerate(self.operations):
                changed |= self._learn(index, operation)
            for members, phi in self.classes.phis().items():
                changed |= self._assume(phi, members)
        return self.facts

    def _assume(self, phi: Value, members: frozenset[Value]) -> bool:
        """Optimistically: the shape its known definitions agree on."""
        if phi in self.given_up or phi in self.facts.shapes:
            return False
        known = {self.facts.shapes[m] for m in members if m in self.facts.shapes}
        if len(known) != 1:
            return False
        integer = all(m in self.facts.integers for m in members if m in self.facts.shapes)
        return self._set(phi, known.pop(), integer=integer)

    def _set(self, value: Value, shape: Shape, integer: bool = False, known=None) -> bool:
        if value in self.facts.shapes:
            return False
        self.facts.shapes[value] = shape
        if integer:
            self.facts.integers.add(value)
        if known is not None:
            self.facts.ints[value] = known
        return True

    # -- reading -------------------------------------------------------------------------
    def _read(self, index: int, atom: gast.expr) -> Value | None:
        if isinstance(atom, gast.Name):
            return self.classes.reaching[index].get(atom.id)
        return None

    def _shape(self, index: int, atom: gast.expr) -> Shape | None:
        if isinstance(atom, gast.Constant) and type(atom.value) in (int, float, bool):
            return ()
        value = self._read(index, atom)
        return self.facts.shapes.get(value) if value is not None else None

    def _int(self, index: int, atom: gast.expr) -> Any:
        """The int (or tuple of ints) ``atom`` holds at build time, or None."""
        if isinstance(atom, gast.Constant) and type(atom.value) is int:
            return atom.value
        value = self._read(index, atom)
        return self.facts.ints.get(value) if value is not None else None

    def _is_integer(self, index: int, atom: gast.expr) -> bool:
        if isinstance(atom, gast.Constant):
            return type(atom.value) is int
        value = self._read(index, atom)
        return value is not None and value in self.facts.integers

    # -- transfer ------------------------------------------------------------------------
    def _learn(self, index: int, operation: Operation) -> bool:
        targets = targets_of(operation.statement)
        if len(targets) != 1 or not isinstance(operation.statement, gast.Assign):
            return False
        result: Value = (targets[0], index)
        if result in self.facts.shapes or result in self.facts.ints:
            return False
        statement_value = operation.statement.value
        if operation.kind != "setitem" and not isinstance(
                operation.statement.targets[0], gast.Name):
            return False
        if operation.kind == "copy" and operation.operands:
            source = self._read(index, operation.operands[0])
            if source is None or source not in self.facts.shapes:
                return False  # a tuple of ints is not copied: a copy is a fresh value
            return self._set(result, self.facts.shapes[source], source in self.facts.integers,
                             self.facts.ints.get(source))
        if operation.kind == "setitem" and operation.operands:  # x[i] = v keeps x's shape
            source = self._read(index, operation.operands[0])
            if source is None or source not in self.facts.shapes or \
                    source in self.facts.integers:
                return False
            return self._set(result, self.facts.shapes[source])
        if isinstance(statement_value, gast.Attribute):
            return self._attribute(index, result, statement_value)
        if isinstance(statement_value, gast.Constant) and type(statement_value.value) in (
                int, float, bool):
            literal = statement_value.value
            return self._set(result, (), type(literal) is int,
                             literal if type(literal) is int else None)
        if operation.kind not in ("apply", "inactive"):
            return False
        found = self._apply(index, operation)
        if found is None:
            return False
        shape, integer, known = found
        return self._set(result, shape, integer, known)

    def _attribute(self, index: int, result: Value, node: gast.Attribute) -> bool:
        shape = self._shape(index, node.value)
        if shape is None or self._read(index, node.value) is None:
            return False
        if node.attr == "shape":
            if result in self.facts.ints:
                return False
            self.facts.ints[result] = shape
            return True
        if node.attr in ("size", "ndim"):
            known = math.prod(shape) if node.attr == "size" else len(shape)
            return self._set(result, (), integer=True, known=known)
        if node.attr == "T":
            return self._set(result, shape[::-1])
        return False

    def _apply(self, index: int, operation: Operation):
        """``(shape, is a Python int, its value)`` of the result, or None."""
        function = operation.function
        arguments = operation.arguments
        value = operation.statement.value
        if not arguments and isinstance(value, gast.Call) and not value.keywords:
            arguments = {f"a{i}": a for i, a in enumerate(value.args)}  # an inactive call
        atoms = list(arguments.values())
        shapes = [self._shape(index, a) for a in atoms]
        if function is operator.getitem:
            return self._getitem(index, arguments)
        if getattr(function, "__module__", None) == "math" and all(s == () for s in shapes):
            return (), False, None
        if function in _MATMUL and len(atoms) == 2 and None not in shapes:
            shape = _matmul_shape(*shapes)
            return None if shape is None else (shape, False, None)
        if function in _ELEMENTWISE_UNARY or (_elementwise(function, 1) and len(atoms) == 1):
            return (shapes[0], False, None) if shapes and shapes[0] is not None else None
        binary = function in _ELEMENTWISE_BINARY or _elementwise(function, 2)
        if binary and len(atoms) == 2 and None not in shapes:
            try:
                shape = tuple(np.broadcast_shapes(*shapes))
            except ValueError:
                return None
            integer = function in (operator.add, operator.sub, operator.mul, operator.floordiv,
                                   operator.mod) and all(
                self._is_integer(index, a) for a in atoms)
            return shape, integer, None
        if function in _REDUCTIONS:
            return self._reduction(index, arguments, shapes)
        return self._matrix_function(index, function, atoms, shapes)

    def _matrix_function(self, index: int, function, atoms: list[gast.expr], shapes):
        """``_apply`` for the functions whose result's shape follows from their arguments'
        shapes or an int: ``np.outer``, ``np.linalg.solve``, transposes, ``np.diag``,
        ``np.eye``, ..."""
        if function is np.outer and len(atoms) == 2 and None not in shapes:
            return (math.prod(shapes[0]), math.prod(shapes[1])), False, None
        if function in _SAME_SHAPE_MATRIX and len(atoms) == 1 and shapes[0] is not None \
                and len(shapes[0]) == 2:
            return shapes[0], False, None
        if function is np.linalg.solve and len(atoms) == 2 and None not in shapes \
                and len(shapes[0]) == 2 and len(shapes[1]) in (1, 2) \
                and shapes[0][0] == shapes[0][1] == shapes[1][0]:
            return shapes[1], False, None
        if function in (np.transpose, np.ndarray.transpose) and len(atoms) == 1 \
                and shapes[0] is not None:
            return shapes[0][::-1], False, None
        if function in (np.zeros_like, np.ones_like) and len(atoms) == 1 \
                and shapes[0] is not None:
            return shapes[0], False, None
        if function is np.diag and len(atoms) == 1 and shapes[0] is not None:
            shape = shapes[0]
            if len(shape) == 1:
                return (shape[0], shape[0]), False, None
            return ((min(shape),), False, None) if len(shape) == 2 else None
        if function is self_sq_distances and len(atoms) == 1 and shapes[0] is not None \
                and len(shapes[0]) == 2:
            return (shapes[0][0], shapes[0][0]), False, None
        if function is np.eye and len(atoms) == 1:
            size = self._int(index, atoms[0])
            return ((size, size), False, None) if type(size) is int else None
        return None

    def _reduction(self, index: int, arguments: dict[str, gast.expr], shapes):
        shape = shapes[0] if shapes else None
        if shape is None:
            return None
        extra = set(arguments) - {"a", "x", "self", "axis", "keepdims"}
        if extra:
            return None
        keep = arguments.get("keepdims")
        if keep is not None and not (isinstance(keep, gast.Constant)
                                     and isinstance(keep.value, bool)):
            return None
        keepdims = bool(keep.value) if keep is not None else False
        axis_node = arguments.get("axis")
        if axis_node is None or isinstance(axis_node, gast.Constant) and axis_node.value is None:
            axes = tuple(range(len(shape)))
        else:
            axis = self._int(index, axis_node)
            if type(axis) is not int or not -len(shape) <= axis < len(shape):
                return None
            axes = (axis % len(shape),)
        reduced = tuple(1 if keepdims else None for _ in shape)
        out = tuple(reduced[i] if i in axes else n for i, n in enumerate(shape))
        return tuple(n for n in out if n is not None), False, None

    def _getitem(self, index: int, arguments: dict[str, gast.expr]):
        container, key = arguments.get("a"), arguments.get("b")
        if container is None or key is None:
            return None
        held = self._int(index, container)
        if isinstance(held, tuple):  # x.shape[0]
            position = self._int(index, key)
            if type(position) is int and -len(held) <= position < len(held):
                return (), True, held[position]
            return None
        shape = self._shape(index, container)
        value = self._read(index, container)
        if shape is None or value is None or value in self.facts.integers:
            return None
        keys = key.elts if isinstance(key, gast.Tuple) else [key]
        if len(keys) > len(shape) or not all(self._is_integer(index, k) for k in keys):
            return None  # only integer positions: anything else may depend on values
        # an element of an integer array is an integer, an index as good as an int
        element = len(keys) == len(shape) and value in self.integer_arrays
        return shape[len(keys):], element, None


def _elementwise(function: Any, arguments: int) -> bool:
    """Whether ``function`` is a NumPy ufunc of ``arguments`` arrays and one result,
    applied element by element (not a generalized ufunc such as ``np.matmul``)."""
    return isinstance(function, np.ufunc) and function.nin == arguments \
        and function.nout == 1 and function.signature is None


def _matmul_shape(a: Shape, b: Shape) -> Shape | None:
    if len(a) == 2 and len(b) == 2 and a[1] == b[0]:
        return (a[0], b[1])
    if len(a) == 2 and len(b) == 1 and a[1] == b[0]:
        return (a[0],)
    if len(a) == 1 and len(b) == 2 and a[0] == b[0]:
        return (b[1],)
    if len(a) == 1 and len(b) == 1 and a[0] == b[0]:
        return ()
    return None
