"""Vector forward mode: the tangent code carrying K directions at once.

``f(x)`` becomes ``f_tangents(x, x_dot) -> (y, y_dot)`` where ``x_dot`` has shape
``(K,) + x.shape`` and ``y_dot`` has shape ``(K,) + y.shape``: one pass of vectorized NumPy
instead of K tangent sweeps (``jacfwd`` seeds it with the identity). The statements are
those of the forward transform; what changes is each rule's term:

- elementwise rules (ufuncs, arithmetic, ``math``, ``where``, ``clip``) apply to batched
  tangents as they are, once a tangent has the result's number of axes (``align``) and the
  term is widened to the result's batched shape (``fit``);
- indexing, reshapes, transposes, ``sum``/``mean`` and matrix products have batched forms
  (``s2sad/runtime/batched.py``);
- any other rule runs once per direction, the K results stacked.

>>> import numpy as np, s2sad
>>> def f(W, x):
...     return np.tanh(W @ x)
>>> print(s2sad.source(f, mode="vector", wrt=1))
def f_tangents(W, x, x_dot):
    _t1 = W @ x
    _t1_dot = batch_matmul(W, x_dot, False, True, False)
    _y = np.tanh(_t1)
    _y_dot = (1 - _y ** 2) * _t1_dot
    return _y, _y_dot
<BLANKLINE>
"""

from __future__ import annotations

import math
import operator

import gast
import numpy as np

from s2sad.analyses.operations import NUMPY_MARKER, Operation
from s2sad.nodes import assign, call, load, store
from s2sad.runtime.reductions import total
from s2sad.transforms.forward import ForwardTransform
from s2sad.trees import copy_tree, walk

_ARITHMETIC = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
               operator.neg, operator.pos, abs, np.where, np.clip}
_MATH_OF_SEQUENCES = {math.fsum, math.prod, math.dist, getattr(math, "sumprod", math.fsum)}
#: pure reshapes in C order: the tangent is reshaped to the result's batched shape
_RESHAPES = {np.reshape: "a", np.ndarray.reshape: "self", np.ravel: "a",
             np.ndarray.ravel: "self", np.ndarray.flatten: "self", np.squeeze: "a",
             np.expand_dims: "a"}
_REDUCTIONS = {np.sum: ("a", np.sum), np.ndarray.sum: ("self", np.sum), total: ("a", np.sum),
               np.mean: ("a", np.mean), np.ndarray.mean: ("self", np.mean)}
_PRODUCTS = {operator.matmul: ("a", "b", False), np.matmul: ("a", "b", False),
             np.dot: ("a", "b", True), np.ndarray.dot: ("self", "other", True)}


def elementwise(function: object) -> bool:
    """Whether ``function``'s rules are elementwise (with broadcasting)."""
    if isinstance(function, np.ufunc):
        return function.nout == 1
    if function in _ARITHMETIC:
        return True
    return getattr(function, "__module__", None) == "math" and \
        function not in _MATH_OF_SEQUENCES


