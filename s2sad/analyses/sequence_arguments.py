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

import gast
import numpy as np

from s2sad.analyses.kinds import Kinds
from s2sad.analyses.operations import Operation
from s2sad.frontend import ParsedFunction
from s2sad.naming import Namer
from s2sad.nodes import assign, load, parameters
from s2sad.rules.registry import RuleSet
from s2sad.templates import template_definition
from s2sad.trees import Transformer, copy_tree, walk

#: NumPy functions whose arguments are sequences of arrays, read item by item
_SEQUENCES_OF_ARRAYS = frozenset({
    np.array, np.asarray, np.asanyarray, np.ascontiguousarray, np.asfortranarray,
    np.stack, np.hstack, np.vstack, np.dstack, np.column_stack, np.concatenate, np.block,
    np.broadcast_arrays, np.meshgrid, np.select, np.piecewise, np.linalg.multi_dot,
    np.ix_,
})


def arrays_for_numpy(parsed: ParsedFunction, core: gast.FunctionDef, operations: list[Operation],
                     kinds: Kinds, active: set[str], namer: Namer) -> ParsedFunction | None:
    """Write ``np.asarray`` before each NumPy call given an active list or tuple (in
    ``core``, in place); the parse with the names the conversions call, or ``None`` when
    there is nothing to convert."""
    parameter_names = set(parameters(core))
    places = [(op, atom) for op in operations if _reads_as_array(op)
              for param, atom in op.arguments.items()
              if _active_sequence(atom, kinds, active) or _maybe_sequence(
                  atom, kinds, parameter_names) and _operator_on(op.rules, param)]
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


def _reads_as_array(op: Operation) -> bool:
    if op.kind != "apply" or op.function in _SEQUENCES_OF_ARRAYS:
        return False
    function = op.function
    module = getattr(function, "__module__", None) or ""
    return isinstance(function, np.ufunc) or module.split(".")[0] in ("numpy", "scipy")


def _active_sequence(atom: gast.expr, kinds: Kinds, active: set[str]) -> bool:
    if isinstance(atom, gast.Name):
        return kinds.of(atom) in ("list", "tuple") and atom.id in active
    if isinstance(atom, (gast.List, gast.Tuple)):
        return any(isinstance(n, gast.Name) and n.id in active for n in walk(atom))
    return False


def _maybe_sequence(atom: gast.expr, kinds: Kinds, parameter_names: set[str]) -> bool:
    """A list or tuple, or a name of unknown kind made in the function (a call's result,
    an item): it may hold a list."""
    if isinstance(atom, (gast.List, gast.Tuple)):
        return True
    return isinstance(atom, gast.Name) and atom.id not in parameter_names and \
        kinds.of(atom) in ("list", "tuple", "unknown")


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
