"""The adjoint of solve's matrix kept as a factored outer product (``RankOne``): it is
the array it stands for wherever it goes, the operations that keep it factored are exact,
and derivatives through it agree with numbers, in both modes and at second order."""

import numpy as np
import pytest

import s2sad
from s2sad.runtime.core import match, unbroadcast
from s2sad.runtime.rank_one import RankOne, outer_columns
from s2sad.testing import check_grads

rng = np.random.default_rng(41)
LEFT, RIGHT = rng.normal(size=3), rng.normal(size=4)
DENSE = np.outer(LEFT, RIGHT)
M = rng.normal(size=(3, 4))

OPERATIONS = [
    ("negation", lambda a: -a), ("scaling", lambda a: 2.5 * a), ("scaled", lambda a: a * 2.5),
    ("product", lambda a: a * M), ("reflected product", lambda a: M * a),
    ("sum", lambda a: a + M), ("difference", lambda a: M - a), ("quotient", lambda a: a / 2.0),
    ("sum of two", lambda a: a + a), ("difference of two", lambda a: a - 2.0 * a),
    ("matrix on the left", lambda a: np.ones((2, 3)) @ a),
    ("matrix on the right", lambda a: a @ np.ones((4, 2))),
    ("vector product", lambda a: np.dot(a, np.ones(4))),
    ("vector on the left", lambda a: np.dot(np.ones(3), a)),
    ("vector product by @", lambda a: a @ np.arange(4.0)),
    ("vector on the left by @", lambda a: np.arange(3.0) @ a),
    ("transpose", lambda a: a.T), ("method", lambda a: a.sum(axis=0)),
    ("indexing", lambda a: a[1:, 2]), ("reduction", lambda a: np.sum(a, axis=1)),
    ("stack", lambda a: np.stack([a, a])), ("shape", lambda a: np.shape(a)),
    ("rows summed", lambda a: unbroadcast(a, np.zeros((3, 1)))),
    ("columns summed", lambda a: unbroadcast(a, np.zeros((1, 4)))),
    ("all summed", lambda a: unbroadcast(a, 0.0)),
    ("rows of a product", lambda a: unbroadcast(a * M, np.zeros((3, 1)))),
    ("columns of a product", lambda a: unbroadcast(a * M, np.zeros((1, 4)))),
    ("everything of a product", lambda a: unbroadcast(a * M, 0.0)),
    ("to a vector", lambda a: unbroadcast(a, np.zeros(4))),
    ("matched", lambda a: match(a, np.zeros((3, 4), np.float32))),
    ("comparison", lambda a: a > 0.1), ("equality", lambda a: a == DENSE),
    ("absolute value", lambda a: abs(a)), ("power", lambda a: a ** 2),
    ("reflected power", lambda a: 2.0 ** a), ("floor division", lambda a: a // 0.3),
]


@pytest.mark.parametrize("operation", [o[1] for o in OPERATIONS], ids=[o[0] for o in OPERATIONS])
def test_a_rank_one_adjoint_is_the_array_it_stands_for(operation):
    got, expected = operation(RankOne(LEFT, RIGHT)), operation(DENSE)
    if isinstance(expected, tuple):
        assert got == expected
        return
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-14, atol=1e-14)


def test_a_rank_one_adjoint_is_unhashable_and_has_no_truth_value_as_an_array():
    with pytest.raises(TypeError, match="unhashable type: 'RankOne'"):
        hash(RankOne(LEFT, RIGHT))
    with pytest.raises(ValueError, match="^The truth value of an array with more than one"):
        bool(RankOne(LEFT, RIGHT))


def test_in_place_updates_form_the_array():
    total = np.ones((3, 4))
    total += RankOne(LEFT, RIGHT)
    np.testing.assert_allclose(total, 1.0 + DENSE, rtol=1e-14)


