"""np.linalg.eigvals (of a real symmetric matrix), scipy.linalg.eigh (numpy's eigh rules)
and ndarray.tolist differentiated twice: gradients and tangents against central
differences, Hessian-vector products against central differences of the gradient and
against reverse over reverse; what has no derivative refused at the user's line."""

import numpy as np
import pytest
import scipy.linalg

import s2sad
from tests.rules.second_order_checks import check_first_order, check_hessian_vector_products

POINT = np.array([0.35, 1.2, -0.7, 0.9, 1.45, -0.3])
DIRECTION = np.array([0.3, -1.0, 0.6, 0.5, -0.4, 0.8])


def symmetric(x):
    m = np.outer(x[:4], x[2:]) + np.diag(np.arange(1.0, 5.0) * x[:4])
    return m + m.T


def eigenvalues(x):
    w = np.linalg.eigvals(symmetric(x))
    return np.sum(w ** 3) + np.sum(np.sort(w) * np.arange(4.0)) ** 2


def eigenvalues_batched(x):
    m = np.stack([symmetric(x), symmetric(x[::-1]) * 0.5])
    return np.sum(np.linalg.eigvals(m) ** 4)


def scipy_spectrum(x):
    w, v = scipy.linalg.eigh(symmetric(x))
    upper = scipy.linalg.eigh(symmetric(x) + 0.1, lower=False, eigvals_only=True)
    return np.sum(w ** 3) + np.sum((v ** 2) @ w * np.arange(4.0)) + np.sum(upper ** 2 * x[0])


def items(x):
    flat = (x ** 2).tolist()
    rows = np.reshape(x, (2, 3)).tolist()
    single = np.sum(x[:2] * x[3]).tolist()
    return flat[0] * flat[1] + rows[1][2] ** 3 * rows[0][0] + single ** 2 + sum(flat) ** 2


FUNCTIONS = [eigenvalues, eigenvalues_batched, scipy_spectrum, items]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_first_order_in_both_modes_against_differences(function):
    check_first_order(function, POINT, DIRECTION, atol=1e-6)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences_of_the_gradient(function):
    check_hessian_vector_products(function, POINT, DIRECTION)


def test_the_gradient_of_an_eigenvalue_is_the_outer_product_of_its_vector():
    """``d lambda_i / dA = v_i v_i^T`` at a symmetric ``A``."""
    a = symmetric(POINT)

    def largest(m):
        return np.max(np.linalg.eigvals(m))

    w, v = np.linalg.eigh(a)
    np.testing.assert_allclose(s2sad.grad(largest)(a), np.outer(v[:, -1], v[:, -1]),
                               atol=1e-12)


def unsymmetric(x):
    return np.sum(np.linalg.eigvals(np.reshape(x[:4], (2, 2)) + np.diag([3.0, 0.0])))


def generalized(x):
    return np.sum(scipy.linalg.eigh(symmetric(x), np.eye(4), eigvals_only=True))


def some_eigenvalues(x):
    return np.sum(scipy.linalg.eigh(symmetric(x), subset_by_index=[0, 1])[0])


@pytest.mark.parametrize("function, words", [
    (unsymmetric, "np.linalg.eigvals has a derivative for real symmetric matrices only"),
    (generalized, "scipy.linalg.eigh with b= has no derivative"),
    (some_eigenvalues, "scipy.linalg.eigh with subset_by_index= has no derivative"),
], ids=["eigvals_unsymmetric", "eigh_b", "eigh_subset"])
def test_what_has_no_derivative_is_refused_at_the_users_line(function, words):
    for derivative in (s2sad.grad(function), lambda x: s2sad.jvp(function, (x,), (x,))):
        with pytest.raises(NotImplementedError) as raised:
            derivative(POINT)
        message = str(raised.value)
        assert "test_spectra_and_lists_second_order.py" in message and words in message
