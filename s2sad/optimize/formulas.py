"""Formulas where shapes are known: a generic helper of a rule becomes the NumPy a person
writes, in a version specialized for arguments of known shapes (``versions.shaped``).

``shapes`` gives the shape of each name whose every definition has the same known shape
(``shape_inference.py``). A helper call is rewritten only where the ranks of its
arguments select one of its cases, and only for real values (the code of the real
version); the formula computes what the helper's case does.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.namespace import Namespace
>>> from s2sad.naming import Namer
>>> from s2sad.runtime.products import matmul_adjoint_a, matmul_adjoint_b
>>> namespace = Namespace({}, Namer(set()), set())
>>> a, b = (namespace.name_for(f, f.__name__) for f in (matmul_adjoint_a, matmul_adjoint_b))
>>> tree = gast.parse(f"def f(g, W, x):\\n    return {a}(g, W, x), {b}(g, W, x)")
>>> expand_formulas(tree.body[0], {"W": (2, 3), "x": (3,), "g": (2,)}, namespace)
True
>>> print(to_source(tree.body[0]).splitlines()[1])
    return np.outer(g, x), W.T @ g
"""

from __future__ import annotations

import gast
import numpy as np

from s2sad.namespace import Namespace
from s2sad.nodes import load
from s2sad.runtime.core import unbroadcast, unreduce, zeros_like
from s2sad.runtime.indexing import owned
from s2sad.runtime.products import (
    dot_adjoint_a,
    dot_adjoint_b,
    matmul_adjoint_a,
    matmul_adjoint_b,
)
from s2sad.runtime.reductions import mean_weights
from s2sad.trees import Transformer, walk

Shape = tuple[int, ...]


def expand_formulas(definition: gast.FunctionDef, shapes: dict[str, Shape],
                    namespace: Namespace, float64_arrays: frozenset[str] = frozenset(),
                    fill: bool = False, derivatives: dict[str, str] | None = None) -> bool:
    """Rewrite the helper calls in ``definition`` that known ``shapes`` decide (and the
    parameters known to be ``float64_arrays``); whether any was. ``fill``: a full
    reduction's adjoint that no product spreads becomes an array filled with it (once the
    optimizer has brought the products together). ``derivatives``: adjoint and tangent
    names with their variables, whose shapes they have (the rules give an adjoint its
    variable's shape, a tangent too)."""
    shapes = {**{derived: shapes[name] for derived, name in (derivatives or {}).items()
                 if name in shapes}, **shapes}
    changed = False
    for filling in (False, True) if fill else (False,):  # a product spreads it first
        expander = _Formulas(shapes, namespace, float64_arrays, filling)
        expander.visit(definition)
        changed |= expander.changed
    return _zeros_of_parameters(definition, namespace, float64_arrays) or changed


def _zeros_of_parameters(definition: gast.FunctionDef, namespace: Namespace,
                         float64_arrays: frozenset[str]) -> bool:
    """``zeros_like(x)`` of a float64 array parameter ``x`` not yet rebound (in a
    statement of the body itself, before any statement that may rebind it) is
    ``np.zeros_like(x)``; whether any was."""
    changed = False
    rebound: set[str] = set()
    for statement in definition.body:
        if isinstance(statement, (gast.Assign, gast.AugAssign, gast.Expr, gast.Return)):
            for node in walk(statement):
                if (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
                        and namespace.bindings.get(node.func.id) is zeros_like
                        and len(node.args) == 1 and not node.keywords
                        and isinstance(node.args[0], gast.Name)
                        and node.args[0].id in float64_arrays - rebound):
                    node.func = gast.Attribute(value=load(namespace.name_for(np, "np")),
                                               attr="zeros_like", ctx=gast.Load())
                    changed = True
        rebound |= {n.id for n in walk(statement)
                    if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}
    return changed