def test_only_one_column_matrices_stay_factored():
    assert type(outer_columns(LEFT[:, None], RIGHT[:, None])) is RankOne
    stacked = outer_columns(rng.normal(size=(2, 3, 1)), rng.normal(size=(2, 4, 1)))
    assert type(stacked) is np.ndarray and stacked.shape == (2, 3, 4)
    assert type(outer_columns(rng.normal(size=(3, 2)), rng.normal(size=(4, 2)))) is np.ndarray


def solve_loss(A, b):
    return np.sum(np.linalg.solve(A, b) ** 2)


def weighted_newton(c, X):  # the Hessian X^T diag(p) X gets p's adjoint through solve's
    theta = np.zeros(X.shape[1])
    for _ in range(3):
        p = np.exp(X @ theta)
        hess = X.T @ (p[:, None] * X) + np.eye(X.shape[1])
        theta = theta - np.linalg.solve(hess, X.T @ p + theta - c)
    return np.sum(theta ** 2)


A = rng.normal(size=(4, 4)) + 4 * np.eye(4)
b = rng.normal(size=4)
X = 0.3 * rng.normal(size=(20, 3))
c = rng.normal(size=3)


def test_gradients_through_a_factored_adjoint_agree_with_numbers():
    gradient_A, _ = s2sad.grad(solve_loss, wrt=(0, 1))(A, b)
    assert type(gradient_A) is np.ndarray
    x = np.linalg.solve(A, b)
    np.testing.assert_allclose(gradient_A, -np.outer(np.linalg.solve(A.T, 2 * x), x),
                               rtol=1e-12)
    check_grads(solve_loss, (A, b))
    check_grads(weighted_newton, (c, X), wrt=(0, 1))


def test_second_derivatives_through_a_factored_adjoint():
    check_grads(s2sad.grad(solve_loss, wrt=(0, 1)), (A, b), wrt=(0, 1))
    check_grads(s2sad.grad(weighted_newton), (c, X), wrt=(0,))
    hessian = s2sad.hessian(weighted_newton)(c, X)
    gradient = s2sad.grad(weighted_newton)
    step = 1e-6
    for i in range(3):
        up, down = c.copy(), c.copy()
        up[i] += step
        down[i] -= step
        np.testing.assert_allclose(hessian[:, i], (gradient(up, X) - gradient(down, X))
                                   / (2 * step), rtol=1e-6, atol=1e-8)


class Squash:
    """A callable without source, whose rule checks for an array (as a user's may)."""

    def __call__(self, M):
        return np.tanh(M) + 3.0 * np.eye(len(M))


squash = Squash()
seen_types = []


@s2sad.register_vjp(squash)
def squash_M(g, ans, M):
    seen_types.append(type(g))
    return g * (1.0 - np.tanh(M) ** 2) if isinstance(g, np.ndarray) else 0.0 * M


def solve_through_a_rule_of_the_users(M, b):
    return np.sum(np.linalg.solve(squash(M), b) ** 2)


def test_a_rule_of_the_users_gets_an_array_not_a_factored_adjoint():
    M, v = 0.3 * rng.normal(size=(3, 3)), rng.normal(size=3)
    gradient = s2sad.grad(solve_through_a_rule_of_the_users)(M, v)
    assert seen_types and all(t is np.ndarray for t in seen_types)
    step, expected = 1e-6, np.zeros_like(M)
    for index in np.ndindex(M.shape):
        up, down = M.copy(), M.copy()
        up[index] += step
        down[index] -= step
        expected[index] = (solve_through_a_rule_of_the_users(up, v)
                           - solve_through_a_rule_of_the_users(down, v)) / (2 * step)
    np.testing.assert_allclose(gradient, expected, rtol=1e-6, atol=1e-8)


def solve_after_writes(A, b, v):  # the factored adjoint meets in-place writes and a loop
    A = A.copy()
    A[0, 1] = v * A[1, 0]
    x = np.linalg.solve(A, b)
    for k in range(2):
        A[k, k] = A[k, k] + x[k]
        x = np.linalg.solve(A, b)
    return np.sum(x ** 2)


def test_a_factored_adjoint_through_in_place_writes():
    check_grads(solve_after_writes, (A, b, 0.7), wrt=(0, 1, 2))
