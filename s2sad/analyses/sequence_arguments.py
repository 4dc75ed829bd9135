"""Lists and tuples of active values given to NumPy: converted to arrays where NumPy would.

A NumPy function reads a list or tuple argument as the array ``np.asarray`` makes of it,
but its rules compute with the argument as it is written: in ``np.power([x, y], 2)`` the
adjoint ``2 * [x, y]`` would repeat the list. So the conversion NumPy does inside the call
is written out before it, and the rules see an array::

    _t2 = [x, x + 1.0]                  _t2 = [x, x + 1.0]
    _t4 = np.power(_t2, 2)      ->      _t3 = np.asarray(_t2)
                                        _t4 = np.power(_t3, 2)

Functions that take a sequence of arrays as a sequence (``np.stack``, ``np.concatenate``,
``np.array`` itself ...) keep it: their rules split the adjoint by items.
"""

from __future__ import annotations

import dataclasses
import operator

import gast
import numpy as np

from s2sad.analyses.kinds import Kinds
from s2sad.analyses.operations import Operation
from s2sad.frontend import ParsedFunction
from s2sad.naming import Namer
from s2sad.nodes import assign, load, parameters
from s2sad.rules.registry import RULES, RuleSet
from s2sad.templates import template_definition
from s2sad.trees import Transformer, copy_tree, walk

_ARITHMETIC = frozenset({operator.sub, operator.truediv, operator.floordiv, operator.mod,
                         operator.pow, operator.matmul})
#: NumPy functions whose arguments are sequences of arrays, read item by item
_SEQUENCES_OF_ARRAYS = frozenset({
    np.array, np.asarray, np.asanyarray, np.ascontiguousarray, np.asfortranarray,
    np.stack, np.hstack, np.vstack, np.dstack, np.column_stack, np.concatenate, np.block,
    np.broadcast_arrays, np.meshgrid, np.select, np.piecewise, np.linalg.multi_dot,
    np.ix_,
})


def arrays_for_numpy(parsed: ParsedFunction, core: gast.FunctionDef, operations: list[Operation],
                     kinds: Kinds, active: set[str], namer: Namer,
                     vector: bool = False) -> ParsedFunction | None:
    """Write ``np.asarray`` before each NumPy call, or arithmetic with an array, given a
    list or tuple (in ``core``, in place); the parse with the names the conversions call,
    or ``None`` when there is nothing to convert. ``vector``: for vector forward mode,
    where the tangent of a list another function returned must be stacked too."""
    parameter_names = set(parameters(core))
    places = [(op, atom) for op in operations if _reads_as_array(op, kinds)
              for param, atom in op.arguments.items()
              if _converted(op, param, atom, kinds, active, parameter_names, vector)]
    if not places:
        return None
    asarray, extra = _asarray_name(parsed, namer)
    conversions: dict[int, list[gast.stmt]] = {}
    replaced: dict[int, str] = {}
    for op, atom in places:
        name = namer.numbered("_t")
        statement = assign(name, gast.Call(func=copy_tree(asarray), args=[copy_tree(atom)],
                                          keywords=[]))
        gast.copy_location(statement, op.statement)
        statement.origin = getattr(op.statement, "origin", op.statement)
        conversions.setdefault(id(op.statement), []).append(statement)
        replaced[id(atom)] = name
    _Converted(conversions, replaced).visit(core)
    if not extra:
        return parsed
    return dataclasses.replace(parsed, extra={**parsed.extra, **extra})


def _reads_as_array(op: Operation, kinds: Kinds) -> bool:
    """Whether ``op`` reads its list or tuple arguments as arrays: a NumPy function, a
    method with a stand-in's rules (``scipy.stats.norm.pdf([0.1, x], ...)``), or
    arithmetic whose other operand is a NumPy value (``x + [1.0, 2.0]``)."""
    if op.kind != "apply" or op.function in _SEQUENCES_OF_ARRAYS:
        return False
    function = op.function
    if function in (operator.add, operator.mul):  # else they join or repeat lists
        return any(kinds.of(a) == "num" for a in op.arguments.values())
    if function in _ARITHMETIC:  # no list or tuple takes these: the other is an array
        return True
    if RULES.bound_stand_in(function) is not None:
        return True
    module = getattr(function, "__module__", None) or ""  # not SciPy's: lu_solve((lu, piv),
    return isinstance(function, np.ufunc) or module.split(".")[0] == "numpy"  # b) keeps it


