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

from collections.abc import Callable
from typing import Any

import gast
import numpy as np

from s2sad.nodes import load
from s2sad.optimize.fusion import CoreNames, Fusion, binary, is_constant, is_name, target
from s2sad.runtime.pairwise import pairwise_sq_distances, self_sq_distances

__all__ = ["fuse_pairwise_distances"]


def fuse_pairwise_distances(core: gast.FunctionDef, resolve: Callable[[str], Any],
                            name_for: Callable[[Any], str], names: CoreNames | None = None) -> bool:
    """Rewrite every fusable pattern of ``core`` in place; whether anything changed.
    ``resolve`` gives the object a global name holds (to recognise ``np.sum``);
    ``name_for`` the name under which the code calls a fused function."""
    return PairwiseDistances(core, resolve, name_for, names).run()


class PairwiseDistances(Fusion):
    size = 5

    def match(self, window: list[gast.Assign]) -> gast.Assign | None:
        first, second, difference, square, total = window
        spreads = {}
        for statement in (first, second):
            side = _spread(statement.value)
            if side is None or side[0] in spreads:
                return None
            spreads[side[0]] = (target(statement), side[1])
        if set(spreads) != {"rows", "columns"}:
            return None
        (left, a), (right, b) = spreads["rows"], spreads["columns"]
        if a in (left, right) or b in (left, right):  # a spread that reads the other
            return None
        diff, squared = target(difference), target(square)
        operands = binary(difference.value, gast.Sub)
        if operands is None or not (is_name(operands[0], left) and is_name(operands[1], right)):
            return None
        if not self.squares(square.value, diff) or not self.last_axis_sum(total.value, squared):
            return None
        once = {left: 1, right: 1, diff: 2 if _self_product(square.value) else 1, squared: 1}
        if not self.read_only_by_the_idiom(once) or \
                len({left, right, diff, squared, target(total)}) < 5:
            return None
        if a == b:
            return self.fused(total, self_sq_distances, [load(a)])
        return self.fused(total, pairwise_sq_distances, [load(a), load(b)])

    def squares(self, value: gast.expr, diff: str) -> bool:
        power = binary(value, gast.Pow)
        if power is not None:
            return is_name(power[0], diff) and is_constant(power[1], 2)
        if _self_product(value):
            return is_name(value.left, diff)
        call = self.numpy_call(value, np.square)
        return call is not None and call[0] == diff and not call[1] and not call[2]

    def last_axis_sum(self, value: gast.expr, squared: str) -> bool:
        """Whether ``value`` is ``np.sum(squared, axis=-1)`` or ``squared.sum(-1)``."""
        call = self.numpy_call(value, np.sum, "sum")
        if call is None or call[0] != squared:
            return False
        _, arguments, keywords = call
        if len(arguments) + len(keywords) != 1 or set(keywords) - {"axis"}:
            return False
        return is_constant(arguments[0] if arguments else keywords["axis"], -1)


def _spread(value: gast.expr) -> tuple[str, str] | None:
    """``("rows", "a")`` for ``a[:, None, :]``, ``("columns", "b")`` for ``b[None, :, :]``."""
    if not (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
            and isinstance(value.slice, gast.Tuple) and len(value.slice.elts) == 3):
        return None
    kinds = ["none" if is_constant(e, None) else "all" if _is_full_slice(e) else "other"
             for e in value.slice.elts]
    if kinds == ["all", "none", "all"]:
        return "rows", value.value.id
    if kinds == ["none", "all", "all"]:
        return "columns", value.value.id
    return None


def _is_full_slice(node: gast.expr) -> bool:
    return isinstance(node, gast.Slice) and node.lower is None and node.upper is None \
        and node.step is None


def _self_product(value: gast.expr) -> bool:
    product = binary(value, gast.Mult)
    return product is not None and isinstance(product[0], gast.Name) and \
        is_name(product[1], product[0].id)
