"""A scalar adjoint spread over an array only where the array is needed.

The adjoint of a full reduction ``t = np.sum(x)`` is ``t_bar`` spread over ``x``'s shape
(``unreduce``). When the only use of that array multiplies it by ``x`` itself (the
adjoint of ``x = np.exp(...)``, say), or by any elementwise expression of values the
shape analysis proves to have ``x``'s shape (``conj(2 * u)`` for ``x = u ** 2``), the
scalar does the same job without the array; a unit scalar disappears. When its only use
is the adjoint of the read that made ``x = a[b]``, ``spread_at`` scatters the scalar into
``a``'s shape directly.

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("s_bar = unreduce(t_bar, x, None, False)\\n"
...                   "y_bar = s_bar * x").body
>>> print(to_source(gast.Module(body=inline_scalar_spreads(body, "unreduce"),
...                             type_ignores=[])), end="")
y_bar = t_bar * x
>>> body = gast.parse("s_bar = unreduce(1.0, x, None, False)\\n"
...                   "u_bar = s_bar * conj(2 * u)").body
>>> same = lambda a, b: {a, b} == {"x", "u"}
>>> print(to_source(gast.Module(body=inline_scalar_spreads(body, "unreduce", same, {"conj"}),
...                             type_ignores=[])), end="")
u_bar = conj(2 * u)

Read back by the adjoint of the gather that made ``x``, the spread becomes one scatter:

>>> body = gast.parse("s_bar = unreduce(-t_bar * w, x, None, False)\\n"
...                   "a_bar = getitem_adjoint(s_bar, a, (i, j))").body
>>> print(to_source(gast.Module(body=inline_scalar_spreads(
...     body, "unreduce", gather=("getitem_adjoint", lambda: "spread_at")),
...     type_ignores=[])), end="")
a_bar = spread_at(-t_bar * w, a, (i, j))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import gast

from s2sad.analyses.operations import targets_of
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import parameters, replace_node
from s2sad.runtime.core import conj, unreduce
from s2sad.runtime.indexing import getitem_adjoint
from s2sad.trees import copy_tree, walk

_BODIES = ("body", "orelse")


def inline_scalar_spreads(body: list[gast.stmt], unreduce: str,
                          same_shape: Callable[[str, str], bool] | None = None,
                          elementwise: frozenset[str] | set[str] = frozenset(),
                          gather: tuple[str, Callable[[], str]] | None = None
                          ) -> list[gast.stmt]:
    """``body`` with each ``v = unreduce(s, x, None, False)`` whose one use is ``v * e``
    (or ``e * v``) dropped, and ``s`` used there instead. ``e`` is ``x`` itself or, given
    ``same_shape(a, x)`` (whether primal variable ``a`` certainly has ``x``'s shape), an
    expression of such variables, constants, arithmetic and calls of the one-argument
    functions named in ``elementwise``. ``unreduce`` is the name the generated code calls
    the runtime helper by. Given ``gather``, the names of ``getitem_adjoint`` and a
    function binding ``spread_at``, a spread whose one use is ``getitem_adjoint(v, a, b)``
    (the adjoint of the read ``x = a[b]``) becomes ``spread_at(s, a, b)``."""
    loads = Counter(n.id for s in body for n in walk(s)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))

    def shaped_like(node: gast.expr, array: str) -> bool:
        if isinstance(node, gast.Name):
            return node.id == array or same_shape is not None and same_shape(node.id, array)
        return same_shape is not None and _elementwise_of(node, array, shaped_like,
                                                          elementwise)

    return _block(body, unreduce, loads, shaped_like, gather)


def spread_scalars_in(prepared: Prepared, reverse: list[gast.stmt]) -> list[gast.stmt]:
    """The reverse sweep ``reverse`` of ``prepared``'s adjoint with its scalar spreads
    inlined, where it calls ``unreduce`` at all (elementwise: ``conj``; gathers: the
    adjoints of reads, ``getitem_adjoint``)."""
    namespace = prepared.namespace
    spreads = namespace.bound_name(unreduce)
    if spreads is None:
        return reverse
    conj_name = namespace.bound_name(conj)
    gathers = namespace.bound_name(getitem_adjoint)
    return inline_scalar_spreads(
        reverse, spreads, _same_shape_test(prepared), {conj_name} if conj_name else set(),
        (gathers, lambda: prepared.runtime("spread_at")) if gathers else None)


def _same_shape_test(prepared: Prepared) -> Callable[[str, str], bool]:
    """Whether primal variables ``a`` and ``b``, each assigned once (or a parameter never
    assigned), certainly have one shape."""
    #: each primal variable -> the indices of the statements assigning it (-1: a
    #: parameter), made when first needed
    made: list[dict[str, list[int]]] = []

    def same_shape(a: str, b: str) -> bool:
        if not made:
            found: dict[str, list[int]] = {p: [-1] for p in parameters(prepared.core)}
            for index, operation in enumerate(prepared.operations):
                for target in targets_of(operation.statement):
                    found.setdefault(target, []).append(index)
            made.append(found)
        where_a, where_b = made[0].get(a, []), made[0].get(b, [])
        return len(where_a) == 1 and len(where_b) == 1 and prepared.shapes.same(
            (a, where_a[0]), (b, where_b[0]))

    return same_shape


def _elementwise_of(node: gast.expr, array: str, shaped_like, elementwise) -> bool:
    """Whether ``node`` is elementwise arithmetic reading at least one value of ``array``'s
    shape and otherwise only such values and constants (so it has that shape)."""
    if isinstance(node, gast.BinOp) and isinstance(node.op, _ELEMENTWISE_OPS):
        parts = [node.left, node.right]
    elif isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        parts = [node.operand]
    elif isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and \
            node.func.id in elementwise and len(node.args) == 1 and not node.keywords:
        parts = [node.args[0]]
    else:
        return False
    arrays = [p for p in parts if not _is_number(p)]
    return bool(arrays) and all(shaped_like(p, array) for p in arrays)


_ELEMENTWISE_OPS = (gast.Add, gast.Sub, gast.Mult, gast.Div)


def _is_number(node: gast.expr) -> bool:
    return isinstance(node, gast.Constant) and isinstance(node.value, (int, float)) and \
        not isinstance(node.value, bool)


def _block(body: list[gast.stmt], unreduce: str, loads: Counter,
           shaped_like, gather) -> list[gast.stmt]:
    out = list(body)
    for statement in out:
        for field in _BODIES:
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                setattr(statement, field, _block(inner, unreduce, loads, shaped_like, gather))
    i = 0
    while i < len(out):
        spread = _spread(out[i], unreduce)
        if spread is None or loads[spread[0]] != 1:
            i += 1
            continue
        name, scalar, array = spread
        atomic = isinstance(scalar, (gast.Name, gast.Constant))
        for j in range(i + 1, len(out)):
            read = _gather_use(out[j], name, gather[0]) if gather else None
            if read is not None:
                spread_at = gast.Call(func=gast.Name(id=gather[1](), ctx=gast.Load(),
                                                     annotation=None, type_comment=None),
                                      args=[scalar] + read.args[1:], keywords=[])
                out[j] = replace_node(out[j], read, spread_at)
                del out[i]
                break
            use = _product_use(out[j], name, array, shaped_like) if atomic else None
            if use is not None:
                product, side = use
                if _is_unit(scalar):  # 1.0 * e is e
                    other = product.right if side == "left" else product.left
                    out[j] = replace_node(out[j], product, other)
                else:
                    setattr(product, side, copy_tree(scalar))
                del out[i]
                break
            if _stores(out[j]) & ({name, array} | _names(scalar)) or \
                    name in _names(out[j]):
                i += 1
                break
        else:
            i += 1
    return out


def _spread(statement: gast.stmt, unreduce: str):
    """``(v, s, x)`` for ``v = unreduce(s, x, None, False)``."""
    if not (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)):
        return None
    value = statement.value
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and value.func.id == unreduce and len(value.args) == 4 and not value.keywords):
        return None
    scalar, array, axis, keepdims = value.args
    if not (isinstance(array, gast.Name) and isinstance(axis, gast.Constant)
            and axis.value is None and isinstance(keepdims, gast.Constant)
            and keepdims.value is False):
        return None
    return statement.targets[0].id, scalar, array.id


def _gather_use(statement: gast.stmt, name: str, getitem_adjoint: str) -> gast.Call | None:
    """The call ``getitem_adjoint(name, a, b)`` in ``statement``, if there is one."""
    if isinstance(statement, (gast.For, gast.While, gast.If)):
        return None
    for node in walk(statement):
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and \
                node.func.id == getitem_adjoint and len(node.args) == 3 and \
                not node.keywords and isinstance(node.args[0], gast.Name) and \
                node.args[0].id == name:
            return node
    return None


def _product_use(statement: gast.stmt, name: str, array: str, shaped_like):
    """``(product, side)`` where ``statement`` reads ``name`` as a factor of
    ``name * e`` or of ``name * c * e`` (``c`` a number), ``e`` of ``array``'s shape;
    None if it does not."""
    if isinstance(statement, (gast.For, gast.While, gast.If)):
        return None
    for node in walk(statement):
        if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mult):
            scaled = node.left
            if isinstance(scaled, gast.BinOp) and isinstance(scaled.op, gast.Mult) and \
                    isinstance(scaled.left, gast.Name) and scaled.left.id == name and \
                    _is_number(scaled.right) and shaped_like(node.right, array):
                return scaled, "left"
            for side, other in (("left", node.right), ("right", node.left)):
                this = getattr(node, side)
                if isinstance(this, gast.Name) and this.id == name and \
                        shaped_like(other, array):
                    return node, side
    return None


def _is_unit(node: gast.expr) -> bool:
    return isinstance(node, gast.Constant) and node.value == 1 and \
        type(node.value) in (int, float)


def _stores(statement: gast.stmt) -> set[str]:
    return {n.id for n in walk(statement)
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))}


def _names(node: gast.AST) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, gast.Name)}
