"""The contributions one statement's reverse makes to its arguments' adjoints.

A copy or an unpacking hands its argument the seed (the adjoint of what it assigned); a
display ``(a, b)`` or ``{k: a}`` each item its part; a user function's call its adjoint
function's results; a function with rules each argument its VJP template, inlined; a read
``t = x[i]`` in a reversed loop adds ``t``'s adjoint into ``x``'s in place instead.
"""

from __future__ import annotations

import operator

import gast

from s2sad.analyses.operations import Operation
from s2sad.nodes import assign, call, load, tuple_of
from s2sad.transforms.calls import (
    active_parameters,
    derivative_call,
    forward_result,
    kept_states,
    recomputed_callee,
    replayed,
)
from s2sad.transforms.reverse_in_place import Sweep, read_adjoint
from s2sad.trees import copy_tree, walk


def adjoint_contributions(
    t: Sweep, index: int, operation: Operation, targets: list[str], block: list[gast.stmt]
) -> dict[str, list[gast.expr]]:
    """Each active argument's adjoint contributions; helper statements go to ``block``."""
    kind = operation.kind
    tuple_target = not isinstance(operation.statement.targets[0], gast.Name)
    g = _seed_of(t, targets, tuple_target)
    if kind in ("copy", "unpack"):
        parts = [(operation.operands[0], g)]
    elif kind == "display":
        parts = _display_parts(operation, g)
    elif kind in ("call", "method", "value"):
        parts = _callee_parts(t, operation, g, block)
    elif _read_in_place(t, operation):
        read_adjoint(t, index, operation, copy_tree(g), block)
        parts = []
    else:
        ans = tuple_of([load(target) for target in targets]) if tuple_target else load(targets[0])
        parts = _rule_parts(t, index, operation, g, ans, block)
    out: dict[str, list[gast.expr]] = {}
    for atom, value in parts:
        if isinstance(atom, gast.Name) and atom.id in t.p.active:
            out.setdefault(atom.id, []).append(value)
    return out


def _seed_of(t: Sweep, targets: list[str], tuple_target: bool) -> gast.expr:
    if not tuple_target:
        return t.holders.current(targets[0])
    return tuple_of(
        [
            t.holders.current(target) if target in t.live
            else call(t.p.runtime("zeros_like"), load(target))
            for target in targets
        ]
    )


def _callee_parts(t: Sweep, operation: Operation, g: gast.expr, block: list[gast.stmt]
                  ) -> list[tuple[gast.expr, gast.expr]]:
    """A user function's call: its adjoint, called once (a tuple, one adjoint per
    active argument), hands each argument its part (each item of ``*args``, each
    value of ``**kwargs``)."""
    active = active_parameters(t.p, operation, lambda a: a.id in t.p.active)
    held = _function_value_part(t, operation)
    if not active:
        return held
    adjoints = t.adjoint_temporary()
    recomputed = recomputed_callee(t.p, operation)
    extras = [copy_tree(g)] + ([forward_result(operation)] if recomputed.differs else [])
    adjoint = assign(adjoints, derivative_call(t.p, operation, "reverse", active, extras,
                                               checked=recomputed.differs))
    if recomputed.draws:  # its random states as they were for the forward sweep's call
        stack = t.p.namer.fresh("_states")
        t.replayed[id(operation.statement)] = (stack, kept_states(t.p, operation, recomputed,
                                                                  stack))
        block.extend(replayed(t.p, stack, adjoint))
    else:
        block.append(adjoint)
    parts: list[tuple[gast.expr, gast.expr]] = []
    for position, param in enumerate(active):
        atom, adjoint = operation.arguments[param], _item(load(adjoints), position)
        if isinstance(atom, gast.Tuple):  # *args: a tuple of adjoints
            parts += [(element, _item(adjoint, k)) for k, element in enumerate(atom.elts)]
        elif isinstance(atom, gast.Dict):  # **kwargs: a dict of adjoints
            parts += [(value, gast.Subscript(value=adjoint, slice=copy_tree(key),
                                             ctx=gast.Load()))
                      for key, value in zip(atom.keys, atom.values)]
        else:
            parts.append((atom, adjoint))
    return parts + held


def _function_value_part(t: Sweep, operation: Operation) -> list[tuple[gast.expr, gast.expr]]:
    """A function value carrying a derivative (in a derivative, where one is called as an
    item of an active tape) gets a zero: whatever made it is differentiated in turn, and
    a closure over a value carrying one is refused there, as in forward mode."""
    if operation.kind != "value":
        return []
    return [(operation.operands[0], gast.Constant(value=0.0, kind=None))]


def _read_in_place(t: Sweep, operation: Operation) -> bool:
    """``t = x[i]`` in a reversed loop, with ``x``'s adjoint live: added in place."""
    if not (t.holders.in_loop and operation.function is operator.getitem):
        return False
    read = operation.statement.value.value
    return isinstance(read, gast.Name) and read.id in t.p.active and read.id in t.live


def _rule_parts(t: Sweep, index: int, operation: Operation, g: gast.expr, ans: gast.expr,
                block: list[gast.stmt]) -> list[tuple[gast.expr, gast.expr]]:
    """A function with rules: each argument a derivative reaches gets its VJP rule's
    template inlined (a sequence argument, each item its part of the adjoints)."""
    parts: list[tuple[gast.expr, gast.expr]] = []
    for param, atom in operation.arguments.items():
        if not any(isinstance(n, gast.Name) and n.id in t.p.active for n in walk(atom)) \
                or operation.rules is not None and param in operation.rules.constant:
            continue
        if operation.kind == "opaque" or param not in operation.rules.vjps:
            raise t.p.missing(operation, "reverse",
                                 None if operation.kind == "opaque" else param)
        value = t.p.inliner.expand(operation.rules.vjps[param].template,
                                      [copy_tree(g), ans], operation.arguments,
                                      t.p.same_shape(index, operation), param)
        if isinstance(atom, gast.Name):
            parts.append((atom, value))
        elif isinstance(atom, (gast.Tuple, gast.List)):  # a sequence argument
            if not isinstance(value, gast.Tuple):  # compute the adjoints once
                adjoints = t.p.namer.fresh(t.p.namer.temp() + "_bar")
                block.append(assign(adjoints, value))
                value = load(adjoints)
            parts += [(element, _item(value, k)) for k, element in enumerate(atom.elts)]
    return parts


def _display_parts(operation: Operation, g: gast.expr) -> list[tuple[gast.expr, gast.expr]]:
    """``y = (a, b)`` or ``y = {k: a}``: each item takes its part of ``g``."""
    value = operation.statement.value
    if isinstance(value, gast.Dict):
        return [(atom, gast.Subscript(value=copy_tree(g), slice=copy_tree(key), ctx=gast.Load()))
                for key, atom in zip(value.keys, operation.operands)]
    return [(atom, _item(g, position)) for position, atom in enumerate(operation.operands)]


def _item(value: gast.expr, position: int) -> gast.expr:
    if isinstance(value, gast.Tuple):
        return copy_tree(value.elts[position])
    return gast.Subscript(
        value=copy_tree(value), slice=gast.Constant(value=position, kind=None), ctx=gast.Load()
    )
