"""Named regressions for what an independent tester found: raw errors from inside the
generated code where the user needed a derivative or an error naming what to do."""

import math
import random

import numpy as np
import pytest
from scipy.special import logsumexp

import s2sad
from s2sad.errors import S2sadError


def magnitude_and_sign_of_items(x):
    return math.fabs(x[0]) + math.copysign(x[1], -1.0)


def test_math_fabs_and_copysign_of_numpy_scalars():
    x = np.array([-0.4, 0.3])
    for _ in range(3):  # the simplified seed 1 made np.bool_ - np.bool_
        np.testing.assert_allclose(s2sad.grad(magnitude_and_sign_of_items)(x), [-1.0, -1.0])
    assert s2sad.grad(lambda a: math.fabs(a))(np.float64(-0.4)) == -1.0


def sum_of_squares(*xs):
    return sum(x ** 2 for x in xs)


@pytest.mark.parametrize("call", [
    lambda: s2sad.vjp(sum_of_squares, 1.0, 2.0),
    lambda: s2sad.jvp(sum_of_squares, (1.0, 2.0), (1.0, 0.0)),
], ids=["vjp", "jvp"])
def test_jvp_and_vjp_of_primals_in_varargs_say_what_to_do(call):
    with pytest.raises(TypeError, match=r"\*xs is not supported.*grad, jacfwd or jacrev"):
        call()


def test_the_gradient_with_respect_to_varargs_positions_works():
    assert s2sad.grad(sum_of_squares, wrt=(0, 1))(1.0, 2.0) == (2.0, 4.0)


def normal_draw(mu):
    return random.gauss(mu, 1.0) * 2.0


def test_a_library_function_that_cannot_be_differentiated_is_refused_at_the_users_call():
    with pytest.raises(s2sad.errors.UnsupportedSyntaxError) as caught:
        s2sad.grad(normal_draw)(0.5)
    assert caught.value.filename == __file__
    assert "library function random" in str(caught.value)


def hypot_with_a_constant(s):
    return math.hypot(s, 2.0)


def hypot_of_three(a, b):
    return math.hypot(a, b, 1.0)


def test_batched_tangents_of_math_hypot_keep_directions_apart_from_coordinates():
    """The coordinates ``math.hypot`` gathers are its arguments, not a list NumPy reads:
    two directions through two coordinates gave ``[2.22, 0]`` (true ``[0.545, 1.09]``)."""
    slope = 1.3 / math.hypot(1.3, 2.0)
    for _ in range(3):
        out, out_dot = s2sad.jvp(hypot_with_a_constant, (1.3,), (np.array([1.0, 2.0]),),
                                 batched=True)
        np.testing.assert_allclose(out_dot, [slope, 2 * slope], rtol=1e-12)
        np.testing.assert_allclose(s2sad.jacfwd(hypot_with_a_constant)(1.3), slope, rtol=1e-12)
        np.testing.assert_allclose(s2sad.hessian(hypot_with_a_constant)(1.3),
                                   4.0 / (1.3 ** 2 + 4.0) ** 1.5, rtol=1e-10)
        norm = math.sqrt(1.3 ** 2 + 0.25 + 1.0)
        np.testing.assert_allclose(s2sad.jacfwd(hypot_of_three, wrt=(0, 1))(1.3, 0.5),
                                   (1.3 / norm, 0.5 / norm), rtol=1e-12)


def sum_of_squares_of(x):
    return np.sum(x ** 2)


def squares_in_a_loop(x):
    s = 0.0
    for v in x:
        s = s + v ** 2
    return s


@pytest.mark.parametrize("f", [sum_of_squares_of, squares_in_a_loop])
def test_no_directions_give_empty_derivatives(f):
    """An empty input has an empty Hessian; a batch of no directions, an empty tangent."""
    empty = np.zeros(0)
    assert s2sad.hessian(f)(empty).shape == (0, 0)
    assert s2sad.jacfwd(s2sad.grad(f))(empty).shape == (0, 0)
    out, out_dot = s2sad.jvp(s2sad.grad(f), (np.ones(3),), (np.zeros((0, 3)),), batched=True)
    np.testing.assert_allclose(out, 2.0 * np.ones(3))
    assert out_dot.shape == (0, 3)


def writes_its_closure_list(x):
    acc = [0.0]

    def add(v):
        acc[0] = v

    add(x * x)
    return acc[0]


def test_a_nested_function_writing_a_list_it_closes_over_is_a_located_refusal():
    with pytest.raises(S2sadError) as raised:
        s2sad.grad(writes_its_closure_list)(1.5)
    assert __file__ in str(raised.value)


def log_of_a_signed_sum(x):
    s, sign = logsumexp(x, return_sign=True)
    return s * sign


def test_an_argument_the_rules_do_not_take_is_said_to_be_theirs_not_the_users():
    with pytest.raises(S2sadError, match="rules for .*logsumexp do not cover") as raised:
        s2sad.grad(log_of_a_signed_sum)(np.array([0.1, -0.4, 1.2]))
    assert "return_sign" in str(raised.value) and __file__ in str(raised.value)


def tuple_and_count_grown(x):
    t = (x,)
    first = t
    t += (x ** 2,)
    n = 2
    m = n
    n += 1
    return t[0] * t[1] + first[0] * n * m


def test_augmented_assignment_to_a_tuple_or_an_int_makes_a_new_value():
    for _ in range(3):  # 3 x ** 2 + 6 x
        assert s2sad.grad(tuple_and_count_grown)(1.5) == pytest.approx(3 * 1.5 ** 2 + 6.0)
        assert s2sad.jvp(tuple_and_count_grown, (1.5,), (1.0,))[1] == pytest.approx(
            3 * 1.5 ** 2 + 6.0)


def squares_of_arguments(*args):
    s = 0.0
    for a in args:
        s = s + a ** 2
    return s


def spread_into_arguments(x):
    return squares_of_arguments(*x)


def test_batched_tangents_of_an_array_spread_into_star_arguments():
    """``h(*x)``: each argument's tangents are a column of the batch (directions first);
    rows were taken, silently wrong with as many directions as items, a crash otherwise."""
    x = np.array([0.7, -1.3, 0.4])
    directions = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    for _ in range(3):
        for k in (3, 2):
            _, out_dot = s2sad.jvp(spread_into_arguments, (x,), (directions[:k],),
                                   batched=True)
            np.testing.assert_allclose(out_dot, directions[:k] @ (2 * x))
        X = np.arange(1.0, 7.0).reshape(2, 3) / 4.0  # rows spread: out[j] = sum_i X[i, j]^2
        expected = np.einsum("jk,ik->jik", np.eye(3), 2 * X)
        np.testing.assert_allclose(s2sad.jacfwd(spread_into_arguments)(X), expected)


def product_through_an_axis(a, b):
    return np.sum(a[..., None] * b)


def test_a_number_given_as_the_tangent_of_a_zero_dimensional_array():
    """The code for an array indexed the tangent (``a_dot[..., None]``): a TypeError."""
    a, b = np.array(0.7), np.array(1.3)
    for _ in range(3):
        out, out_dot = s2sad.jvp(product_through_an_axis, (a, b), (1.0, 0.5))
        assert out_dot == pytest.approx(1.3 * 1.0 + 0.7 * 0.5)
