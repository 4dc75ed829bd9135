"""Activity: a value needs a derivative only if it is varied and useful.

*Varied*: it depends on an input we differentiate with respect to. *Useful*: the output
depends on it. Names that are both are *active*; every other value is a symbolic zero
and gets no derivative code at all. The analysis is per name and flow-insensitive (a
name is active if any of its definitions is), iterated to a fixed point: conservative,
never wrong, and exact for the usual one-definition-per-name code.

A call not known to leave its arguments alone (``leaves_arguments_alone``: no rules and no
nondifferentiable declaration, or a declared writer such as ``shuffle``; a method found
when called) may write into each array or list it is given, and a function with rules
into an ``out`` it is given by position: the call defines each of them too, from all the
values it reads (``written_names``). The mutation check refuses it where one is active.

>>> import gast
>>> from s2sad.analyses.operations import Operation
>>> def op(target, *reads):
...     statement = gast.parse(f"{target} = 0").body[0]
...     names = [gast.Name(id=r, ctx=gast.Load(), annotation=None, type_comment=None)
...              for r in reads]
...     return Operation("display", statement, operands=names)
>>> ops = [op("n", "k"), op("h", "x", "n"), op("y", "h"), op("z", "x")]
>>> sorted(active_names(ops, inputs={"x"}, outputs={"y"}))
['h', 'x', 'y']
"""

from __future__ import annotations

from collections.abc import Iterable

import gast

from s2sad.analyses.effects import leaves_arguments_alone
from s2sad.analyses.operations import Operation, targets_of
from s2sad.trees import names_in, walk


def written_names(operation: Operation, instance: bool = True) -> list[str]:
    """The names a call may write into: every name it is given, and the object of a
    method (unless not ``instance``), unless it is known to leave its arguments alone. A
    method found when called (``"method"``), or a function held in a variable
    (``"value"``), is a user's, whose own source is checked when
    it is differentiated, or a builtin one (``xs.reverse()``, ``rng.shuffle(y)``): either
    may write."""
    call = getattr(operation.statement, "value", None)
    if not isinstance(call, gast.Call):
        return []
    out = operation.arguments.get("out") if operation.kind == "apply" else None
    if out is not None:  # np.cumsum(x, 0, None, y): a result written into y
        return [] if isinstance(out, gast.Constant) and out.value is None else [
            n.id for n in walk(out) if isinstance(n, gast.Name)]
    if operation.kind not in ("method", "value") and (
            operation.kind not in ("opaque", "inactive") or operation.function is None
            or leaves_arguments_alone(operation.function)):
        return []
    given = [*call.args, *(k.value for k in call.keywords)]
    if isinstance(call.func, gast.Attribute) and isinstance(call.func.value, gast.Name) \
            and (instance or operation.kind != "method"):
        given.append(call.func.value)
    return names_in(given)


def active_names(operations: Iterable[Operation], inputs: set[str], outputs: set[str]) -> set[str]:
    edges = _edges(operations)
    return _reached(edges, inputs, forward=True) & _reached(edges, outputs, forward=False)


def varied_names(operations: Iterable[Operation], inputs: set[str]) -> set[str]:
    """The names whose values depend on ``inputs``, whether or not an output reads them."""
    return _reached(_edges(operations), inputs, forward=True)


def _edges(operations: Iterable[Operation]) -> list[tuple[list[str], list[str]]]:
    """For each operation, the names it reads and those it binds or writes."""
    edges = []
    for op in operations:
        # a method's own object is left out: it would make the object of every method
        # call given a varied value varied, and its methods refused
        written = written_names(op, instance=False)
        reads = op.names_read()
        edges.append((reads + [n for n in written if n not in reads],
                      targets_of(op.statement) + written))
    return edges


def _reached(edges: list[tuple[list[str], list[str]]], start: set[str],
             forward: bool) -> set[str]:
    """The names reached from ``start`` along the edges (reads to targets), or against
    them: each edge is followed once."""
    following: dict[str, list[int]] = {}
    for i, (reads, targets) in enumerate(edges):
        for name in reads if forward else targets:
            following.setdefault(name, []).append(i)
    reached = set(start)
    pending = list(start)
    done: set[int] = set()
    while pending:
        for i in following.get(pending.pop(), ()):
            if i in done:
                continue
            done.add(i)
            for name in edges[i][1 if forward else 0]:
                if name not in reached:
                    reached.add(name)
                    pending.append(name)
    return reached
