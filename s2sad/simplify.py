"""Algebraic simplification of one expression: constant folding and neutral elements.

Used on every inlined rule template, so derivative code reads like hand-written code.
Multiplying by zero is never folded away: ``0 * x`` has ``x``'s shape.

>>> import gast
>>> from s2sad.emit import to_source
>>> def show(text):
...     return to_source(gast.Expr(value=simplify(gast.parse(text).body[0].value))).strip()
>>> show("g * 2 * x ** (2 - 1)")
'g * 2 * x'
>>> show("g if None is None else np.expand_dims(g, None)")
'g'
>>> show("1.0 * (g * 1)")
'g'
>>> show("-np.cos(x) + y")  # the same bits: a - b is a + (-b), and + commutes
'y - np.cos(x)'
>>> show("-(-g * a / b)"), show("g * x + g * x")  # exact: a sign, a doubling
('g * a / b', '2 * (g * x)')
"""

from __future__ import annotations

import operator

import gast

from s2sad.trees import Transformer, copy_tree

_FOLDABLE = {
    gast.Add: operator.add,
    gast.Sub: operator.sub,
    gast.Mult: operator.mul,
    gast.Div: operator.truediv,
    gast.Pow: operator.pow,
    gast.FloorDiv: operator.floordiv,
}
_NUMBER = (int, float)


def _number(node: gast.AST) -> bool:
    return (
        isinstance(node, gast.Constant)
        and isinstance(node.value, _NUMBER)
        and not isinstance(node.value, bool)
    )


def _is(node: gast.AST, value: float) -> bool:
    return _number(node) and node.value == value


class _Simplifier(Transformer):
    def __init__(self, reassociate: bool = False) -> None:
        self.changed = False
        self.reassociate = reassociate

    def visit(self, node: gast.AST) -> gast.AST:
        result = super().visit(node)
        self.changed |= result is not node
        return result

    def visit_BinOp(self, node: gast.BinOp) -> gast.expr:
        if isinstance(node.op, gast.Mult) and isinstance(node.left, gast.BinOp):
            node.left.leads_a_product = True
        self.generic_visit(node)
        left, right, op = node.left, node.right, type(node.op)
        if _number(left) and _number(right) and op in _FOLDABLE:
            try:
                value = _FOLDABLE[op](left.value, right.value)
            except (ArithmeticError, ValueError):
                return node
            if isinstance(value, _NUMBER) and abs(value) < 1e15:
                return gast.Constant(value=value, kind=None)
        if _boolean(left) or _boolean(right):  # 1 * (x > 0) is an int, (x > 0) a bool
            return node
        if op is gast.Mult:
            if _is(right, 1):
                return left
            if _is(left, 1):
                return right
            if _is(right, -1):
                return gast.UnaryOp(op=gast.USub(), operand=left)
            if _is(left, -1):
                return gast.UnaryOp(op=gast.USub(), operand=right)
        if op in (gast.Div, gast.Pow) and _is(right, 1):
            return left
        if op in (gast.Add, gast.Sub) and _is(right, 0):
            return left
        if op is gast.Add and _is(left, 0):
            return right
        if op is gast.Sub and isinstance(right, gast.UnaryOp) and isinstance(right.op, gast.USub):
            return gast.BinOp(left=left, op=gast.Add(), right=right.operand)
        if op is gast.Add and isinstance(right, gast.UnaryOp) and isinstance(right.op, gast.USub):
            return gast.BinOp(left=left, op=gast.Sub(), right=right.operand)
        if op is gast.Add and isinstance(left, gast.UnaryOp) and isinstance(left.op, gast.USub):
            return gast.BinOp(left=right, op=gast.Sub(), right=left.operand)  # -b + a: a - b
        if op is gast.Add:  # a + -b * c is a - b * c, -b * c + a is a - b * c: exact
            unsigned = _without_leading_minus(right)
            if unsigned is not None:
                return gast.BinOp(left=left, op=gast.Sub(), right=unsigned)
            unsigned = _without_leading_minus(left)
            if unsigned is not None:
                return gast.BinOp(left=right, op=gast.Sub(), right=unsigned)
        if (self.reassociate and op is gast.Mult and _number(right) and _single(left)
                and not getattr(node, "leads_a_product", False)):
            return gast.BinOp(left=right, op=gast.Mult(), right=left)  # x * 0.9: 0.9 * x
        if (self.reassociate and op is gast.Mult and isinstance(node.right, gast.BinOp)
                and isinstance(node.right.op, gast.Mult) and _number(node.right.left)):
            # g * (2 * h) is g * 2 * h, as the product is written by hand
            return gast.BinOp(left=gast.BinOp(left=left, op=gast.Mult(), right=right.left),
                              op=gast.Mult(), right=right.right)
        if (self.reassociate and op in (gast.Add, gast.Sub) and isinstance(right, gast.BinOp)
                and isinstance(right.op, (gast.Add, gast.Sub)) and not _number(left)):
            # a + (b + c) is a + b + c and a - (b + c) a - b - c: a sum read left to right
            inner = gast.BinOp(left=left, op=node.op, right=right.left)
            outer = right.op if op is gast.Add else (
                gast.Sub() if isinstance(right.op, gast.Add) else gast.Add())
            return gast.BinOp(left=inner, op=outer, right=right.right)
        if op is gast.Add and _plain(left) and gast.dump(left) == gast.dump(right):
            # e + e is 2 * e exactly (doubling rounds nothing)
            return gast.BinOp(left=gast.Constant(value=2, kind=None), op=gast.Mult(),
                              right=left)
        return node

    def visit_UnaryOp(self, node: gast.UnaryOp) -> gast.expr:
        self.generic_visit(node)
        operand = node.operand
        if isinstance(node.op, gast.USub):
            if _number(operand):
                return gast.Constant(value=-operand.value, kind=None)
            if isinstance(operand, gast.UnaryOp) and isinstance(operand.op, gast.USub):
                return operand.operand
            unsigned = _without_leading_minus(operand)
            if unsigned is not None:  # -(-a * b / c) is a * b / c: the sign is exact
                return unsigned
        if isinstance(node.op, gast.Not):
            value = _static(operand)
            if value is not _UNKNOWN:
                return gast.Constant(value=not value, kind=None)
        return node

    def visit_IfExp(self, node: gast.IfExp) -> gast.expr:
        self.generic_visit(node)
        value = _static(node.test)
        if value is _UNKNOWN:
            return node
        return node.body if value else node.orelse

    def visit_Compare(self, node: gast.Compare) -> gast.expr:
        self.generic_visit(node)
        value = _static(node)
        if value is _UNKNOWN:
            return node
        return gast.Constant(value=value, kind=None)

    def visit_BoolOp(self, node: gast.BoolOp) -> gast.expr:
        self.generic_visit(node)
        value = _static(node)
        if value is _UNKNOWN:
            return node
        return gast.Constant(value=value, kind=None)


