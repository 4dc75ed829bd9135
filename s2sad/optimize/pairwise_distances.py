"""Fuse pairwise squared distances written by broadcasting into one call.

``np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)`` is how NumPy code spells the
squared distances between the rows of ``a`` and those of ``b``. Differentiated as written,
each sweep builds ``n x m x d`` arrays several times; fused into
``pairwise_sq_distances(a, b)`` (``self_sq_distances(a)`` when ``b`` is ``a``), the value
is the same to the last bit and the derivatives are matrix products
(``s2sad/runtime/pairwise.py``).

The pass runs on the core (after ``normalize``) and rewrites five consecutive statements of
one block: the two spreads (either order), their difference, its square (``** 2``,
``np.square`` or a product with itself) and the sum over the last axis (``np.sum`` or the
method, ``axis=-1``). Every intermediate must be read once, by the next step, so
nothing else sees it disappear.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer, names_in
>>> from s2sad.normalize import Normalizer
>>> tree = gast.parse('''
... def stress(W, D):
...     diff = W[:, None, :] - W[None, :, :]
...     d2 = np.sum(diff ** 2, axis=-1)
...     return np.sum((d2 - D) ** 2)''')
>>> core = Normalizer(Namer(names_in(tree))).function(tree.body[0])
>>> fuse_pairwise_distances(core, lambda name: np, lambda function: function.__name__)
True
>>> print(to_source(core), end="")
def stress(W, D):
    d2 = self_sq_distances(W)
    _t4 = d2 - D
    _t5 = _t4 ** 2
    _y = np.sum(_t5)
    return _y
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import gast
import numpy as np

from s2sad.normalize import COMPOUND, local_names
from s2sad.runtime.pairwise import pairwise_sq_distances, self_sq_distances

__all__ = ["fuse_pairwise_distances"]


def fuse_pairwise_distances(core: gast.FunctionDef, resolve: Callable[[str], Any],
                            name_for: Callable[[Any], str]) -> bool:
    """Rewrite every fusable pattern of ``core`` in place; whether anything changed.
    ``resolve`` gives the object a global name holds (to recognise ``np.sum``);
    ``name_for`` the name under which the code calls a fused function."""
    reads = Counter(n.id for n in gast.walk(core)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))
    return _Fusion(resolve, name_for, reads, local_names(core)).block(core.body)


class _Fusion:
    def __init__(self, resolve, names, reads, locals_) -> None:
        self.resolve = resolve
        self.names = names
        self.reads = reads
        self.locals = locals_

    def block(self, body: list[gast.stmt]) -> bool:
        changed = False
        for statement in body:
            if isinstance(statement, COMPOUND):
                changed |= self.block(statement.body)
                changed |= self.block(getattr(statement, "orelse", []))
        start = 0
        while start + 5 <= len(body):
            fused = self.match(body[start:start + 5])
            if fused is None:
                start += 1
                continue
            body[start:start + 5] = [fused]
            changed = True
        return changed

    def match(self, window: list[gast.stmt]) -> gast.Assign | None:
        if not all(isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)
                   for s in window):
            return None
        first, second, difference, square, total = window
        spreads = {}
        for statement in (first, second):
            side = _spread(statement.value)
            if side is None or side[0] in spreads:
                return None
            spreads[side[0]] = (statement.targets[0].id, side[1])
        if set(spreads) != {"rows", "columns"}:
            return None
        (left, a), (right, b) = spreads["rows"], spreads["columns"]
        if a in (left, right) or b in (left, right):  # a spread that reads the other
            return None
        diff = _target(difference)
        value = difference.value
        if not (isinstance(value, gast.BinOp) and isinstance(value.op, gast.Sub)
                and _is_name(value.left, left) and _is_name(value.right, right)):
            return None
        squared = _target(square)
        if not self.squares(square.value, diff):
            return None
        if not self.last_axis_sum(total.value, squared):
            return None
        once = {left: 1, right: 1, diff: 2 if _self_product(square.value) else 1,
                squared: 1}
        if any(self.reads[name] != count for name, count in once.items()):
            return None
        if len({left, right, diff, squared, _target(total)}) < 5:
            return None
        if a == b:
            call = _call(self.names(self_sq_distances), [a])
        else:
            call = _call(self.names(pairwise_sq_distances), [a, b])
        fused = gast.Assign(targets=[total.targets[0]], value=call, type_comment=None)
        gast.copy_location(fused, total)
        if hasattr(total, "origin"):  # it stands for the user's statement of the sum
            fused.origin = total.origin
        return fused

    def squares(self, value: gast.expr, diff: str) -> bool:
        if isinstance(value, gast.BinOp) and isinstance(value.op, gast.Pow):
            return _is_name(value.left, diff) and _is_constant(value.right, 2)
        if _self_product(value):
            return _is_name(value.left, diff)
        return (isinstance(value, gast.Call) and self.function(value.func) is np.square
                and len(value.args) == 1 and not value.keywords
                and _is_name(value.args[0], diff))

    def last_axis_sum(self, value: gast.expr, squared: str) -> bool:
        """Whether ``value`` is ``np.sum(squared, axis=-1)`` or ``squared.sum(-1)``."""
        if not isinstance(value, gast.Call):
            return False
        func = value.func
        if isinstance(func, gast.Attribute) and _is_name(func.value, squared) and \
                func.attr == "sum":
            arguments = list(value.args)
        elif self.function(func) is np.sum and value.args and \
                _is_name(value.args[0], squared):
            arguments = list(value.args[1:])
        else:
            return False
        keywords = {k.arg: k.value for k in value.keywords}
        if len(arguments) > 1 or set(keywords) - {"axis"} or len(arguments) + len(keywords) != 1:
            return False
        return _is_constant(arguments[0] if arguments else keywords["axis"], -1)

    def function(self, func: gast.expr) -> Any:
        """The object an attribute chain of a global (``np.sum``) names, or None."""
        chain = []
        while isinstance(func, gast.Attribute):
            chain.append(func.attr)
            func = func.value
        if not isinstance(func, gast.Name) or func.id in self.locals:
            return None
        value = self.resolve(func.id)
        for attr in reversed(chain):
            value = getattr(value, attr, None)
        return value


def _spread(value: gast.expr) -> tuple[str, str] | None:
    """``("rows", "a")`` for ``a[:, None, :]``, ``("columns", "b")`` for ``b[None, :, :]``."""
    if not (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
            and isinstance(value.slice, gast.Tuple) and len(value.slice.elts) == 3):
        return None
    kinds = ["none" if _is_constant(e, None) else "all" if _is_full_slice(e) else "other"
             for e in value.slice.elts]
    if kinds == ["all", "none", "all"]:
        return "rows", value.value.id
    if kinds == ["none", "all", "all"]:
        return "columns", value.value.id
    return None


def _is_full_slice(node: gast.expr) -> bool:
    return isinstance(node, gast.Slice) and node.lower is None and node.upper is None \
        and node.step is None


def _is_constant(node: gast.expr, value: Any) -> bool:
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and \
            isinstance(value, int) and not isinstance(value, bool):
        return _is_constant(node.operand, -value)
    return isinstance(node, gast.Constant) and type(node.value) is type(value) and \
        node.value == value


def _is_name(node: gast.expr, name: str) -> bool:
    return isinstance(node, gast.Name) and node.id == name


def _self_product(value: gast.expr) -> bool:
    return isinstance(value, gast.BinOp) and isinstance(value.op, gast.Mult) and \
        isinstance(value.left, gast.Name) and _is_name(value.right, value.left.id)


def _target(statement: gast.Assign) -> str:
    return statement.targets[0].id


def _call(function: str, arguments: list[str]) -> gast.Call:
    args = [gast.Name(id=a, ctx=gast.Load(), annotation=None, type_comment=None)
            for a in arguments]
    func = gast.Name(id=function, ctx=gast.Load(), annotation=None, type_comment=None)
    return gast.Call(func=func, args=args, keywords=[])
