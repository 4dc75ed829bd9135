"""Emitted source means what its tree means: parentheses follow precedence whatever the
tree (a negative constant as the base of a power, a folded constant anywhere), and every
constant the simplifier folds keeps its value."""

import ast
import math

import gast
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s2sad.emit import to_ast, to_source
from s2sad.simplify import simplify

ENVIRONMENT = {"a": 1.5, "b": -0.75, "c": 2.0, "n": 3, "p": True, "q": False}


def _tree_value(tree: gast.expr):
    """The value of a gast expression compiled from the tree itself, never from text."""
    expression = ast.fix_missing_locations(ast.Expression(body=to_ast(tree)))
    return eval(compile(expression, "<tree>", "eval"), {}, dict(ENVIRONMENT))


def _text(tree: gast.expr) -> str:
    return to_source(gast.Expr(value=tree)).strip()


def _outcome(compute):
    """A value, or the type of the exception computing it raised."""
    try:
        return ("value", compute())
    except (ArithmeticError, TypeError, ValueError) as error:
        return ("raises", type(error))


def _same(first, second) -> bool:
    if first[0] != second[0]:
        return False
    x, y = first[1], second[1]
    if first[0] == "raises":
        return x is y
    if isinstance(x, float) and isinstance(y, float):
        return x == y and math.copysign(1, x) == math.copysign(1, y) or (x != x and y != y)
    if isinstance(x, complex) and isinstance(y, complex):
        return (x == y) or (x != x and y != y) or (
            _same(("value", x.real), ("value", y.real))
            and _same(("value", x.imag), ("value", y.imag)))
    return type(x) is type(y) and x == y


def _constant(value):
    return gast.Constant(value=value, kind=None)


def _name(identifier):
    return gast.Name(id=identifier, ctx=gast.Load(), annotation=None, type_comment=None)


_BINARY = [gast.Add, gast.Sub, gast.Mult, gast.Div, gast.FloorDiv, gast.Mod, gast.Pow]
_UNARY = [gast.USub, gast.UAdd, gast.Not]
_COMPARE = [gast.Lt, gast.LtE, gast.Gt, gast.GtE, gast.Eq, gast.NotEq]

leaves = st.one_of(
    st.sampled_from([-2.0, -0.5, -0.0, 0.0, 0.5, 1.0, 3.0, -3, -1, 0, 2, 5]).map(_constant),
    st.sampled_from(sorted(ENVIRONMENT)).map(_name),
)


def _grow(children):
    binary = st.builds(lambda op, l, r: gast.BinOp(left=l, op=op(), right=r),
                       st.sampled_from(_BINARY), children, children)
    unary = st.builds(lambda op, v: gast.UnaryOp(op=op(), operand=v),
                      st.sampled_from(_UNARY), children)
    compare = st.builds(
        lambda ops, operands: gast.Compare(left=operands[0], ops=[o() for o in ops],
                                           comparators=operands[1:len(ops) + 1]),
        st.lists(st.sampled_from(_COMPARE), min_size=1, max_size=2),
        st.lists(children, min_size=3, max_size=3))
    boolean = st.builds(lambda op, values: gast.BoolOp(op=op(), values=values),
                        st.sampled_from([gast.And, gast.Or]),
                        st.lists(children, min_size=2, max_size=3))
    conditional = st.builds(lambda t, b, o: gast.IfExp(test=t, body=b, orelse=o),
                            children, children, children)
    return st.one_of(binary, binary, unary, compare, boolean, conditional)


expressions = st.recursive(leaves, _grow, max_leaves=8)


def _bounded(tree) -> bool:
    """No power of a power of a power (integer towers can take very long)."""
    def depth(node):
        own = isinstance(node, gast.BinOp) and isinstance(node.op, gast.Pow)
        inner = max((depth(c) for c in gast.iter_child_nodes(node)), default=0)
        return inner + own
    return depth(tree) <= 2


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_emitted_text_evaluates_to_the_value_of_its_tree(tree):
    if not _bounded(tree):
        return
    text = _text(tree)
    from_text = _outcome(lambda: eval(text, {}, dict(ENVIRONMENT)))
    from_tree = _outcome(lambda: _tree_value(tree))
    assert _same(from_text, from_tree), text


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_simplified_expressions_keep_their_value(tree):
    """Constant folding and neutral elements, then emission: the value of the original tree
    (the simplifier's rules may turn ``x * 1`` into ``x``, so an int stays an int only where
    the original was one)."""
    if not _bounded(tree):
        return
    original = _outcome(lambda: _tree_value(tree))
    if original[0] == "raises":
        return
    text = _text(simplify(_copy(tree)))
    folded = _outcome(lambda: eval(text, {}, dict(ENVIRONMENT)))
    assert folded[0] == "value", text
    x, y = original[1], folded[1]
    assert x == y or (x != x and y != y), (_text(tree), text)


def _copy(tree):
    from s2sad.trees import copy_tree
    return copy_tree(tree)


def _binary(left, op, right):
    return gast.BinOp(left=left, op=op(), right=right)


def _negative(operand):
    return gast.UnaryOp(op=gast.USub(), operand=operand)