def _boolean(node: gast.expr) -> bool:
    """Whether ``node`` computes a boolean, which arithmetic turns into a number."""
    return isinstance(node, (gast.Compare, gast.BoolOp)) or (
        isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not))


def _without_leading_minus(node: gast.expr) -> gast.expr | None:
    """A product or quotient ``-a * b / c`` as ``a * b / c``; None if it is not one."""
    if not (isinstance(node, gast.BinOp) and isinstance(node.op, (gast.Mult, gast.Div))):
        return None
    left = node.left
    if isinstance(left, gast.UnaryOp) and isinstance(left.op, gast.USub):
        return gast.BinOp(left=left.operand, op=node.op, right=node.right)
    inner = _without_leading_minus(left)
    return None if inner is None else gast.BinOp(left=inner, op=node.op, right=node.right)


def _single(node: gast.expr) -> bool:
    """Whether ``node`` reads as one factor: a name, an element, an attribute, a call."""
    return isinstance(node, (gast.Name, gast.Subscript, gast.Attribute, gast.Call))


def _plain(node: gast.expr) -> bool:
    """Whether evaluating ``node`` twice gives the same value and does nothing else:
    names, numbers, attributes and arithmetic of them."""
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    if isinstance(node, gast.Attribute):
        return _plain(node.value)
    if isinstance(node, gast.UnaryOp):
        return _plain(node.operand)
    if isinstance(node, gast.BinOp):
        return _plain(node.left) and _plain(node.right)
    return False


_UNKNOWN = object()
_COMPARE = {
    gast.Is: operator.is_,
    gast.IsNot: operator.is_not,
    gast.Eq: operator.eq,
    gast.NotEq: operator.ne,
    gast.Lt: operator.lt,
    gast.LtE: operator.le,
    gast.Gt: operator.gt,
    gast.GtE: operator.ge,
}


def _static(node: gast.AST):
    """The value of a test made only of literal constants, else ``_UNKNOWN``."""
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, gast.Tuple):
        values = tuple(_static(e) for e in node.elts)
        return _UNKNOWN if any(v is _UNKNOWN for v in values) else values
    if isinstance(node, gast.Compare) and len(node.ops) == 1:
        left, right = _static(node.left), _static(node.comparators[0])
        op = _COMPARE.get(type(node.ops[0]))
        if left is _UNKNOWN or right is _UNKNOWN or op is None:
            return _UNKNOWN
        singletons = (None, True, False)
        if op in (operator.is_, operator.is_not) and not (
            any(left is v for v in singletons) or any(right is v for v in singletons)
        ):
            return _UNKNOWN  # identity of other literals is an implementation detail
        return op(left, right)
    if isinstance(node, gast.BoolOp):
        values = [_static(v) for v in node.values]
        if any(v is _UNKNOWN for v in values):
            return _UNKNOWN
        # the operand that decides, as Python's and/or give it (``0 or 5`` is 5, not True)
        wanted = not isinstance(node.op, gast.And)
        return next((v for v in values[:-1] if bool(v) is wanted), values[-1])
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not):
        value = _static(node.operand)
        return _UNKNOWN if value is _UNKNOWN else not value
    return _UNKNOWN


def simplify(node: gast.expr, reassociate: bool = False) -> gast.expr:
    """``node`` simplified. ``reassociate``, for a derivative as a rule or a transform makes
    it (never for what the user wrote, nor in the optimizer, which keeps every bit): a
    product or a sum is also written as a person writes it, ``x * 0.9`` as ``0.9 * x``,
    ``g * (2 * h)`` as ``g * 2 * h``, ``a + (b + c)`` as ``a + b + c``."""
    return _Simplifier(reassociate).visit(node)


def simplified(node: gast.expr) -> gast.expr | None:
    """``simplify`` of a copy of ``node``, or None when no rule applies."""
    simplifier = _Simplifier()
    result = simplifier.visit(copy_tree(node))
    return result if simplifier.changed else None
