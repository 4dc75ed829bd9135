"""Which values may share memory, for the mutation check (``analyses/mutation.py``) and the
recording of values a write changes: operations known to return a new object, names that
only ever hold a new list or dict or an index array, and the relations "may share memory
with" and "may hold an element of", joined where two paths meet.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import gast
import numpy as np

from s2sad import runtime
from s2sad.analyses.operations import Operation, targets_of
from s2sad.runtime.sequences import removed_entry
from s2sad.runtime.writes import single_element
from s2sad.trees import walk

_FRESH_FUNCTIONS = {
    np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.std, np.var, np.ptp,
    np.cumsum, np.cumprod, np.median, np.average, np.dot, np.vdot, np.inner, np.outer,
    np.matmul, np.tensordot, np.einsum, np.kron, np.cross, np.concatenate, np.stack,
    np.vstack, np.hstack, np.dstack, np.column_stack, np.copy, np.array, np.where, np.clip,
    np.tile, np.repeat, np.pad, np.tril, np.triu, np.trace, np.sort, np.take, np.zeros,
    np.ones, np.full, np.zeros_like, np.ones_like, np.full_like, np.empty, np.empty_like,
}
#: operations that change an object in place: x[i] = v, xs.append(v), y = xs.pop(), and
#: generated code's accumulate_at(x_bar, i, g) and g = setitem_adjoint(x_bar, i, v)
IN_PLACE = ("setitem", "append", "pop", "accumulate", "takeout")

_FRESH_FUNCTIONS |= {runtime.owned, runtime.zeros_like, runtime.setitem_adjoint, runtime.added_at,
                     runtime.element, runtime.written_part, len, single_element}
#: helpers whose result may share memory only with their first argument: unbroadcast(g, x)
#: and unreduce(g, x, ...) read x for its shape and dtype
_FIRST_ARGUMENT_ONLY = {runtime.unbroadcast, runtime.unreduce}
FRESH_EXPRESSIONS = (gast.BinOp, gast.UnaryOp, gast.Compare, gast.Constant)
_FRESH_METHODS = {"copy", "astype", "sum", "mean", "prod", "max", "min", "std", "var", "dot",
                  "cumsum", "cumprod", "flatten", "clip", "round", "trace", "take", "repeat"}


def follow_elements(elements: dict[str, set[str]], shares: dict[str, set[str]],
                    value: gast.AST, sources: set[str], targets: list[str]) -> None:
    """``y = xs[i]`` holds an element of ``xs``; so does any value computed from such
    names alone (``z = f(y)``), without ``xs`` itself or another name sharing it."""
    if isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name):
        elements.setdefault(value.value.id, set()).update(targets)
        return
    for sequence, held in elements.items():
        others = {sequence} | (shares.get(sequence, set()) - held)
        if sources & held and not sources & others:
            held.update(targets)


def views_of_written(operations: Sequence[Operation]) -> dict[str, set[str]]:
    """For each name that may be a view (or another name) of an array written in place,
    those arrays: a value read through such a view changes when the array is written."""
    written = {op.operands[0].id for op in operations if op.kind in IN_PLACE}
    views: dict[str, set[str]] = {name: {name} for name in written}
    changed = True
    while changed:
        changed = False
        for operation in operations:
            if operation.kind in IN_PLACE or is_fresh(operation):
                continue
            value = getattr(operation.statement, "value", None)
            sources = {n.id for n in walk(value) if isinstance(n, gast.Name)} \
                if value is not None else set()
            reached = set().union(*(views.get(n, set()) for n in sources))
            for target in targets_of(operation.statement):
                if not reached <= views.get(target, set()):
                    views.setdefault(target, set()).update(reached)
                    changed = True
    return views


def copy_relation(relation: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: set(names) for name, names in relation.items()}


def replace_relation(relation: dict[str, set[str]], by: dict[str, set[str]]) -> None:
    relation.clear()
    relation.update(by)


def join_paths(shares: dict[str, set[str]], elements: dict[str, set[str]],
               other_shares: dict[str, set[str]], other_elements: dict[str, set[str]]) -> None:
    """Where two paths meet: names share memory if they do on either path; a name holds
    an element of a list if it does on one path and on the other holds one or shares
    nothing with the list."""
    paths = ((shares, elements), (other_shares, other_elements))
    joined = {}
    for sequence in set(elements) | set(other_elements):
        held = elements.get(sequence, set()) | other_elements.get(sequence, set())
        joined[sequence] = {
            name for name in held
            if all(name in held_on.get(sequence, set()) or name not in shared.get(sequence, set())
                   for shared, held_on in paths)}
    for name, partners in other_shares.items():
        shares.setdefault(name, set()).update(partners)
    replace_relation(elements, joined)


DISPLAYS = (gast.List, gast.Tuple, gast.Set, gast.Dict)


def new_container(value: gast.AST, resolve) -> bool:
    """``list(...)`` or ``dict(...)`` of Python's own, or ``removed_entry(d, k)`` (what
    ``del d[k]`` becomes): a new list or dict."""
    return (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and any(resolve(value.func.id) is f for f in (list, dict, removed_entry)))


def entry_removed(value: gast.AST, resolve) -> str | None:
    """``d`` for ``removed_entry(d, k)``: ``del d[k]``, which Python makes in place."""
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and value.args \
            and isinstance(value.args[0], gast.Name) and \
            resolve(value.func.id) is removed_entry:
        return value.args[0].id
    return None


def array_indices(operations: Sequence[Operation]) -> set[str]:
    """The names whose every definition makes an index array or list (a display, a
    comparison, ``np.array``, ``np.arange``, ``np.argsort``, ...): indexing with one is
    NumPy's advanced indexing, which copies."""
    makes_index: dict[str, bool] = {}
    for operation in operations:
        value = getattr(operation.statement, "value", None)
        index = isinstance(value, (gast.List, gast.Compare)) or (
            operation.kind == "apply" and _is_index_maker(operation.function))
        for target in targets_of(operation.statement):
            makes_index[target] = makes_index.get(target, True) and index
    return {name for name, index in makes_index.items() if index}


