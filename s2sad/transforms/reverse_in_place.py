"""The adjoints of in-place writes and reads of arrays and lists, in the reverse sweep.

``x[i] = v`` hands ``v`` the adjoint of the elements written and zeroes them in ``x``'s
adjoint (``setitem_adjoint``); ``xs.append(v)`` pops ``v``'s adjoint off the list of
adjoints, ``y = xs.pop()`` puts ``y``'s back; generated code's ``accumulate_at`` and
``setitem_adjoint`` (second derivatives) have theirs; a read ``t = x[i]`` in a reversed
loop adds ``t``'s adjoint into ``x``'s in place. Each writes into an adjoint the
transform has made an array of its own (``Sweep.own``), and returns the contributions it
makes to other adjoints.
"""

from __future__ import annotations

from typing import Protocol

import gast

from s2sad.analyses.operations import Operation
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import assign, call, load
from s2sad.transforms.adjoint_holders import AdjointHolders
from s2sad.transforms.common import index_as_value
from s2sad.trees import copy_tree


class Sweep(Protocol):
    """What these adjoints need of the reverse sweep being built."""

    p: Prepared
    #: names whose values are plain arrays or numbers
    plain: set[str]
    #: the names whose adjoints are live
    live: set[str]
    holders: AdjointHolders
    #: a call whose callee's random states are replayed -> its stack of kept states and
    #: the forward sweep's statement keeping them
    replayed: dict[int, tuple[str, gast.stmt]]

    def own(self, name: str, block: list[gast.stmt]) -> str:
        """Make ``name``'s adjoint an array of its own; returns its variable."""

    def adjoint_temporary(self) -> str:
        """A new variable for an adjoint."""


def write_adjoint(t: Sweep, operation: Operation, block: list[gast.stmt]):
    """``x[i] = v``: ``v`` takes the adjoint of the elements written, which then no
    longer reach the output (zeroed in place; ``x`` stays live)."""
    target = operation.statement.targets[0]
    name, value = operation.operands[0].id, operation.operands[1]
    variable = t.own(name, block)
    if isinstance(value, gast.Name) and value.id in t.p.active:
        taken = t.adjoint_temporary()
        block.append(assign(taken, call(t.p.runtime("setitem_adjoint"), load(variable),
                                        index_as_value(t.p.namespace, target.slice), value)))
        return {value.id: [load(taken)]}
    written = gast.Subscript(value=load(variable), slice=copy_tree(target.slice),
                             ctx=gast.Store())
    block.append(assign(written, gast.Constant(value=0.0, kind=None)))
    return {}

def append_adjoint(t: Sweep, operation: Operation, block: list[gast.stmt]):
    """``xs.append(v)``: ``v`` takes the last adjoint of the list of adjoints."""
    name, value = operation.operands[0].id, operation.operands[1]
    variable = t.own(name, block)
    pop = gast.Call(func=gast.Attribute(value=load(variable), attr="pop", ctx=gast.Load()),
                    args=[], keywords=[])
    if isinstance(value, gast.Name) and value.id in t.p.active:
        taken = t.adjoint_temporary()
        block.append(assign(taken, pop))
        return {value.id: [load(taken)]}
    block.append(gast.Expr(value=pop))
    return {}

def pop_adjoint(t: Sweep, operation: Operation, targets: list[str],
                block: list[gast.stmt]):
    """``y = xs.pop()``: ``y``'s adjoint goes back onto the list of adjoints (none for
    a list of values without derivatives: a tape of shapes)."""
    name, sequence = targets
    if sequence not in t.p.active:
        t.live.discard(name)
        return {}
    variable = t.own(sequence, block)
    value = t.holders.current(name) if name in t.live else call(
        t.p.runtime("zeros_like"), load(name))
    append = gast.Attribute(value=load(variable), attr="append", ctx=gast.Load())
    block.append(gast.Expr(value=gast.Call(func=append, args=[value], keywords=[])))
    t.live.discard(name)
    return {}

def accumulate_adjoint(t: Sweep, operation: Operation, block: list[gast.stmt]):
    """``accumulate_at(a, b, g)`` (``a[b] += g``): ``g`` takes ``a``'s adjoint at ``b``
    (a copy: that adjoint may be written in place later); ``a``'s passes through."""
    name, value = operation.operands[0].id, operation.operands[1]
    if not (isinstance(value, gast.Name) and value.id in t.p.active):
        return {}
    index = copy_tree(operation.arguments["index"])
    taken = t.adjoint_temporary()
    block.append(assign(taken, call(t.p.runtime("written_part"), t.holders.current(name),
                                    index)))
    return {value.id: [load(taken)]}

def takeout_adjoint(t: Sweep, operation: Operation, targets: list[str],
                    block: list[gast.stmt]):
    """``g = setitem_adjoint(a, b, v)`` (``g`` is ``a[b]``, then ``a[b]`` is zeroed):
    ``a``'s adjoint at ``b`` is ``g``'s, spread back over ``a[b]`` (the zeroed elements
    reach the output no other way; of repeated positions the last one, which alone
    gave ``g`` its value, takes it)."""
    taken, name = targets
    variable = t.own(name, block)
    value = t.holders.current(taken) if taken in t.live else gast.Constant(value=0.0,
                                                                          kind=None)
    block.append(assign(gast.Subscript(value=load(variable), slice=copy_tree(
        operation.arguments["index"]), ctx=gast.Store()), value))
    t.live.discard(taken)
    return {}

def read_adjoint(t: Sweep, index: int, operation: Operation, g: gast.expr,
                 block: list[gast.stmt]) -> None:
    """``t = x[i]`` in a loop, with ``x``'s adjoint live: ``x_bar[i] += t_bar`` in place
    (``accumulate_at`` where the index may repeat an element, or the values may be
    complex), not a new array of ``x``'s size per iteration."""
    value = operation.statement.value
    variable = t.own(value.value.id, block)
    # inline only where values stay real: accumulate_at also adds a complex g's real
    # part into a real array (the adjoint of a real value)
    if value.value.id in t.plain and _basic_index(t.p, index, value.slice) \
            and t.p.inliner.real_only:
        target = gast.Subscript(value=load(variable), slice=copy_tree(value.slice),
                                ctx=gast.Store())
        block.append(gast.AugAssign(target=target, op=gast.Add(), value=g))
    else:
        block.append(gast.Expr(value=call(t.p.runtime("accumulate_at"), load(variable),
                                          index_as_value(t.p.namespace, value.slice), g)))

def _basic_index(prepared: Prepared, index: int, node: gast.expr) -> bool:
    """Whether the index is made of slices, integer constants and known integers only."""
    parts = node.elts if isinstance(node, gast.Tuple) else [node]
    for part in parts:
        if isinstance(part, gast.Slice) or isinstance(part, gast.Constant) and (
                part.value is None or part.value is Ellipsis
                or type(part.value) is int):
            continue
        value = prepared.shapes.value_read(index, part)
        if not (isinstance(part, gast.Name) and value is not None
                and prepared.shapes.is_scalar(value) and part.id not in prepared.active):
            return False
    return True

