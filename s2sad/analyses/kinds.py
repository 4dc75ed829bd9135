"""Kinds: what sort of value each local name holds, as far as the code shows it.

A kind is ``"int"`` (a Python int or bool), ``"num"`` (a float, complex or any NumPy
value: nothing ``*`` repeats), ``"number"`` (one of those two), ``"list"``, ``"tuple"``,
``"str"``, ``"dict"`` or ``"unknown"`` (a parameter, an item of a container, what a user
function returns). A name assigned several kinds is ``"unknown"``.

The kinds decide what ``+`` and ``*`` mean: on a list, tuple or string they join and
repeat (``concat``, ``repeat``, with rules of their own); on numbers and arrays they are
arithmetic. Where neither operand's kind shows which, the statement is *ambiguous*: its
rules keep their ``unbroadcast``/``broadcast_like`` calls, which raise at run time when
they meet sequences (never a list differentiated as a number).

A parameter used, in a statement every call runs (the function body's top level), where
a list or tuple raises (``-x``, ``abs(x)``, ``math.sin(x)``, ``0.5 * x``, ``x.T``,
``x[i, j]``) is a number or an array: ``"number"``.
"""

from __future__ import annotations

import builtins
import copy
import math
import operator
from collections.abc import Iterable
from typing import Any

import gast
import numpy as np

from s2sad.runtime.sequences import concat, repeat

SEQUENCES = frozenset({"list", "tuple", "str"})
_NUMERIC = frozenset({"int", "num", "number"})
_INT_FUNCTIONS = {len, int, bool, math.floor, math.ceil, math.trunc, math.factorial,
                  math.gcd, math.isqrt, math.comb, math.perm}
_MAKERS = {list: "list", sorted: "list", tuple: "tuple", str: "str", dict: "dict",
           float: "num", complex: "num"}
# methods lists or tuples have too: their use proves nothing
_SEQUENCE_METHODS = frozenset(dir(list)) | frozenset(dir(tuple))


def join(a: str | None, b: str | None) -> str | None:
    if a is None or a == b:
        return b
    if b is None:
        return a
    if a in _NUMERIC and b in _NUMERIC:
        return "number"
    return "unknown"


def _constant_kind(value: Any) -> str:
    if isinstance(value, (bool, int)):
        return "int"
    if isinstance(value, (float, complex)):
        return "num"
    if isinstance(value, str):
        return "str"
    if isinstance(value, tuple):
        return "tuple"
    return "unknown"


