"""Rules that hold across SciPy versions.

``scipy.linalg.cho_factor``'s unused triangle holds a copy of ``a`` before SciPy 1.18 and
zeros from 1.18 (unless ``overwrite_a``): derivatives follow what SciPy put there, checked
against central differences of SciPy's own result. ``gammainc`` keeps float32 from 1.18:
its slope does too, and stays differentiable (second derivatives)."""

import numpy as np
import pytest

import s2sad

sl = pytest.importorskip("scipy.linalg")
special = pytest.importorskip("scipy.special")

RNG = np.random.default_rng(11)
_B = RNG.normal(size=(3, 3))
DENSE = _B @ _B.T + 3 * np.eye(3)
DIAGONAL = np.diag([2.0, 3.0, 5.0])  # zeros in both triangles: SciPy's choice decides


def lower_factor(a):
    return sl.cho_factor(a, lower=True)[0]


def upper_factor(a):
    return sl.cho_factor(a)[0]


def lower_factor_overwriting(a):
    return sl.cho_factor(a + 0.0, lower=True, overwrite_a=True)[0]


FUNCTIONS = [lower_factor, upper_factor, lower_factor_overwriting]


def _directional(f, a, v, eps=1e-6):
    return (f(a + eps * v) - f(a - eps * v)) / (2 * eps)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a", [DENSE, DIAGONAL], ids=["dense", "diagonal"])
def test_both_modes_against_differences_of_scipy(f, a):
    v = RNG.normal(size=(3, 3))
    for direction in (v + v.T, np.diag(np.diag(v))):  # symmetric: the factor's convention
        expected = _directional(f, a, direction)
        _, tangent = s2sad.jvp(f, (a.copy(),), (direction,))
        np.testing.assert_allclose(tangent, expected, rtol=1e-6, atol=1e-8)
        weights = RNG.normal(size=(3, 3))
        _, pullback = s2sad.vjp(f, a.copy())
        (adjoint,) = pullback(weights)
        np.testing.assert_allclose(np.sum(adjoint * direction), np.sum(weights * expected),
                                   rtol=1e-6, atol=1e-8)


def test_solve_through_the_factor():
    def f(a, b):
        return np.sum(sl.cho_solve(sl.cho_factor(a, lower=True), b) ** 2)

    b = RNG.normal(size=3)
    g = s2sad.grad(f)(DENSE.copy(), b)
    eps = 1e-6
    for _ in range(3):  # symmetric directions, the convention of Cholesky factors
        v = RNG.normal(size=(3, 3))
        v = v + v.T
        expected = (f(DENSE + eps * v, b) - f(DENSE - eps * v, b)) / (2 * eps)
        np.testing.assert_allclose(np.sum(g * v), expected, rtol=1e-6, atol=1e-9)


def incomplete_gamma_squares(x):
    return np.sum(special.gammainc(2.5, x) ** 2)


def inverse_incomplete_gamma_squares(y):
    return np.sum(special.gammaincinv(1.7, y) ** 2)


@pytest.mark.parametrize("f, x", [
    (incomplete_gamma_squares, np.array([0.5, 1.5, 2.0])),
    (inverse_incomplete_gamma_squares, np.array([0.2, 0.5, 0.7])),
], ids=["gammainc", "gammaincinv"])
def test_incomplete_gamma_second_derivatives_and_precision(f, x):
    grad = s2sad.grad(f)
    eps = 1e-6
    expected = np.stack([(grad(x + eps * e) - grad(x - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(s2sad.hessian(f)(x), expected, rtol=1e-6, atol=1e-8)
    single = x.astype(np.float32)
    value = f(single)
    assert grad(single).dtype == np.float32
    assert np.asarray(value).dtype in (np.float32, np.float64)  # float64 before SciPy 1.18
