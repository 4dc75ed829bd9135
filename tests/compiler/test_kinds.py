"""Kinds before arithmetic: ``+`` and ``*`` on lists and tuples join and repeat them
(their derivatives split and sum), and casts to integer or boolean dtypes have a zero
derivative. Checked against closed forms and central differences."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

# ---- sequences under + and * -------------------------------------------------------


def joined_lists(a, b):
    v = [a] + [b * 2.0]
    return v[0] * v[1]


def repeated_list(a):
    return sum([a, 2.0 * a] * 2)


def joined_tuples(a, b):
    t = (a,) + (2.0 * b,)
    return t[0] * t[1]


def test_list_concatenation_is_not_addition():
    assert s2sad.grad(joined_lists, wrt=(0, 1))(1.1, 0.5) == pytest.approx((1.0, 2.2))
    assert s2sad.jvp(joined_lists, (1.1, 0.5), (1.0, 0.0))[1] == pytest.approx(1.0)
    assert s2sad.jvp(joined_lists, (1.1, 0.5), (0.0, 1.0))[1] == pytest.approx(2.2)
    check_grads(joined_lists, (1.1, 0.5))


def test_list_repetition_is_not_multiplication():
    assert s2sad.grad(repeated_list)(1.0) == 6.0
    assert s2sad.jvp(repeated_list, (1.0,), (1.0,)) == (6.0, 6.0)
    check_grads(repeated_list, (0.7,))


def test_tuple_concatenation():
    assert s2sad.jvp(joined_tuples, (1.0, 2.0), (1.0, 0.0)) == (4.0, 4.0)
    assert s2sad.grad(joined_tuples, wrt=(0, 1))(1.0, 2.0) == pytest.approx((4.0, 2.0))
    check_grads(joined_tuples, (1.0, 2.0))


def tuples_of_arrays(a, b):
    t = (a, b) + (a * b,)
    return np.sum(t[0] * t[2]) + np.sum(t[1])


def test_tuples_of_arrays_joined():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    gx, gy = s2sad.grad(tuples_of_arrays, wrt=(0, 1))(x, y)
    np.testing.assert_allclose(gx, 2 * x * y)
    np.testing.assert_allclose(gy, x * x + 1)
    check_grads(tuples_of_arrays, (x, y))


def repeated_both_sides(a):
    s = (a, 2.0 * a)
    u = 2 * s
    w = s * 3
    return u[3] * w[4] + u[0]


def test_repetition_on_either_side():
    assert s2sad.grad(repeated_both_sides)(1.5) == pytest.approx(4 * 1.5 + 1)
    check_grads(repeated_both_sides, (1.5,))


def zeros_then_written(a, n):
    v = [0.0] * n
    v[1] = a * 3.0
    v[0] = a
    return v[0] * v[1] + v[2]


def test_repeated_zeros_then_written():
    assert s2sad.grad(zeros_then_written)(2.0, 3) == pytest.approx(12.0)
    check_grads(zeros_then_written, (2.0, 3))


def concatenated_in_loop(xs):
    out = []
    for x in xs:
        y = x * x
        out = out + [y]
    return out[0] + 2.0 * out[1]


def test_concatenation_in_a_loop():
    np.testing.assert_allclose(s2sad.grad(concatenated_in_loop)(np.array([1.0, 2.0])),
                               [2.0, 8.0])
    check_grads(concatenated_in_loop, (np.array([1.0, 2.0]),))


def summed_lists(a):
    ls = [[a], [2.0 * a, a * a]]
    flat = sum(ls, [])
    return flat[0] * flat[1] + flat[2]


def test_python_sum_of_lists_concatenates():
    assert s2sad.grad(summed_lists)(1.5) == pytest.approx(4 * 1.5 + 2 * 1.5)
    check_grads(summed_lists, (1.5,))


def string_joined(a):
    s = "a" + "b"
    return a * len(s)


def test_strings_are_inactive():
    assert s2sad.grad(string_joined)(1.5) == 2.0


def joined_parameters(xs, ys):
    zs = xs + ys
    return zs[0] * zs[2]


def repeated_parameter(xs, k):
    ys = xs * k
    return ys[0] + ys[3]


def test_sequences_the_code_does_not_show_are_refused_at_run_time():
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.grad(joined_parameters)([1.0, 2.0], [3.0])
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.jvp(joined_parameters, ([1.0, 2.0], [3.0]), ([1.0, 0.0], [0.0]))
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.grad(repeated_parameter)([1.0, 2.0], 2)
    # the same functions on arrays are arithmetic
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.25, 2.0])
    np.testing.assert_allclose(s2sad.grad(joined_parameters)(x, y), [x[2] + y[2], 0, x[0] + y[0]])


def test_second_order_through_concatenation():
    def f(a, b):
        v = [a] + [b * 2.0]
        return v[0] * v[1] * v[1]  # 4 a b^2

    h = s2sad.hvp(f, wrt=(0, 1))(1.1, 0.5, (1.0, 0.0))
    assert h == pytest.approx((0.0, 8 * 0.5))
    h = s2sad.hvp(f, wrt=(0, 1))(1.1, 0.5, (0.0, 1.0))
    assert h == pytest.approx((8 * 0.5, 8 * 1.1))

    def g(a):
        return sum([a, a * a] * 3)  # 3 a + 3 a^2

    assert s2sad.hvp(g)(0.7, 1.0) == pytest.approx(6.0)
