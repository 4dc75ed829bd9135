"""np.polyval, np.correlate, np.vander, np.linspace (active end points), np.meshgrid,
np.ediff1d, np.percentile and np.quantile, np.cov and np.corrcoef, and np.gradient
differentiated twice: gradients and tangents against central differences,
Hessian-vector products (forward over reverse) against central differences of the
gradient and against reverse over reverse, and forward Jacobians; what has no derivative
refused at the user's line."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError
from tests.rules.second_order_checks import (
    check_first_order,
    check_hessian_vector_products,
    differences,
)

POINT = np.array([0.35, 1.2, -0.7, 0.9, 1.45, -0.3])
DIRECTION = np.array([0.3, -1.0, 0.6, 0.5, -0.4, 0.8])


def polynomials(x):
    return (np.sum(np.polyval(x[:4] ** 2, np.sin(x)) ** 2) + np.polyval(x, x[0]) ** 2
            + np.sum(np.polyval([1.0, 2.0, x[1]], x) ** 3))


def correlations(x):
    total = 0.0
    for mode in ("valid", "same", "full"):
        total = (total + np.sum(np.correlate(x ** 2, np.sin(x[:3]), mode) ** 2)
                 + np.sum(np.correlate(x[:2], x ** 3, mode) ** 2))
    return total


def vandermonde(x):
    return (np.sum(np.vander(x[:4] ** 2) ** 2)
            + np.sum(np.vander(x, 3, increasing=True) @ x[:3]) ** 2)


def spaced(x):
    a = np.linspace(x[0], x[1] ** 2, 5)
    b = np.linspace(x[:2], x[2:4] * x[4], 4, axis=1, endpoint=False)
    return np.sum(a ** 3) + np.sum(b ** 2 * np.arange(4.0)) + np.sum(np.linspace(0.0, x[5], 3))


def grids(x):
    u, v = np.meshgrid(x[:3] ** 2, np.sin(x[3:]))
    p, q, r = np.meshgrid(x[:2], x[2:5], x[5:] ** 2, indexing="ij", sparse=True)
    return np.sum((u * v) ** 2) + np.sum(u ** 3) + np.sum((p * q + r) ** 2)


def steps(x):
    m = np.reshape(x, (2, 3))
    return (np.sum(np.ediff1d(m ** 2) ** 3)
            + np.sum(np.ediff1d(x, to_begin=x[0] ** 2, to_end=[x[1], 2.0]) ** 2))


def quantiles(x):
    m = np.reshape(x ** 3, (2, 3))
    return (np.quantile(x ** 2, 0.3) ** 2 + np.sum(np.percentile(m, [20.0, 75.0], axis=1) ** 3)
            + np.sum(np.quantile(np.sin(x), 0.6, keepdims=True) * x))


def covariances(x):
    m = np.reshape(x, (2, 3))
    return (np.sum(np.cov(m ** 2) ** 2) + np.sum(np.cov(m, rowvar=False, bias=True) * m[0])
            + np.cov(x, ddof=2) ** 2 + np.sum(np.corrcoef(np.vstack([m, np.sin(m[0])])) ** 3)
            + np.sum(np.corrcoef(m.T, rowvar=False) * m[1, :2]))


def slopes(x):
    m = np.reshape(x, (2, 3))
    gy, gx = np.gradient(m ** 2, 0.5, 2.0)
    return (np.sum(np.gradient(x ** 3) ** 2) + np.sum(gy * gx) + np.sum(np.gradient(
        np.sin(x), 0.3, edge_order=2) ** 2) + np.sum(np.gradient(m ** 3, axis=-1) ** 2))


FUNCTIONS = [polynomials, correlations, vandermonde, spaced, grids, steps, quantiles,
             covariances, slopes]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_first_order_in_both_modes_against_differences(function):
    check_first_order(function, POINT, DIRECTION, atol=1e-7, jacfwd=True)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences_of_the_gradient(function):
    check_hessian_vector_products(function, POINT, DIRECTION, atol=1e-7, exact_atol=1e-11)


def test_hessian_of_a_polynomial_in_its_coefficients_is_the_closed_form():
    """``polyval(p, t) ** 2`` in ``p`` has Hessian ``2 w w^T``, ``w = t ** (n - 1 - i)``."""

    def squared(p):
        return np.polyval(p, 0.7) ** 2

    w = 0.7 ** np.arange(5.0, -1.0, -1.0)
    np.testing.assert_allclose(s2sad.hessian(squared)(POINT), 2 * np.outer(w, w), atol=1e-13)


def two_dimensional_coefficients(x):
    return np.sum(np.polyval(np.reshape(x, (3, 2)), 0.5))


def with_step(x):
    values, step = np.linspace(x[0], x[1], 4, retstep=True)
    return np.sum(values) * step


def rounded(x):
    return np.sum(np.linspace(x[0], x[1], 4, dtype=int) * x[2])


def nearest(x):
    return np.percentile(x, 30.0, method="nearest")


def weighted_cov(x):
    return np.sum(np.cov(np.reshape(x, (2, 3)), aweights=[1.0, 2.0, 1.0]))


def coordinates(x):
    return np.sum(np.gradient(x ** 2, np.cumsum(np.ones(6))) ** 2)


@pytest.mark.parametrize("function, words", [
    (two_dimensional_coefficients, "np.polyval differentiates one-dimensional coefficients"),
    (with_step, "np.linspace with retstep=True"),
    (nearest, "np.percentile and np.quantile with method='nearest' have no derivative"),
    (weighted_cov, "np.cov and np.corrcoef with aweights= have no derivative"),
    (coordinates, "np.gradient with coordinate arrays has no reverse derivative"),
], ids=["polyval_2d", "linspace_retstep", "percentile_nearest", "cov_aweights",
        "gradient_coordinates"])
def test_what_has_no_derivative_is_refused_at_the_users_line(function, words):
    with pytest.raises(NotImplementedError) as raised:
        s2sad.grad(function)(POINT)
    message = str(raised.value)
    assert "test_series_second_order.py" in message and words in message


def test_integer_points_carry_no_derivative_of_their_end_points():
    expected = np.zeros(6)
    expected[2] = np.sum(np.linspace(POINT[0], POINT[1], 4, dtype=int))
    np.testing.assert_array_equal(s2sad.grad(rounded)(POINT), expected)


def moving_quantile(x):
    return np.quantile(x, x[0] ** 2 * 0.1)


def test_an_active_quantile_level_is_refused_at_the_users_line():
    with pytest.raises(MissingRuleError) as raised:
        s2sad.grad(moving_quantile)(POINT)
    message = str(raised.value)
    assert "test_series_second_order.py" in message and "numpy.quantile" in message
    assert "'q'" in message


def test_a_gradient_along_coordinates_is_right_in_forward_mode():
    numeric = differences(coordinates, POINT)
    _, tangent = s2sad.jvp(coordinates, (POINT,), (DIRECTION,))
    np.testing.assert_allclose(tangent, numeric @ DIRECTION, rtol=1e-6, atol=1e-7)