def _is_index_maker(function) -> bool:
    try:
        return function in _INDEX_MAKERS
    except TypeError:  # an unhashable callable
        return False


_INDEX_MAKERS = {np.array, np.asarray, np.arange, np.argsort, np.flatnonzero, operator.lt,
                 operator.le, operator.gt, operator.ge, operator.eq, operator.ne}


def displays(core: gast.FunctionDef, resolve) -> set[str]:
    """The names (not parameters) that every assignment binds to a new dict or list, or
    to another such name read nowhere else (``xs = _t1`` after ``_t1 =
    removed_entry(xs, k)``)."""
    bindings: dict[str, list[gast.AST | None]] = {
        a.id: [None] for a in core.args.posonlyargs + core.args.args + core.args.kwonlyargs}
    simple = {id(node.targets[0]): node.value for node in walk(core)
              if isinstance(node, gast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], gast.Name)}
    for node in walk(core):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            bindings.setdefault(node.id, []).append(simple.get(id(node)))
    reads: dict[str, int] = {}
    for node in walk(core):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load):
            reads[node.id] = reads.get(node.id, 0) + 1
    names = set(bindings)
    changed = True
    while changed:
        changed = False
        for name in list(names):  # (a name copied: only a temporary read there alone)
            if not all(value is not None and (
                    isinstance(value, (gast.Dict, gast.List))
                    or new_container(value, resolve)
                    or isinstance(value, gast.Name) and value.id in names
                    and reads.get(value.id) == 1)
                    for value in bindings[name]):
                names.discard(name)
                changed = True
    return names


def shared_part(operation: Operation, value: gast.AST) -> gast.AST:
    """The part of a statement's value whose memory its result may share: the first
    argument of a helper that reads the others only for their shape and dtype."""
    if isinstance(value, gast.Call) and value.args and not value.keywords:
        try:
            if operation.function in _FIRST_ARGUMENT_ONLY:
                return value.args[0]
        except TypeError:  # an unhashable callable
            pass
    return value


def is_fresh(operation: Operation) -> bool:
    value = getattr(operation.statement, "value", None)
    if isinstance(value, FRESH_EXPRESSIONS):
        return True
    if operation.kind == "inactive" and not isinstance(value, (gast.Subscript, gast.Attribute)):
        return True
    function = operation.function
    if isinstance(function, np.ufunc) or getattr(function, "__module__", None) == "math":
        return True
    if isinstance(getattr(function, "__self__", None), np.ufunc):  # np.add.accumulate
        return True
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and (
            function is None or getattr(function, "__objclass__", None) is np.ndarray):
        return value.func.attr in _FRESH_METHODS
    try:
        return function in _FRESH_FUNCTIONS or (
            getattr(function, "__module__", "") or "").startswith("numpy.linalg")
    except TypeError:  # an unhashable callable
        return False