class _Formulas(Transformer):
    def __init__(self, shapes: dict[str, Shape], namespace: Namespace,
                 float64_arrays: frozenset[str], fill: bool = True) -> None:
        self.shapes = shapes
        self.fill = fill
        self.namespace = namespace
        self.float64_arrays = float64_arrays
        self.changed = False

    def visit_Call(self, node: gast.Call) -> gast.expr:
        self.generic_visit(node)
        function = self._function(node.func)
        if function is None or node.keywords:
            return node
        formula = None
        if function in (matmul_adjoint_a, dot_adjoint_a) and len(node.args) == 3:
            formula = self._product_adjoint(*node.args, first=True)
        elif function in (matmul_adjoint_b, dot_adjoint_b) and len(node.args) == 3:
            formula = self._product_adjoint(*node.args, first=False)
        elif function is unbroadcast and len(node.args) == 2:
            formula = self._unbroadcast(*node.args)
        elif function is unreduce and len(node.args) == 4 and self.fill:
            formula = self._filled(*node.args)
        elif function is owned and len(node.args) == 2 and _is_none(node.args[0]) \
                and isinstance(node.args[1], gast.Name) \
                and node.args[1].id in self.float64_arrays:  # a float array of zeros
            formula = self._numpy("zeros_like", node.args[1])
        if formula is None:
            return node
        self.changed = True
        return formula

    def visit_BinOp(self, node: gast.BinOp) -> gast.expr:
        """``unreduce(g, x, None, False) * e``, ``g`` a number and ``e`` of ``x``'s shape:
        ``g * e`` (the full reduction's adjoint spread by the product itself). Not for a
        constant ``g``: ``1.0 * k`` would simplify to ``k``, an array the code did not
        make (a gradient must never be one of the arguments)."""
        self.generic_visit(node)
        if not isinstance(node.op, (gast.Mult, gast.Div)):
            return node
        divided = self._divided_by_count(node)
        if divided is not None:
            self.changed = True
            return divided
        for side, other in (("left", node.right), ("right", node.left)):
            holder, spread = node, getattr(node, side)
            if side == "right" and isinstance(node.op, gast.Div):
                continue
            if side == "left" and isinstance(spread, gast.BinOp) and \
                    isinstance(spread.op, gast.Mult) and _is_number(spread.right):
                holder, spread = spread, spread.left  # unreduce(g, x, ...) * 2 * e
            if isinstance(spread, gast.Call) and self._function(spread.func) is unreduce \
                    and len(spread.args) == 4 and not spread.keywords \
                    and not isinstance(spread.args[0], gast.Constant) \
                    and _is_none(spread.args[2]) and _is_false(spread.args[3]) \
                    and self._expression_shape(spread.args[0]) == () \
                    and self._shape(spread.args[1]) is not None \
                    and self._expression_shape(other) == self._shape(spread.args[1]):
                setattr(holder, side, spread.args[0])
                self.changed = True
        return node

    def _divided_by_count(self, node: gast.BinOp) -> gast.expr | None:
        """``g * mean_weights(a, None)``, ``a`` of a known shape holding ``n`` elements:
        ``g / n``."""
        if not isinstance(node.op, gast.Mult):
            return None
        for weights, g in ((node.right, node.left), (node.left, node.right)):
            if isinstance(weights, gast.Call) and self._function(weights.func) is mean_weights \
                    and len(weights.args) == 2 and not weights.keywords \
                    and _is_none(weights.args[1]):
                shape = self._shape(weights.args[0])
                if shape and all(shape):
                    count = gast.Constant(value=int(np.prod(shape)), kind=None)
                    return gast.BinOp(left=g, op=gast.Div(), right=count)
        return None

    def _filled(self, g, x, axis, keepdims) -> gast.expr | None:
        """``unreduce(g, x, None, False)``, ``g`` a number and ``x`` of a known shape: an
        array of that shape filled with ``g``."""
        shape = self._shape(x)
        if not (_is_none(axis) and _is_false(keepdims)) or not shape \
                or isinstance(g, gast.Constant) or self._expression_shape(g) != ():
            return None
        size = [gast.Constant(value=n, kind=None) for n in shape]
        dimensions = size[0] if len(size) == 1 else gast.Tuple(elts=size, ctx=gast.Load())
        return self._numpy("full", dimensions, g)

    def _function(self, func: gast.expr):
        if isinstance(func, gast.Name):
            return self.namespace.bindings.get(func.id)
        return None

    def _shape(self, node: gast.expr) -> Shape | None:
        if isinstance(node, gast.Name):
            return self.shapes.get(node.id)
        if isinstance(node, gast.Constant) and type(node.value) in (int, float):
            return ()
        return None

    def _numpy(self, name: str, *args: gast.expr) -> gast.Call:
        function = gast.Attribute(value=load(self.namespace.name_for(np, "np")), attr=name,
                                  ctx=gast.Load())
        return gast.Call(func=function, args=list(args), keywords=[])

    def _product_adjoint(self, g, a, b, first: bool) -> gast.expr | None:
        """The adjoint of ``a`` (``first``) or ``b`` in ``a @ b`` (or ``np.dot``) of
        vectors and matrices."""
        a_shape, b_shape = self._shape(a), self._shape(b)
        if a_shape is None or b_shape is None:
            return None
        ranks = (len(a_shape), len(b_shape))
        if ranks == (1, 1):  # a number: each vector scaled
            return gast.BinOp(left=g, op=gast.Mult(), right=b if first else a)
        if ranks == (2, 1):  # W @ x
            return self._numpy("outer", g, b) if first else _matmul(_transposed(a), g)
        if ranks == (2, 2):  # A @ B
            return _matmul(g, _transposed(b)) if first else _matmul(_transposed(a), g)
        if ranks == (1, 2):  # x @ W
            return _matmul(b, g) if first else self._numpy("outer", a, g)
        return None

    def _unbroadcast(self, g, x) -> gast.expr | None:
        """``unbroadcast`` to a shape known: nothing, or a sum over the leading axes."""
        target, given = self._shape(x), self._expression_shape(g)
        if target is None or given is None:
            return None
        if given == target:
            return g
        lead = len(given) - len(target)
        if lead <= 0 or given[lead:] != target:
            return None
        if not target:
            return self._numpy("sum", g)
        axis = gast.Constant(value=0, kind=None) if lead == 1 else gast.Tuple(
            elts=[gast.Constant(value=i, kind=None) for i in range(lead)], ctx=gast.Load())
        summed = self._numpy("sum", g)
        summed.keywords = [gast.keyword(arg="axis", value=axis)]
        return summed

    def _expression_shape(self, node: gast.expr) -> Shape | None:
        """The shape of an elementwise expression of names of known shapes."""
        if isinstance(node, (gast.Name, gast.Constant)):
            return self._shape(node)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
            return self._expression_shape(node.operand)
        if isinstance(node, gast.BinOp) and isinstance(
                node.op, (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow)):
            left, right = self._expression_shape(node.left), self._expression_shape(node.right)
            if left is None or right is None:
                return None
            try:
                return tuple(np.broadcast_shapes(left, right))
            except ValueError:
                return None
        return None


def _is_none(node: gast.expr) -> bool:
    return isinstance(node, gast.Constant) and node.value is None


def _is_false(node: gast.expr) -> bool:
    return isinstance(node, gast.Constant) and node.value is False


def _transposed(node: gast.expr) -> gast.expr:
    return gast.Attribute(value=node, attr="T", ctx=gast.Load())


def _matmul(left: gast.expr, right: gast.expr) -> gast.expr:
    return gast.BinOp(left=left, op=gast.MatMult(), right=right)


def _is_number(node: gast.expr) -> bool:
    return isinstance(node, gast.Constant) and type(node.value) in (int, float)