class Kinds:
    """The kinds of one core function's local names, and its ambiguous statements."""

    def __init__(self, operations: list, parameters: list[str], top_level: set[int],
                 loop_indices: Iterable[str] = ()) -> None:
        self.kinds: dict[str, str] = {p: "unknown" for p in parameters}
        for name in loop_indices:  # a lowered for loop runs over a range: ints
            self.kinds[name] = join(self.kinds.get(name), "int")
        assigned = {t for op in operations for t in _defined(op)}
        for name in set(parameters) - assigned:
            if any(id(op.statement) in top_level and _rejects_sequence(op, name)
                   for op in operations):
                self.kinds[name] = "number"
        changed = True
        while changed:  # a fixed point: definitions in loops read their own names
            changed = False
            for op in operations:
                for name, kind in _definitions(op, self.of):
                    new = join(self.kinds.get(name), kind)
                    if new != self.kinds.get(name):
                        self.kinds[name] = new
                        changed = True
        #: indices of ``+``/``*`` statements whose operands' kinds do not tell their meaning
        self.ambiguous: set[int] = set()
        #: names of unknown kind read or set by those: they may hold sequences
        self.maybe_sequences: set[str] = set()
        for index, op in enumerate(operations):
            if op.kind == "apply" and _meaning(op, self.of) == "ambiguous":
                self.ambiguous.add(index)
                self.maybe_sequences.update(
                    n for n in [a.id for a in op.arguments.values() if isinstance(a, gast.Name)]
                    + _defined(op) if self.kinds.get(n, "unknown") == "unknown")

    def of_numbers(self) -> Kinds:
        """These kinds where every parameter is a float (in code of Python arithmetic, no
        name then holds a sequence)."""
        numbers = copy.copy(self)
        numbers.maybe_sequences = set()
        return numbers

    def of(self, atom: gast.expr) -> str:
        if isinstance(atom, gast.Constant):
            return _constant_kind(atom.value)
        if isinstance(atom, gast.Name):
            return self.kinds.get(atom.id) or "unknown"
        if isinstance(atom, gast.List):
            return "list"
        if isinstance(atom, gast.Tuple):
            return "tuple"
        return "unknown"

    def is_sequence(self, name: str) -> bool:
        """Whether ``name`` holds, or may hold, a list, tuple, string or dict."""
        return self.kinds.get(name) in SEQUENCES or self.kinds.get(name) == "dict" or \
            name in self.maybe_sequences

    def retarget(self, operations: list, find_rules) -> None:
        """``+`` and ``*`` of lists, tuples and strings become ``concat`` and ``repeat``."""
        for op in operations:
            if op.kind != "apply":
                continue
            meaning = _meaning(op, self.of)
            if meaning == "concat":
                op.function, op.rules = concat, find_rules(concat)
            elif meaning in ("repeat", "repeat_left"):
                seq, count = op.arguments["a"], op.arguments["b"]
                if meaning == "repeat_left":
                    seq, count = count, seq
                op.function, op.rules = repeat, find_rules(repeat)
                op.arguments = {"seq": seq, "count": count}


def _meaning(op, kind_of) -> str:
    """``"arithmetic"``, ``"concat"``, ``"repeat"`` (``seq * n``), ``"repeat_left"``
    (``n * seq``) or ``"ambiguous"`` for an applied operation."""
    if op.function not in (operator.add, operator.mul) or set(op.arguments) != {"a", "b"}:
        return "arithmetic"
    a, b = kind_of(op.arguments["a"]), kind_of(op.arguments["b"])
    if op.function is operator.add:
        if a in SEQUENCES and b in SEQUENCES:
            return "concat"
        if a in SEQUENCES or b in SEQUENCES:  # an array or a NumPy number adds to each item;
            other = b if a in SEQUENCES else a  # else concat, whose rules see at run time
            return "arithmetic" if other == "num" else "concat"  # what the other held
        return "arithmetic" if a in _NUMERIC or b in _NUMERIC else "ambiguous"
    if a in SEQUENCES or b in SEQUENCES:  # repeated by an int; an array or a NumPy
        other = b if a in SEQUENCES else a  # number multiplies its items instead
        if other == "int":
            return "repeat" if a in SEQUENCES else "repeat_left"
        return "arithmetic" if other == "num" else "ambiguous"
    if a == "num" or b == "num" or a in _NUMERIC and b in _NUMERIC:
        return "arithmetic"
    left, right = op.arguments["a"], op.arguments["b"]
    if isinstance(left, gast.Name) and isinstance(right, gast.Name) and left.id == right.id:
        return "arithmetic"  # x * x: two sequences do not multiply
    return "ambiguous"


def _defined(op) -> list[str]:
    statement = op.statement
    if op.kind in ("setitem", "append", "accumulate"):
        return []
    if op.kind == "pop":
        return [statement.targets[0].id]
    if isinstance(statement, gast.Assign):
        target = statement.targets[0]
        if isinstance(target, gast.Name):
            return [target.id]
        if isinstance(target, (gast.Tuple, gast.List)):
            return [e.id for e in target.elts if isinstance(e, gast.Name)]
    return []


