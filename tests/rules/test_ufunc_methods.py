"""The methods of ufuncs (``reduce``, ``accumulate``, ``reduceat``, ``outer``) and
``np.ix_`` indexing, written as users write them: both modes against central
differences and the dot-product identity, second order (``hvp``) against differences of
the gradient, closed forms at ties, NaN and far-apart values, and the located errors for
what is refused (``out=``, another ufunc's methods, keywords ``outer`` does not take)."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError
from s2sad.testing import check_grads

X = np.array([0.3, -1.2, 2.0, 0.7, -0.4])
A = np.array([[0.5, -1.2, 0.8, 1.5], [1.1, 0.7, -0.9, 1.3], [-0.6, 1.4, 0.9, 1.2]])


def add_accumulate(x):
    return np.sum(np.sin(np.add.accumulate(x)))


def multiply_accumulate(x):
    return np.sum(np.multiply.accumulate(np.cos(x)) ** 2)


def maximum_accumulate(x):
    return np.sum(np.maximum.accumulate(x) ** 2)


def minimum_accumulate_rows(a):
    return np.sum(np.sin(np.minimum.accumulate(a, axis=1)))


def minimum_reduce(a):
    return np.sum(np.minimum.reduce(a) ** 3)


def logaddexp_reduce(a):
    return np.sum(np.logaddexp.reduce(a, axis=1) ** 2)


def logaddexp_accumulate(a):
    return np.sum(np.sin(np.logaddexp.accumulate(a)))


def hypot_reduce(x):
    return np.hypot.reduce(x) ** 2 + np.sin(np.hypot.reduce(x))


def add_reduce_keepdims(a):
    return np.sum((np.add.reduce(a, axis=1, keepdims=True) * a) ** 2)


def add_reduce_all(a):
    return np.sin(np.add.reduce(a, axis=None))


def multiply_reduce(a):
    return np.sum(np.multiply.reduce(a, axis=-1) ** 2)


def add_reduceat(x):
    return np.sum(np.add.reduceat(x, [0, 3, 1, 4]) ** 3)


def subtract_outer(x):
    return np.sum(np.tanh(np.subtract.outer(x, x ** 2)))


def multiply_outer(x):
    return np.sum(np.sin(np.multiply.outer(x, np.cos(x))))


def divide_outer(x):
    return np.sum(np.divide.outer(np.sin(x), 2.0 + np.cos(x)) ** 2)


def ix_read(a):
    return np.sum(a[np.ix_([0, 2], [1, 3, 0])] ** 3)


def ix_write(a):
    b = np.sin(a)
    b[np.ix_([2, 0], [1, 2])] = a[np.ix_([1, 2], [0, 3])] ** 2
    return np.sum(b * a)


def ix_add(a):
    b = a * 1.0
    b[np.ix_([1], [0, 3])] += np.cos(a[np.ix_([0], [1, 2])])
    return np.sum(b ** 2)


def written_accumulation(x):
    m = np.add.accumulate(x)  # an array of its own: written into in place
    m[1] = m[0] * m[2]
    return np.sum(m ** 2)


def written_outer(x):
    m = np.subtract.outer(x, np.sin(x))
    m[np.ix_([0, 2], [1, 0])] = 0.5 * m[np.ix_([1, 2], [2, 0])]
    return np.sum(m ** 2)


VECTOR = [add_accumulate, multiply_accumulate, maximum_accumulate, hypot_reduce,
          add_reduceat, subtract_outer, multiply_outer, divide_outer, written_accumulation,
          written_outer]
MATRIX = [minimum_accumulate_rows, minimum_reduce, logaddexp_reduce, logaddexp_accumulate,
          add_reduce_keepdims, add_reduce_all, multiply_reduce, ix_read, ix_write, ix_add]
CASES = [(f, X) for f in VECTOR] + [(f, A) for f in MATRIX]


@pytest.mark.parametrize("function, x", CASES, ids=[f.__name__ for f, _ in CASES])
def test_both_modes_against_differences(function, x):
    check_grads(function, (x.copy(),))


@pytest.mark.parametrize("function, x", CASES, ids=[f.__name__ for f, _ in CASES])
def test_second_order_against_differences_of_the_gradient(function, x):
    direction = np.cos(np.arange(x.size) + 1.0).reshape(x.shape)
    product = s2sad.hvp(function)(x.copy(), direction)
    gradient = s2sad.grad(function)
    h = 1e-5
    numeric = (gradient(x + h * direction) - gradient(x - h * direction)) / (2 * h)
    np.testing.assert_allclose(product, numeric, rtol=1e-6, atol=1e-7)


# ---- closed forms ------------------------------------------------------------------

TIED = np.array([1.0, 3.0, 3.0, 2.0, 3.0, 5.0])


def running_max_total(x):
    return np.sum(np.maximum.accumulate(x))


def test_running_maximum_splits_ties_as_np_max_does():
    # running maxima 1, 3, 3, 3, 3, 5: tied by {0}, {1}, {1, 2}, {1, 2}, {1, 2, 4}, {5}
    expected = [1.0, 1 + 1 / 2 + 1 / 2 + 1 / 3, 1 / 2 + 1 / 2 + 1 / 3, 0.0, 1 / 3, 1.0]
    np.testing.assert_allclose(s2sad.grad(running_max_total)(TIED), expected)
    _, tangent = s2sad.jvp(running_max_total, (TIED,), (np.arange(6.0),))
    assert tangent == pytest.approx(np.dot(expected, np.arange(6.0)))


def test_the_last_running_maximum_has_np_max_gradient():
    def last(x):
        return np.maximum.accumulate(x)[-2]

    def largest(x):
        return np.max(x[:-1])

    np.testing.assert_allclose(s2sad.grad(last)(TIED), s2sad.grad(largest)(TIED))


def test_running_maximum_lanes_with_and_without_ties():
    def f(a):
        return np.sum(np.maximum.accumulate(a, axis=0) * np.arange(1.0, 4.0)[:, None])

    a = np.array([[1.0, 2.0], [1.0, 0.5], [0.0, 3.0]])
    # column 0: maxima 1, 1, 1 tied by {0}, {0, 1}, {0, 1}; column 1: 2, 2, 3
    expected = [[1 + 1 + 1.5, 1 + 2], [1 + 1.5, 0.0], [0.0, 3.0]]
    np.testing.assert_allclose(s2sad.grad(f)(a), expected)


def test_running_extremum_of_nan_is_nan_at_the_nan():
    x = np.array([0.5, np.nan, 2.0])
    gradient = s2sad.grad(running_max_total)(x)
    assert gradient[0] == 1.0 and np.isnan(gradient[1]) and gradient[2] == 0.0


def test_running_log_sum_exp_of_far_apart_values():
    x = np.array([-1000.0, 0.0, 1000.0, -5.0])
    g = np.array([1.0, 2.0, 3.0, 4.0])

    def f(x):
        return np.sum(g * np.logaddexp.accumulate(x))

    y = np.logaddexp.accumulate(x)
    # d y_i / d x_j = exp(x_j - y_i) for j <= i
    weights = np.exp(np.where(np.tri(4, dtype=bool), x[None, :] - y[:, None], -np.inf))
    np.testing.assert_allclose(s2sad.grad(f)(x), g @ weights, rtol=1e-14)
    _, tangent = s2sad.jvp(f, (x,), (np.ones(4),))
    assert tangent == pytest.approx(g @ weights @ np.ones(4), rel=1e-14)


def test_log_sum_exp_reduce_is_the_softmax():
    def f(a):
        return np.logaddexp.reduce(a, axis=None)

    softmax = np.exp(A - np.log(np.sum(np.exp(A))))
    np.testing.assert_allclose(s2sad.grad(f)(A), softmax, rtol=1e-12)


def test_reduceat_with_decreasing_indices_sums_overlapping_ranges():
    def f(x):
        return np.sum(np.add.reduceat(x, [0, 3, 1, 4]) * np.array([1.0, 10.0, 100.0, 1e3]))

    # ranges [0, 3), [3], [1, 4), [4, 5)
    np.testing.assert_allclose(s2sad.grad(f)(X), [1.0, 101.0, 101.0, 110.0, 1e3])


def test_add_reduce_defaults_to_the_first_axis():
    def f(a):
        return np.sum(np.add.reduce(a) * np.arange(4.0))

    np.testing.assert_allclose(s2sad.grad(f)(A), np.broadcast_to(np.arange(4.0), A.shape))
    _, tangent = s2sad.jvp(f, (A,), (np.ones_like(A),))
    assert tangent == pytest.approx(3 * np.sum(np.arange(4.0)))


def test_hypot_reduce_at_the_origin_takes_the_zero_subgradient():
    assert np.all(s2sad.grad(hypot_reduce)(np.zeros(5)) == 0.0)


# ---- refused at the user's line ----------------------------------------------------


def accumulate_into_out(x):
    z = np.zeros(5)
    np.add.accumulate(x, out=z)
    return np.sum(z)


def divide_accumulate(x):
    return np.sum(np.divide.accumulate(x))


def outer_with_dtype(x):
    return np.sum(np.multiply.outer(x, x, dtype=np.float64))


@pytest.mark.parametrize("function, words", [
    (accumulate_into_out, "out="),
    (divide_accumulate, "numpy.divide.accumulate"),
    (outer_with_dtype, "numpy.multiply.outer"),
])
def test_refusals_name_the_line(function, words):
    line = function.__code__.co_firstlineno
    with pytest.raises(S2sadError) as raised:
        s2sad.grad(function)(X)
    message = str(raised.value)
    assert words in message and __file__ in message
    assert any(f"{__file__}:{n}" in message for n in range(line, line + 4))
