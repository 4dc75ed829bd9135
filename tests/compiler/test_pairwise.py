"""Pairwise squared distances written by broadcasting: fused into one call, with the same
value to the last bit and derivatives checked against numbers in both modes and at second
order; left as written wherever an intermediate is used elsewhere."""

import numpy as np
import pytest

import s2sad
from s2sad.runtime.pairwise import pairwise_sq_distances
from s2sad.testing import check_grads


def stress(W, D):
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff ** 2, axis=-1)
    return np.sum((d2 - D) ** 2)


def kernel_fit(X, Y, w):  # an RBF kernel between two sets of points
    K = np.exp(-np.sum((X[:, None, :] - Y[None, :, :]) ** 2, axis=-1))
    return np.sum((K @ w) ** 2)


def squares_by_product(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return np.sum(np.sqrt((diff * diff).sum(-1) + 1.0))


def squares_by_np_square(X):
    spread = X[None, :, :]
    rows = X[:, None, :]
    return np.sum(np.sin(np.sum(np.square(rows - spread), axis=-1)))


def difference_used_again(X):  # diff is read twice: nothing is fused
    diff = X[:, None, :] - X[None, :, :]
    d2 = np.sum(diff ** 2, axis=-1)
    return np.sum(d2 * d2) + np.sum(diff)


def other_axis(X):  # a sum over another axis is not a distance: nothing is fused
    diff = X[:, None, :] - X[None, :, :]
    return np.sum(np.sum(diff ** 2, axis=0) ** 2)


def in_a_loop(X, steps):
    total = 0.0
    for k in range(steps):
        d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
        total = total + np.sum(np.exp(-d2 / (k + 1)))
        X = X * 0.9
    return total


rng = np.random.default_rng(21)
W = rng.normal(size=(6, 3))
Y = rng.normal(size=(4, 3))
D = np.abs(rng.normal(size=(6, 6)))
w = rng.normal(size=4)

FUSED = [
    (stress, (W, D), "self_sq_distances(W)"),
    (kernel_fit, (W, Y, w), "pairwise_sq_distances(X, Y)"),
    (squares_by_product, (W, Y), "pairwise_sq_distances(X, Y)"),
    (squares_by_np_square, (W,), "self_sq_distances(X)"),
    (in_a_loop, (W, 3), "self_sq_distances(X)"),
]


@pytest.mark.parametrize("function, args, call", FUSED, ids=[f[0].__name__ for f in FUSED])
def test_fused_derivatives_agree_with_numbers(function, args, call):
    for mode in ("reverse", "forward"):
        assert call in s2sad.source(function, mode=mode, wrt=0)
    check_grads(function, args)


@pytest.mark.parametrize("function", [difference_used_again, other_axis])
def test_nothing_is_fused_when_the_pattern_is_not_whole(function):
    assert "sq_distances" not in s2sad.source(function)
    check_grads(function, (W,))


@pytest.mark.parametrize("shape", [(6, 1), (6, 2), (6, 3), (6, 7), (5, 8), (5, 12)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_fused_value_is_the_expression_to_the_last_bit(shape, dtype):
    a = rng.normal(size=shape).astype(dtype)
    b = rng.normal(size=(4, shape[1])).astype(dtype)
    for left, right in ((a, b), (a, a)):
        expected = np.sum((left[:, None, :] - right[None, :, :]) ** 2, axis=-1)
        got = pairwise_sq_distances(left, right)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_many_points_take_one_coordinate_at_a_time_with_the_same_bits():
    a = rng.normal(size=(700, 3))  # 700 x 700 arrays, each bigger than malloc keeps
    np.testing.assert_array_equal(pairwise_sq_distances(a, a),
                                  np.sum((a[:, None, :] - a[None, :, :]) ** 2, axis=-1))


def test_the_fused_value_of_other_inputs_is_the_expression():
    cases = [(rng.normal(size=(3, 2, 4)), rng.normal(size=(5, 2, 4))),  # more axes
             (rng.normal(size=(3, 1)), rng.normal(size=(5, 2))),  # a broadcast axis
             (np.arange(6).reshape(3, 2), np.arange(4).reshape(2, 2)),  # integers
             (rng.normal(size=(3, 2)) + 1j, rng.normal(size=(2, 2))),  # complex
             (rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=(2, 2)))]
    for a, b in cases:
        expected = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
        got = pairwise_sq_distances(a, b)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_value_and_gradient_of_the_benchmark_form():
    value, gradient = s2sad.value_and_grad(stress)(W, D)
    assert value == stress(W, D)  # the same bits
    diff = W[:, None, :] - W[None, :, :]
    r = np.sum(diff ** 2, axis=-1) - D
    closed = 4.0 * np.sum((r + r.T)[:, :, None] * diff, axis=1)
    np.testing.assert_allclose(gradient, closed, rtol=1e-12, atol=1e-12)


def test_points_with_more_axes_take_the_expression_as_written():
    X = rng.normal(size=(4, 2, 3))
    check_grads(stress, (X, np.abs(rng.normal(size=(4, 4, 2)))))
    check_grads(kernel_fit, (X, rng.normal(size=(3, 2, 3)), rng.normal(size=2)))


stress_gradient = s2sad.grad(stress)


def directional_gradient(W1, D1, v1):
    return np.sum(stress_gradient(W1, D1) * v1)


def test_second_derivatives_through_the_fused_helpers():
    W0, D0 = W[:4], D[:4, :4]
    hessian = s2sad.hessian(stress)(W0, D0)
    gradient = s2sad.grad(stress)
    step = 1e-6
    for index in np.ndindex(W0.shape):  # each column of the Hessian: FD of the gradient
        up, down = W0.copy(), W0.copy()
        up[index] += step
        down[index] -= step
        column = (gradient(up, D0) - gradient(down, D0)) / (2 * step)
        np.testing.assert_allclose(hessian[(...,) + index], column, rtol=1e-6, atol=1e-6)
    v = rng.normal(size=W0.shape)
    np.testing.assert_allclose(s2sad.hvp(stress)(W0, D0, v),
                               np.tensordot(hessian, v, axes=2), rtol=1e-10, atol=1e-10)
    # reverse over reverse: the gradient of <grad f, v> is H v
    np.testing.assert_allclose(s2sad.grad(directional_gradient)(W0, D0, v),
                               np.tensordot(hessian, v, axes=2), rtol=1e-10, atol=1e-10)


def test_second_derivatives_between_two_sets_of_points():
    X, Z, v = W[:3], Y[:2], rng.normal(size=2)
    check_grads(s2sad.grad(kernel_fit, wrt=(0, 1)), (X, Z, v), wrt=(0, 1))