def _definitions(op, kind_of) -> list[tuple[str, str]]:
    names = _defined(op)
    statement = op.statement
    if len(names) != 1 or op.kind == "pop" or not isinstance(statement.targets[0], gast.Name):
        return [(n, "unknown") for n in names]
    value = statement.value
    if isinstance(value, gast.Constant):
        kind = _constant_kind(value.value)
    elif isinstance(value, (gast.List, gast.Tuple, gast.Dict)):
        kind = {gast.List: "list", gast.Tuple: "tuple", gast.Dict: "dict"}[type(value)]
    elif isinstance(value, gast.Name):
        kind = kind_of(value)
    elif isinstance(value, gast.Compare):
        kind = "number"
    elif op.kind == "apply" or op.kind == "inactive" and op.function is not None:
        kind = _result_kind(op, kind_of)
    else:
        kind = "unknown"
    return [(names[0], kind)]


def _result_kind(op, kind_of) -> str:
    function = op.function
    kinds = [kind_of(a) for a in op.arguments.values()]
    if function in (operator.add, operator.mul, concat, repeat):
        meaning = _meaning(op, kind_of) if function in (operator.add, operator.mul) else None
        if function is concat or meaning == "concat":
            return next(k for k in kinds if k in SEQUENCES)
        if function is repeat or meaning in ("repeat", "repeat_left"):
            return next(k for k in kinds if k in SEQUENCES)
        if meaning == "ambiguous":
            return "unknown"
        return _arithmetic_kind(kinds)
    if function is operator.mod and kinds and kinds[0] == "str":
        return "str"
    if function in (operator.truediv, operator.matmul):
        return "num"
    if function in (operator.sub, operator.pow, operator.floordiv, operator.mod, operator.neg,
                    operator.pos, operator.abs, builtins.abs, operator.invert, operator.and_,
                    operator.or_, operator.xor, operator.lshift, operator.rshift, round):
        return _arithmetic_kind(kinds)
    if function is operator.getitem:
        container = kind_of(op.arguments.get("a"))
        if isinstance(op.arguments.get("b"), gast.Tuple):
            return "num"  # a[i, j]: only an array takes several indices
        return container if container in ("str", "num") else "unknown"
    if function in _INT_FUNCTIONS or function is operator.not_:
        return "int"
    if function in _MAKERS:
        return _MAKERS[function]
    if function is np.ndarray.tolist:
        return "unknown"
    if function is np.ndarray.item:
        return "number"
    module = getattr(function, "__module__", None) or ""
    if module == "math":
        return "num"
    if module.split(".")[0] in ("numpy", "scipy") or getattr(function, "__objclass__", None) \
            is np.ndarray or isinstance(function, np.ufunc):
        return "num"
    return "unknown"


def _arithmetic_kind(kinds: list[str]) -> str:
    if kinds and all(k == "int" for k in kinds):
        return "int"
    if any(k == "num" for k in kinds):
        return "num"
    return "number"


def _rejects_sequence(op, name: str) -> bool:
    """Whether ``op`` raises for a list or tuple in the parameter ``name``."""
    if op.kind != "apply":
        return False
    uses = [p for p, a in op.arguments.items() if isinstance(a, gast.Name) and a.id == name]
    if not uses:
        return False
    function = op.function
    if function in (operator.neg, operator.pos, operator.abs, builtins.abs, float, complex):
        return True
    if (getattr(function, "__module__", None) == "math"):
        return True
    if function in (operator.add, operator.sub, operator.mul, operator.truediv,
                    operator.pow):  # with a Python float: no list or tuple takes it
        other = [a for p, a in op.arguments.items() if p not in uses]
        return bool(other) and isinstance(other[0], gast.Constant) and \
            type(other[0].value) is float
    if function is operator.getitem and "a" in uses:
        index = op.arguments.get("b")
        return isinstance(index, gast.Tuple)
    if getattr(function, "__objclass__", None) is np.ndarray or isinstance(
            function, property) or type(function).__name__ == "getset_descriptor":
        return uses[0] == next(iter(op.arguments)) and \
            getattr(function, "__name__", "") not in _SEQUENCE_METHODS
    return False