CASES = [  # (tree, text it must print as)
    (_binary(_constant(-2.0), gast.Pow, _constant(2)), "(-2.0) ** 2"),
    (_binary(_negative(_constant(2.0)), gast.Pow, _constant(2)), "(-2.0) ** 2"),
    (_negative(_binary(_constant(2.0), gast.Pow, _constant(2))), "-2.0 ** 2"),
    (_binary(_negative(_name("a")), gast.Pow, _constant(2)), "(-a) ** 2"),
    (_binary(_constant(2), gast.Pow, _constant(-1)), "2 ** -1"),
    (_binary(_binary(_name("a"), gast.Pow, _name("b")), gast.Pow, _name("c")),
     "(a ** b) ** c"),
    (_binary(_name("a"), gast.Pow, _binary(_name("b"), gast.Pow, _name("c"))),
     "a ** b ** c"),
    (_binary(_constant(-1), gast.Pow, _name("n")), "(-1) ** n"),
    (_binary(_name("a"), gast.Sub, _binary(_name("b"), gast.Sub, _name("c"))), "a - (b - c)"),
    (_binary(_name("a"), gast.Div, _binary(_name("b"), gast.Mult, _name("c"))), "a / (b * c)"),
    (_binary(_name("a"), gast.Sub, _constant(-2.0)), "a - -2.0"),
    (_binary(_constant(-2.0), gast.Mult, _name("a")), "-2.0 * a"),
    (gast.Attribute(value=_constant(-2.0), attr="real", ctx=gast.Load()), "(-2.0).real"),
    (gast.UnaryOp(op=gast.Not(), operand=gast.Compare(
        left=_name("a"), ops=[gast.Lt()], comparators=[_name("b")])), "not a < b"),
    (gast.Compare(left=gast.Compare(left=_name("a"), ops=[gast.Lt()],
                                    comparators=[_name("b")]),
                  ops=[gast.Lt()], comparators=[_name("c")]), "(a < b) < c"),
    (_binary(gast.IfExp(test=_name("p"), body=_name("a"), orelse=_name("b")), gast.Add,
             _name("c")), "(a if p else b) + c"),
    (gast.BoolOp(op=gast.And(), values=[
        gast.BoolOp(op=gast.Or(), values=[_name("p"), _name("q")]), _name("q")]),
     "(p or q) and q"),
]


@pytest.mark.parametrize("tree, text", CASES, ids=[t for _, t in CASES])
def test_precedence_of_hand_made_trees(tree, text):
    assert ast.dump(ast.parse(_text(tree), mode="eval")) == \
        ast.dump(ast.parse(text, mode="eval"))
    assert _same(_outcome(lambda: eval(_text(tree), {}, dict(ENVIRONMENT))),
                 _outcome(lambda: _tree_value(tree)))


def test_matrix_products_keep_their_grouping():
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    x = np.array([[1.0, -1.0]])
    tree = _binary(_name("x"), gast.MatMult, _binary(_name("A"), gast.MatMult, _name("B")))
    assert eval(_text(tree), {}, {"x": x, "A": A, "B": B}).tolist() == (x @ (A @ B)).tolist()


@pytest.mark.parametrize("value", [-2.0, -0.0, -3, float("-inf"), float("inf"), -1e-300,
                                   -1j, 2 - 3j, -2 + 3j])
def test_constants_print_as_their_value(value):
    text = _text(_binary(_constant(value), gast.Pow, _constant(2)))
    assert _same(("value", eval(text)), ("value", value ** 2)), text
    back = eval(_text(_constant(value)))
    assert _same(("value", back), ("value", value)), _text(_constant(value))


def test_folded_boolean_operations_give_the_deciding_operand():
    for text, value in [("0 or 5", 5), ("0 and 5", 0), ("3 and 5", 5), ("3 or 5", 3),
                        ("1 and 2 and 0.0 and 3", 0.0), ("not (0 or 5)", False)]:
        folded = simplify(gast.parse(text).body[0].value)
        assert isinstance(folded, gast.Constant) and folded.value == value, text
        assert type(folded.value) is type(value), text


def negative_base(x):
    return x * (-2.0) ** 2


def negative_base_test(x):
    if x <= (-0.97) ** 2:
        return 3.0 * x
    return x * x


def negated_power(x):
    return x * -2.0 ** 2 + (-x) ** 2 + 2.0 ** -1 * x


def negative_constant_variable(x):
    lam = -2.0
    return lam ** 2 * x + x ** 2 * lam ** 3


@pytest.mark.parametrize("function, x, value, slope", [
    (negative_base, 1.5, 6.0, 4.0),
    (negative_base_test, 0.95, 0.9025, 1.9),  # 0.95 > 0.9409: the second branch
    (negative_base_test, 0.9, 2.7, 3.0),
    (negated_power, 1.5, -6.0 + 2.25 + 0.75, -4.0 + 3.0 + 0.5),
    (negative_constant_variable, 1.5, 6.0 - 18.0, 4.0 - 24.0),
])
def test_negative_constants_in_derivatives(function, x, value, slope):
    import s2sad
    from s2sad.testing import check_grads

    assert function(x) == pytest.approx(value)
    assert s2sad.grad(function)(x) == pytest.approx(slope, rel=1e-12)
    assert s2sad.jvp(function, (x,), (1.0,)) == pytest.approx((value, slope), rel=1e-12)
    check_grads(function, (x,))