class VectorForwardTransform(ForwardTransform):
    """The forward transform with batched tangents."""

    def __init__(self, prepared) -> None:
        super().__init__(prepared)
        self.k = prepared.namer.fresh("_directions")
        #: the variable of every per-direction comprehension (each has its own scope)
        self._direction: str | None = None

    def function(self, name: str) -> gast.FunctionDef:
        definition = super().function(name)
        if any(isinstance(n, gast.Name) and n.id == self.k for n in walk(definition)):
            first = definition.extra_parameters[0]  # K: the batch axis of a tangent
            definition.body.insert(0, assign(self.k, call(self.p.runtime("directions"),
                                                          load(first))))
        return definition

    def _helper(self, name: str, *args: gast.expr) -> gast.Call:
        return call(self.p.runtime(name), *args)

    def zeros(self, value: gast.expr) -> gast.expr:
        return self._helper("batch_zeros", load(self.k), value)

    def _zero(self, value: gast.expr | None, name: str) -> gast.expr:
        return self.zeros(load(name))  # a number's zero too: it carries K directions

    def owned(self, tangent: gast.expr, name: str) -> gast.expr:
        return self._helper("batch_owned", tangent, load(name), load(self.k))

    # -- statements the forward transform writes, batched -----------------------------
    def _write_tangent(self, operation: Operation, name: str) -> list[gast.stmt]:
        """``x[i] = v``: ``batch_setitem(x_dot, i, v_dot)``."""
        block, tangent = self._in_place_tangent(operation, name, "zeros_like")
        if block is None:
            return []
        index = copy_tree(operation.statement.targets[0].slice)
        if any(isinstance(n, gast.Slice) for n in walk(index)):  # x[:, j]: np.s_[:, j]
            numpy = load(self.p.namespace.name_for(np, "np"))
            index = gast.Subscript(value=gast.Attribute(value=numpy, attr="s_",
                                                        ctx=gast.Load()),
                                   slice=index, ctx=gast.Load())
        value = tangent if tangent is not None else gast.Constant(value=0.0, kind=None)
        return block + [gast.Expr(value=self._helper("batch_setitem", load(self.dot(name)),
                                                     index, value))]

    def _accumulate_tangent(self, operation: Operation, name: str) -> list[gast.stmt]:
        """``accumulate_at(a_bar, b, g)``: ``batch_accumulate_at(a_bar_dot, b, g_dot)``."""
        block = super()._accumulate_tangent(operation, name)
        for statement in block:
            if isinstance(statement, gast.Expr):
                statement.value.func = load(self.p.runtime("batch_accumulate_at"))
        return block

    call_mode = "vector"

    def _contribution(self, index: int, operation: Operation, targets: list[str]):
        value = super()._contribution(index, operation, targets)
        if operation.kind == "unpack" and value is not None:
            return self._helper("batch_items", value)
        return value

    # -- the terms of the rules --------------------------------------------------------
    def _term(self, index: int, operation: Operation, param: str, tangent: gast.expr,
              ans: gast.expr) -> gast.expr:
        function = operation.function
        atom = operation.arguments[param]
        if operation.kind == "apply" and elementwise(function):
            if self._made_sequence(atom) and not (operation.rules is not None
                                                  and operation.rules.variadic(param)):
                # NumPy reads a list as an array (not math.hypot(*coordinates) its own)
                tangent = self._helper("stacked", tangent, copy_tree(atom))
            same = param in self.p.same_shape(index, operation)
            if not same:
                tangent = self._helper("align", tangent, copy_tree(atom),
                                       copy_tree(ans))
            term = self._batched_broadcasts(
                super()._term(index, operation, param, tangent, ans))
            return term if same else self._helper("fit", term, copy_tree(ans),
                                                  load(self.k))
        structural = self._structural(operation, param, tangent, ans)
        if structural is not None:
            return structural
        return self._per_direction(index, operation, param, tangent, ans)

    def _made_sequence(self, atom: gast.expr) -> bool:
        """Whether ``atom`` is a list or tuple the code made (an argument given as a list
        has tangents of the list's structure, which its rules read as they are)."""
        kinds = self.p.kinds
        if isinstance(atom, (gast.List, gast.Tuple)):
            return True
        return kinds is not None and kinds.of(atom) in ("list", "tuple")

    def _batched_broadcasts(self, term: gast.expr) -> gast.expr:
        """``broadcast_like(v, ans)`` in a rule, made batched."""
        plain = self.p.runtime("broadcast_like")
        for node in walk(term):
            if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
                    and node.func.id == plain:
                node.func = load(self.p.runtime("batch_broadcast_like"))
        return term

    def _structural(self, operation: Operation, param: str, tangent: gast.expr,
                    ans: gast.expr) -> gast.expr | None:
        """The batched form of a structural rule, or None."""
        function, arguments = operation.function, operation.arguments
        if operation.kind != "apply":
            return None
        try:
            hash(function)
        except TypeError:
            return None

        def argument(name: str) -> gast.expr:
            node = copy_tree(arguments[name])
            for part in walk(node):  # np.s_[...]: through the generated code's np
                if isinstance(part, gast.Name) and part.id == NUMPY_MARKER:
                    part.id = self.p.namespace.name_for(np, "np")
            return node

        if function is operator.getitem and param == "a":
            return self._helper("batch_getitem", tangent, argument("b"))
        if _RESHAPES.get(function) == param and "order" not in arguments:
            return self._helper("batch_reshape", tangent, copy_tree(ans))
        if function is np.ndarray.T:
            return self._helper("batch_transpose", tangent)
        if function in _REDUCTIONS and _REDUCTIONS[function][0] == param and \
                set(arguments) <= {param, "axis", "keepdims"}:
            reduction = _REDUCTIONS[function][1]
            options = [gast.keyword(arg=k, value=argument(k)) for k in ("axis", "keepdims")
                       if k in arguments]
            helper = self._helper("batch_reduce", load(self.p.namespace.name_for(
                reduction, reduction.__name__)), tangent, argument(param))
            helper.keywords = options
            return helper
        if function in _PRODUCTS and "out" not in arguments:
            left, right, dot = _PRODUCTS[function]
            first = param == left
            operands = [tangent, argument(right)] if first else [argument(left), tangent]
            flags = [gast.Constant(value=v, kind=None) for v in (first, not first, dot)]
            return self._helper("batch_matmul", *operands, *flags)
        return None

    def _per_direction(self, index: int, operation: Operation, param: str,
                       tangent: gast.expr, ans: gast.expr) -> gast.expr:
        """``stack_directions([<the rule's term> for d in split_directions(tangent)])``."""
        if self._direction is None:
            self._direction = self.p.namer.fresh("_direction")
        direction = self._direction
        term = super()._term(index, operation, param, load(direction), ans)
        loop = gast.comprehension(target=store(direction),
                                  iter=self._helper("split_directions", tangent), ifs=[],
                                  is_async=0)
        return self._helper("stack_directions", gast.ListComp(elt=term, generators=[loop]))