def _converted(op: Operation, param: str, atom: gast.expr, kinds: Kinds, active: set[str],
               parameter_names: set[str], vector: bool) -> bool:
    """Whether the argument ``atom`` of ``op`` is handed to its rules as an array."""
    if op.rules.variadic(param):  # np.einsum's operands: each its own argument
        return False
    if kinds.of(atom) in ("list", "tuple"):  # data with rules; not an axis or a shape
        return _active_sequence(atom, kinds, active) or _has_rules(op.rules, param)
    if _maybe_sequence(atom, kinds, parameter_names) and not _is_operator(op.function) \
            and _has_rules(op.rules, param):  # data: not ord=, an axis or a shape
        return vector or _operator_on(op.rules, param)  # list ** 2 raises: never a list
    return False


def _is_operator(function) -> bool:
    return function in _ARITHMETIC or function in (operator.add, operator.mul)


def _has_rules(rules: RuleSet, param: str) -> bool:
    return param in rules.vjps or param in rules.jvps or param in rules.linear


def _active_sequence(atom: gast.expr, kinds: Kinds, active: set[str]) -> bool:
    if isinstance(atom, gast.Name):
        return kinds.of(atom) in ("list", "tuple") and atom.id in active
    if isinstance(atom, (gast.List, gast.Tuple)):
        return any(isinstance(n, gast.Name) and n.id in active for n in walk(atom))
    return False


def _maybe_sequence(atom: gast.expr, kinds: Kinds, parameter_names: set[str]) -> bool:
    """A name of unknown kind made in the function (a call's result, an item): it may
    hold a list."""
    return isinstance(atom, gast.Name) and atom.id not in parameter_names and \
        kinds.of(atom) == "unknown"


def _operator_on(rules: RuleSet, param: str) -> bool:
    """Whether a rule of ``rules`` applies a Python operator to the argument ``param``
    itself, where a list would be repeated or joined (``2 * x``) instead of computed with."""
    key = (id(rules), param)
    if key not in _operators:  # the rule set is kept with its answer: its id stays its own
        _operators[key] = (rules, _applies_operator(rules, param))
    return _operators[key][1]


_operators: dict[tuple[int, str], tuple[RuleSet, bool]] = {}


def _applies_operator(rules: RuleSet, param: str) -> bool:
    for rule in [*rules.vjps.values(), *rules.jvps.values()]:
        definition = template_definition(rule.template)
        if definition is None:
            continue
        for node in walk(definition):
            operands = [node.left, node.right] if isinstance(node, gast.BinOp) else \
                [node.operand] if isinstance(node, gast.UnaryOp) else []
            if any(isinstance(o, gast.Name) and o.id == param for o in operands):
                return True
    return False


def _asarray_name(parsed: ParsedFunction, namer: Namer) -> tuple[gast.expr, dict]:
    """``np.asarray`` where ``np`` is NumPy in the user's scope, else a name bound to it."""
    for module_name in ("np", "numpy"):
        if parsed.resolve(module_name) is np:
            return gast.Attribute(value=load(module_name), attr="asarray", ctx=gast.Load()), {}
    name = namer.fresh("asarray")
    return load(name), {name: np.asarray}


class _Converted(Transformer):
    """Puts each conversion before its statement and has the statement read its result."""

    def __init__(self, conversions: dict[int, list[gast.stmt]], replaced: dict[int, str]):
        self.conversions = conversions
        self.replaced = replaced

    def generic_visit(self, node):
        for field_name in ("body", "orelse"):
            body = getattr(node, field_name, None)
            if isinstance(body, list) and body and isinstance(body[0], gast.stmt):
                setattr(node, field_name, [new for statement in body
                                           for new in self._with_conversions(statement)])
        return super().generic_visit(node)

    def _with_conversions(self, statement: gast.stmt) -> list[gast.stmt]:
        return [*self.conversions.get(id(statement), []), statement]

    def visit_Name(self, node: gast.Name) -> gast.expr:
        if id(node) in self.replaced:
            return load(self.replaced[id(node)])
        return node

    def visit_List(self, node: gast.List) -> gast.expr:
        if id(node) in self.replaced:
            return load(self.replaced[id(node)])
        return self.generic_visit(node)

    visit_Tuple = visit_List
