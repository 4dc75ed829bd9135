"""Jacobians column by column (forward) and row by row (reverse), against each other, closed
forms and finite differences, through loops and branches."""

import numpy as np
import pytest

import s2sad


def linear_map(x, A):
    return A @ x


def loop_and_branch(x, W):
    h = x
    for k in range(3):
        h = np.tanh(W @ h) if k % 2 == 0 else h * np.cos(h)
    return h[:2] * x[0]


def numeric_jacobian(f, args, position, eps=1e-6):
    x = np.asarray(args[position], dtype=float)
    out = np.asarray(f(*args))
    jac = np.zeros(out.shape + x.shape)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        up = list(args)
        up[position] = x + step
        down = list(args)
        down[position] = x - step
        jac[(...,) + index] = (np.asarray(f(*up)) - np.asarray(f(*down))) / (2 * eps)
    return jac


def test_jacobian_of_a_linear_map_is_the_matrix_both_ways():
    A = np.arange(12.0).reshape(4, 3) / 7.0
    x = np.array([0.3, -1.0, 2.0])
    np.testing.assert_allclose(s2sad.jacfwd(linear_map)(x, A), A)
    np.testing.assert_allclose(s2sad.jacrev(linear_map)(x, A), A)
    dA_fwd = s2sad.jacfwd(linear_map, wrt=1)(x, A)
    assert dA_fwd.shape == (4, 4, 3)  # out.shape + in.shape
    np.testing.assert_allclose(dA_fwd, s2sad.jacrev(linear_map, wrt=1)(x, A))


def test_jacobians_through_loops_and_branches():
    rng = np.random.default_rng(3)
    x, W = rng.normal(size=3), 0.5 * rng.normal(size=(3, 3))
    for wrt in (0, 1):
        forward = s2sad.jacfwd(loop_and_branch, wrt=wrt)(x, W)
        reverse = s2sad.jacrev(loop_and_branch, wrt=wrt)(x, W)
        np.testing.assert_allclose(forward, reverse, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(forward, numeric_jacobian(loop_and_branch, (x, W), wrt),
                                   rtol=1e-6, atol=1e-8)
    both = s2sad.jacrev(loop_and_branch, wrt=(0, 1))(x, W)
    assert [b.shape for b in both] == [(2, 3), (2, 3, 3)]


def test_structured_arguments_and_results_have_structured_jacobians():
    """As in JAX: a list argument gives a list of blocks, a tuple output a tuple of
    Jacobians (these were refused before)."""
    def f(xs):
        return xs[0] * xs[1]

    a, b = np.array([0.5, -2.0]), np.array([1.5, 3.0])
    for jacobian in (s2sad.jacfwd, s2sad.jacrev):
        da, db = jacobian(f)([a, b])
        np.testing.assert_allclose(da, numeric_jacobian(lambda a: f([a, b]), (a,), 0))
        np.testing.assert_allclose(db, numeric_jacobian(lambda b: f([a, b]), (b,), 0))
        first, second = jacobian(lambda x: (x, 2 * x))(a)
        np.testing.assert_allclose(first, np.eye(2))
        np.testing.assert_allclose(second, 2 * np.eye(2))


def two_results(x):
    return np.sin(x), np.sum(x)


@pytest.mark.parametrize("jacobian", [s2sad.jacfwd, s2sad.jacrev,
                                      lambda f: s2sad.jacfwd(f, vectorized=False)])
def test_a_function_with_several_results_has_a_jacobian_per_result(jacobian):
    x = np.array([0.1, 0.2])
    found = jacobian(two_results)(x)
    assert isinstance(found, tuple) and len(found) == 2
    for k in range(2):
        expected = numeric_jacobian(lambda x, k=k: two_results(x)[k], (x,), 0)
        np.testing.assert_allclose(found[k], expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("jacobian", [s2sad.jacfwd, s2sad.jacrev])
def test_a_result_not_made_of_numbers_is_a_clear_error(jacobian):
    with pytest.raises(TypeError, match="made of arrays and numbers.*has_aux=True"):
        jacobian(lambda x: (np.sin(x), "label"))(np.array([0.1, 0.2]))
