"""Lowering and normalization keep the program's meaning: ``and``/``or`` as values, tests
that their branches rebind, and ``return`` in every position of loops, checked in both
modes and to second order against central differences and closed forms."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

#: NumPy's refusal of an array's truth value, which derivatives raise as the function does
AMBIGUOUS = "^The truth value of an array with more than one element is ambiguous"


def _difference(function, x, h=1e-6):
    return (function(x + h) - function(x - h)) / (2 * h)


def _second_difference(function, x, h=1e-4):
    return (function(x + h) - 2 * function(x) + function(x - h)) / h ** 2


def check_scalar(function, x, *, second=True, rtol=1e-6):
    """Value, forward and reverse mode and (with ``second``) ``hvp`` and the gradient of
    the gradient of a scalar function, each against differences of ``function``."""
    expected = function(x)
    slope = _difference(function, x)
    value, tangent = s2sad.jvp(function, (x,), (1.0,))
    assert value == expected
    assert tangent == pytest.approx(slope, rel=rtol, abs=1e-8)
    assert s2sad.grad(function)(x) == pytest.approx(slope, rel=rtol, abs=1e-8)
    check_grads(function, (x,))
    if second:
        curvature = _second_difference(function, x)
        assert s2sad.hvp(function)(x, 1.0) == pytest.approx(curvature, rel=1e-4, abs=1e-5)
        assert s2sad.grad(s2sad.grad(function))(x) == pytest.approx(curvature, rel=1e-4,
                                                                    abs=1e-5)


# -- and / or as values -----------------------------------------------------------------

def or_default(x, lam=0.0):
    lam = lam or 0.5 * x
    return lam * x


def and_or(x):
    return (x > 1.0) and x * 2 or x * 3


def or_chain(x, p=0.0, q=0.0):
    u = p * x or q * x or x * x
    return u * x


def and_chain(x):
    u = (x > 0.5) and (x < 3.0) and x * x
    return u * x + x


def mixed_nested(x, p=0.0):
    y = x * ((p and x) or 2.0) + (x > 2.0 or x * x) * x
    return y


def not_operand(x):
    u = not (x > 1.0) and x * 2 or x * 3
    return u * x


def or_in_loop(x):
    acc = 0.0
    total = 0.0
    for i in range(4):
        acc = acc or x * i
        total = total + acc * x
    return total


def and_in_loop(x):
    total = x
    for i in range(5):
        step = i % 2 and total * 0.5 or x
        total = total + step * x
    return total


def in_if_test(x):
    if x > 1.0 and x < 3.0 or x > 5.0:
        return x * x
    return 3.0 * x


def rebound_test(x):
    c = x > 1.0
    if c:
        c = False
        x = x * 2.0
    return x * x


def rebound_in_loop(x):
    flag = True
    for _i in range(3):
        if flag:
            flag = False
            x = x * x
        else:
            x = x + 1.0
    return x


@pytest.mark.parametrize("function, x, value, slope", [
    (or_default, 2.0, 2.0, 2.0),
    (and_or, 0.5, 1.5, 3.0),
    (and_or, 2.0, 4.0, 2.0),
    (rebound_test, 2.0, 16.0, 16.0),
])
def test_closed_forms(function, x, value, slope):
    assert function(x) == value
    assert s2sad.grad(function)(x) == pytest.approx(slope)
    assert s2sad.jvp(function, (x,), (1.0,)) == pytest.approx((value, slope))


@pytest.mark.parametrize("function, x", [
    (or_default, 2.0), (and_or, 0.5), (and_or, 2.0), (or_chain, 1.3), (and_chain, 1.5),
    (and_chain, 0.3), (and_chain, 4.0), (mixed_nested, 1.5), (mixed_nested, 2.5),
    (not_operand, 0.5), (not_operand, 1.5), (or_in_loop, 1.3), (and_in_loop, 0.7),
    (in_if_test, 2.0), (in_if_test, 4.0), (in_if_test, 6.0), (rebound_test, 2.0),
    (rebound_test, 0.5), (rebound_in_loop, 1.2),
])
def test_boolean_values(function, x):
    check_scalar(function, x)


@pytest.mark.parametrize("p, q", [(0.0, 0.0), (0.0, 1.5), (2.0, 0.0), (2.0, 1.5)])
def test_or_chain_each_operand(p, q):
    def at(x):
        return or_chain(x, p, q)
    check_scalar(at, 1.3)
    check_grads(or_chain, (1.3, p, q), wrt=(0,))


def test_or_default_given():
    assert s2sad.grad(or_default)(2.0, 1.5) == 1.5
    check_grads(or_default, (2.0, 1.5), wrt=(0,))


def array_or(x):
    y = x or x * 2.0
    return np.sum(y * y)


def test_array_truth_raises_as_python_does():
    with pytest.raises(ValueError, match=AMBIGUOUS):
        array_or(np.ones(3))
    with pytest.raises(ValueError, match=AMBIGUOUS):
        s2sad.grad(array_or)(np.ones(3))
    with pytest.raises(ValueError, match=AMBIGUOUS):
        s2sad.jvp(array_or, (np.ones(3),), (np.ones(3),))
    x = np.array([0.0])  # one element: false, so the second operand
    assert s2sad.grad(array_or)(x) == pytest.approx([0.0])
    x = np.array([1.5])
    assert s2sad.grad(array_or)(x) == pytest.approx([3.0])
    check_grads(array_or, (np.array([0.0]),))


# -- return in every position of a loop --------------------------------------------------

def last_in_for(x):
    for _i in range(1):
        return math.sin(x)


def last_in_for_after_work(x):
    for _i in range(3):
        x = x * 1.5
        return x * x


def last_in_while(x):
    n = 0
    while n < 5:
        n += 1
        return x * n


def last_in_while_true(x):
    while True:
        return math.sin(x) * x


def in_if_in_loop(x):
    for i in range(5):
        if i == 2:
            return x * i * x
        else:
            x = x * 1.1
    return x


def in_else_in_loop(x):
    for i in range(5):
        if i < 3:
            x = x * 1.1
        else:
            return x * x
    return x


def inner_returns(x):
    for i in range(3):
        for j in range(3):
            if i == 1 and j == 2:
                return x * i * j * x
            x = x * 1.01
    return x


def outer_returns_after_inner_may_return(x):
    for _i in range(3):
        for j in range(3):
            if j > 5:
                return x
        return x * x
    return 0.0


def both_return(x):
    s = 0.0
    for i in range(4):
        for j in range(3):
            if j == 1 and i == 3:
                return x * s
            s = s + x * j
        if s > 100.0 * x:
            return s * s
    return s


def for_else_returns(x):
    for _i in range(3):
        if x > 100.0:
            break
        x = x * 2.0
    else:
        return x * 3.0
    return x


def for_else_holds_loop_that_may_return(x):
    for _i in range(2):
        x = x * 2.0
    else:
        for _j in range(2):
            if x > 50.0:
                return x
    return x * x


def while_else_returns(x):
    n = 0
    while n < 3:
        n += 1
        x = x * 1.5
    else:
        return x * x
    return x


def while_else_with_return_in_body(x):
    n = 0
    while n < 4:
        n += 1
        if n == 3:
            return x * n
        x = x * 1.5
    else:
        x = x * x
    return x


def else_of_if_holds_loop(x):
    if x > 100.0:
        return x
    else:
        for _i in range(3):
            if x > 50.0:
                return x * x
    return x * 3.0


def after_continue(x):
    for i in range(5):
        if i == 0:
            continue
        if i == 3:
            return x * i
        x = x * 1.1
    return x


def after_break_in_inner(x):
    for i in range(3):
        for j in range(3):
            if j == 1:
                break
            x = x * 1.2
        if i == 1:
            return math.sin(x)
    return x


def tuple_return(x):
    for i in range(3):
        if i == 1:
            return x * i, x * x
    return x, x


def _loop_helper(x, k):
    for i in range(5):
        if i == k:
            return x * i
        x = x * 1.1
    return x


def calls_helper(x):
    return _loop_helper(x, 2) + _loop_helper(x * x, 7)


RETURNS = [last_in_for, last_in_for_after_work, last_in_while, last_in_while_true,
           in_if_in_loop, in_else_in_loop, inner_returns, outer_returns_after_inner_may_return,
           both_return, for_else_returns, for_else_holds_loop_that_may_return,
           while_else_returns, while_else_with_return_in_body, else_of_if_holds_loop,
           after_continue, after_break_in_inner, calls_helper]


@pytest.mark.parametrize("function", RETURNS, ids=[f.__name__ for f in RETURNS])
@pytest.mark.parametrize("x", [0.7, 1.3])
def test_return_positions(function, x):
    check_scalar(function, x)


def test_closed_form_of_last_return():
    assert s2sad.grad(last_in_for)(1.0) == math.cos(1.0)
    assert s2sad.jvp(last_in_for, (1.0,), (1.0,)) == (math.sin(1.0), math.cos(1.0))
    assert s2sad.grad(outer_returns_after_inner_may_return)(2.0) == 4.0
    assert s2sad.hvp(outer_returns_after_inner_may_return)(2.0, 1.0) == 2.0
    assert s2sad.grad(for_else_holds_loop_that_may_return)(2.0) == 64.0


def test_tuple_return():
    check_grads(tuple_return, (1.3,))
    value, tangent = s2sad.jvp(tuple_return, (1.3,), (1.0,))
    assert value == pytest.approx((1.3, 1.3 * 1.3)) and tangent == pytest.approx((1.0, 2.6))


def range_may_be_empty(x, n):
    for i in range(n):
        if i == 1:
            return x * x
        x = x * 2.0
    return x * 3.0


def while_may_not_run(x, n):
    while n > 0:
        return x * x
    return x * 3.0


@pytest.mark.parametrize("function", [range_may_be_empty, while_may_not_run])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_loops_that_may_not_run(function, n):
    check_scalar(lambda x: function(x, n), 1.3)
    check_grads(function, (1.3, n), wrt=(0,))


def return_nothing(x, n):
    for i in range(n):
        if i == 1:
            return
    return x * x


def test_return_without_value():
    assert s2sad.jvp(return_nothing, (1.5, 3), (1.0, 0))[0] is None
    assert s2sad.jvp(return_nothing, (1.5, 1), (1.0, 0)) == (2.25, 3.0)
    assert s2sad.grad(return_nothing)(1.5, 1) == 3.0


def array_loop_return(x):
    for i in range(len(x)):
        if x[i] > 1.0:
            return np.sum(x[:i] ** 2) * x[i]
    return np.sum(x)


@pytest.mark.parametrize("x", [np.array([0.5, 0.7, 1.5, 2.0]), np.array([0.5, 0.2])])
def test_array_loop_return(x):
    check_grads(array_loop_return, (x,))


# -- other rewrites: each keeps Python's order and short-circuits ------------------------

def loop_variable_rebound(x):
    s = 0.0
    for i in range(3):
        i = i * 2
        s = s + x * i
    return s * x


def loop_variable_rebound_backwards(x):
    s = x
    for i in reversed(range(4)):
        i = i + 0.5
        s = s * i * x
    return s


def chained_targets(x):
    xs = [0.0, 0.0, 0.0]
    i = 0
    i = xs[i] = 1
    return xs[0] * x + xs[1] * x * x + i


def unpacking_order(x):
    xs = [0.0, 0.0]
    i = 0
    xs[i], i = x * 2.0, 1
    return xs[0] * x + xs[1] + i * x


def chained_comparison(x):
    y = 0.0
    if 0.5 < x < 2.0:
        y = x * x
    return y + x


def _fifth(xs):
    return xs[5]


def chained_comparison_short_circuits(x, xs):
    # xs[5] is never read when the first comparison fails, as in Python
    if x > 10.0 < _fifth(xs):
        return x * xs[5]
    return x * x


def continue_in_nested_branches(x):
    s = 0.0
    for i in range(6):
        if i % 2 == 0:
            if i == 2:
                continue
            s = s + x
        else:
            if i == 3:
                continue
        s = s * x
    return s


def nested_conditional_expressions(x):
    return (x * x if x > 1 else x * 3) if x < 5 else (x if x > 10 else 2 * x)


def while_else_with_break(x):
    n = 0
    while n < 5:
        n += 1
        if x * n > 4.0:
            break
        x = x * 1.1
    else:
        x = x * x
    return x


@pytest.mark.parametrize("function, x", [
    (loop_variable_rebound, 1.3), (loop_variable_rebound_backwards, 1.3),
    (chained_targets, 1.3), (unpacking_order, 1.3), (chained_comparison, 1.3),
    (chained_comparison, 2.5), (continue_in_nested_branches, 1.3),
    (nested_conditional_expressions, 1.3), (nested_conditional_expressions, 0.5),
    (nested_conditional_expressions, 7.0), (while_else_with_break, 1.3),
    (while_else_with_break, 0.3),
])
def test_other_rewrites(function, x):
    check_scalar(function, x)


def test_other_rewrites_closed_forms():
    assert s2sad.grad(loop_variable_rebound)(1.3) == pytest.approx(12 * 1.3)
    assert s2sad.jvp(chained_targets, (1.3,), (1.0,)) == pytest.approx((2.69, 2.6))
    assert s2sad.jvp(unpacking_order, (1.3,), (1.0,)) == pytest.approx((4.68, 6.2))


def test_chained_comparison_short_circuits():
    xs = [1.0]
    assert s2sad.grad(chained_comparison_short_circuits, wrt=0)(1.5, xs) == 3.0
    assert s2sad.jvp(chained_comparison_short_circuits, (1.5, xs), (1.0, None)) == (2.25, 3.0)


def array_chain(x):
    return np.sum(x) if 0.0 < x < 1.0 else np.sum(x * x)


def test_chained_comparison_of_arrays_raises_as_python_does():
    with pytest.raises(ValueError, match=AMBIGUOUS):
        array_chain(np.array([0.5, 0.7]))
    with pytest.raises(ValueError, match=AMBIGUOUS):
        s2sad.grad(array_chain)(np.array([0.5, 0.7]))
    assert s2sad.grad(array_chain)(np.array([0.5])) == pytest.approx([1.0])


def range_bound_changed(x, step=1):
    n = 3
    for i in range(n):
        n = n + step
        x = x * (i + 1.5)
    return np.sum(x * x)


@pytest.mark.parametrize("step", [1, -1])
@pytest.mark.parametrize("x", [1.3, np.array([1.3, -0.4])])
def test_range_bound_changed_by_the_body(x, step):
    factor = 1.5 * 2.5 * 3.5
    expected = 2 * factor ** 2 * np.asarray(x)
    assert np.allclose(s2sad.grad(range_bound_changed)(x, step), expected, rtol=1e-12)
    check_grads(range_bound_changed, (x, step), wrt=(0,))


# -- comprehensions: evaluated where and when Python evaluates them ----------------------

def comprehension_in_if_test(x):
    if sum([v * x for v in (1.0, 2.0)]) > 1.0:
        return x * x
    return x


def generator_in_if_test(x):
    if sum(x * a for a in range(3)) > 1.0:
        return x * x
    return x


def comprehension_as_sequence(x):
    s = 0.0
    for v in [x * a for a in range(3)]:
        s = s + v * v
    return s


def comprehension_in_branch(x, xs):
    return sum([x / v for v in xs]) if xs[0] != 0.0 else x * x


def comprehension_after_or(x, xs):
    return (xs[0] == 0.0 and x * x) or sum([x / v for v in xs])


@pytest.mark.parametrize("function", [comprehension_in_if_test, generator_in_if_test,
                                      comprehension_as_sequence])
@pytest.mark.parametrize("x", [0.2, 1.3])
def test_comprehensions_in_tests_and_sequences(function, x):
    check_scalar(function, x)


@pytest.mark.parametrize("function", [comprehension_in_branch, comprehension_after_or])
@pytest.mark.parametrize("xs, slope", [([0.0], 2.6), ([2.0, 4.0], 0.75)])
def test_comprehensions_only_on_their_path(function, xs, slope):
    # with xs[0] == 0 Python never divides by it, nor may the derivatives
    assert s2sad.grad(function)(1.3, xs) == pytest.approx(slope)
    assert s2sad.jvp(function, (1.3, xs), (1.0, [0.0] * len(xs)))[1] == pytest.approx(slope)
    check_grads(function, (1.3, xs), wrt=(0,))


def loop_variable_is_the_bound(x):
    n = 3
    for n in range(n):  # noqa: B020  (range(n) is evaluated once, with n == 3)
        x = x * (n + 1.5)
    return np.sum(x * x)


@pytest.mark.parametrize("x", [1.3, np.array([1.3, -0.4])])
def test_loop_variable_is_the_bound(x):
    expected = 2 * (1.5 * 2.5 * 3.5) ** 2 * np.asarray(x)
    assert np.allclose(s2sad.grad(loop_variable_is_the_bound)(x), expected, rtol=1e-12)
    check_grads(loop_variable_is_the_bound, (x,))


def test_hessian_and_vector_mode():
    # hessian is jacfwd(grad(f)): vector forward mode over the reverse sweep
    assert float(np.squeeze(s2sad.hessian(or_default)(2.0))) == pytest.approx(1.0)
    assert float(np.squeeze(s2sad.hessian(last_in_for)(1.0))) == pytest.approx(-math.sin(1.0))
    assert float(np.squeeze(s2sad.hessian(and_or)(0.5))) == pytest.approx(0.0, abs=1e-12)
    assert float(np.squeeze(s2sad.jacfwd(outer_returns_after_inner_may_return)(2.0))) == \
        pytest.approx(4.0)
    assert float(np.squeeze(s2sad.jacfwd(or_default)(2.0))) == pytest.approx(2.0)


def comprehension_in_chain(x, xs):
    if xs[0] != 0.0 < min([x / v for v in xs]) < 100.0:
        return x * x * 3.0
    return x * x


@pytest.mark.parametrize("xs, slope", [([0.0], 2.6), ([2.0, 4.0], 7.8), ([0.001], 2.6)])
def test_comprehension_in_a_chained_comparison(xs, slope):
    assert s2sad.grad(comprehension_in_chain)(1.3, xs) == pytest.approx(slope)
    assert s2sad.jvp(comprehension_in_chain, (1.3, xs), (1.0, [0.0] * len(xs)))[1] == \
        pytest.approx(slope)
    check_grads(comprehension_in_chain, (1.3, xs), wrt=(0,))


def comprehension_in_while_test(x):
    n = 0
    while sum([x * k for k in range(n)]) < 5.0:
        n += 1
    return x * n + sum([x * k for k in range(n)])


def comprehension_in_while_test_with_else(x):
    n = 0
    s = x
    while sum([s * k for k in range(n)]) < 5.0:
        n += 1
        if n > 10:
            break
        s = s * 1.1
    else:
        s = s * x
    return s


@pytest.mark.parametrize("function", [comprehension_in_while_test,
                                      comprehension_in_while_test_with_else])
@pytest.mark.parametrize("x", [0.001, 0.2, 1.3])  # 0.001: the with-else loop breaks
def test_comprehension_in_while_test(function, x):
    check_grads(function, (x,))
    assert s2sad.grad(function)(x) == pytest.approx(_difference(function, x), rel=1e-6)
