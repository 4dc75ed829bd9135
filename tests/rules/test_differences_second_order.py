"""np.diff, np.convolve, np.interp, np.trapezoid, np.average (weighted) and math.dist
differentiated twice and three times:
Hessian-vector products (forward over reverse) against central differences of the
gradient and against reverse over reverse, every argument with a rule active at once;
np.interp refused, at the user's line, where its knots or end values carry a derivative."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError

KNOTS = np.array([0.0, 0.4, 1.1, 1.9, 2.6, 4.0])
POINT = np.array([0.35, 1.2, -0.7, 0.9, 1.45, -0.3])
DIRECTION = np.array([0.3, -1.0, 0.6, 0.5, -0.4, 0.8])


def differences(x):
    m = np.reshape(x, (2, 3))
    return (np.sum(np.diff(x ** 3, n=2) ** 2) + np.sum(np.diff(m, axis=0) ** 3)
            + np.sum(np.diff(m ** 2, 1, -1, 0.5, x[:2, None]) ** 2))


def convolutions(x):
    total = 0.0
    for mode in ("full", "same", "valid"):
        total = total + np.sum(np.convolve(x ** 2, np.sin(x[:3]), mode) ** 2)
    return total + np.sum(np.convolve(x[:2], x ** 3, "same") ** 2)


def interpolation(x):
    values = np.sin(x[:5]) + np.array([0.0, 1.0, 3.0, 2.0, 0.5, 1.5])[:5]
    ends = np.interp(x ** 2, KNOTS[:5], values, left=-1.0, right=2.0) ** 2
    return np.sum(ends) + np.sum(np.interp(3.0 * x + 0.17, KNOTS, x ** 2, period=3.5) ** 3)


def trapezoids(x):
    m = np.reshape(x, (3, 2))
    return (np.trapezoid(x ** 2, np.cumsum(x ** 2)) + np.trapezoid(m ** 3, dx=x[0], axis=0)[1]
            + np.trapezoid(np.sin(x)) * np.trapezoid(m, x[:3], axis=0)[0])


def averages(x):
    m = np.reshape(x, (2, 3))
    weights = x[:3] ** 2 + 0.5
    mean, total = np.average(m ** 2, axis=1, weights=np.exp(x[3:]), returned=True)
    return (np.sum(np.average(m, axis=1, weights=weights) ** 3) + np.sum(mean * total ** 2)
            + np.average(x ** 3, weights=np.cosh(x)) ** 2
            + np.sum(np.average(m * x[:3], axis=0, weights=x[4:] ** 2, keepdims=True) ** 2)
            + np.average(np.sin(x)) ** 2)


def distances(x):
    near = math.dist([x[0], x[1], x[2]], [x[3], 2.0 * x[4], 0.5])
    return near ** 3 + math.dist((x[5],), (x[0] ** 2,)) * near


FUNCTIONS = [differences, convolutions, interpolation, trapezoids, averages, distances]


def central_differences_of_the_gradient(function, x, v, eps=1e-5):
    gradient = s2sad.grad(function)
    return (gradient(x + eps * v) - gradient(x - eps * v)) / (2 * eps)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences_of_the_gradient(function):
    product = s2sad.hvp(function)(POINT, DIRECTION)
    np.testing.assert_allclose(
        product, central_differences_of_the_gradient(function, POINT, DIRECTION),
        rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(function))(POINT) @ DIRECTION, product,
                               rtol=1e-10, atol=1e-12)


def test_hessian_of_a_second_difference_is_the_closed_form():
    """``sum(diff(x, 2) ** 2)`` is ``|D x|^2`` with ``D`` the second-difference matrix: its
    Hessian is ``2 D^T D``."""

    def roughness(x):
        return np.sum(np.diff(x, 2) ** 2)

    d = np.diff(np.eye(6), 2, axis=0)
    np.testing.assert_allclose(s2sad.hessian(roughness)(POINT), 2 * d.T @ d, atol=1e-13)


def test_hessian_of_an_interpolation_in_its_values_is_the_closed_form():
    """``sum(interp(x0, xp, fp) ** 2)`` in ``fp`` has Hessian ``2 w w^T``, ``w`` the weights
    of the two values around ``x0``."""

    def squared(fp):
        return np.interp(0.7, KNOTS, fp) ** 2

    w = np.zeros(6)
    w[1:3] = [0.4 / 0.7, 0.3 / 0.7]
    np.testing.assert_allclose(s2sad.hessian(squared)(POINT), 2 * np.outer(w, w), atol=1e-13)


def convolved(x):
    return (np.sum(np.convolve(x ** 2, np.sin(x), "same") ** 2)
            + np.sum(np.convolve(x, x ** 3, "valid") ** 2))


gradient_of_convolved = s2sad.grad(convolved)
gradient_of_trapezoids = s2sad.grad(trapezoids)
gradient_of_averages = s2sad.grad(averages)


def convolved_third(x):
    return np.dot(gradient_of_convolved(x), DIRECTION)


def trapezoids_third(x):
    return np.dot(gradient_of_trapezoids(x), DIRECTION)


def averages_third(x):
    return np.dot(gradient_of_averages(x), DIRECTION)


@pytest.mark.parametrize("function, third", [(convolved, convolved_third),
                                             (trapezoids, trapezoids_third),
                                             (averages, averages_third)],
                         ids=["convolutions", "trapezoids", "averages"])
def test_third_derivative_against_differences_of_the_hessian(function, third):
    eps = 1e-5
    hessian = s2sad.hessian(function)
    numeric = (hessian(POINT + eps * DIRECTION) - hessian(POINT - eps * DIRECTION)) / (2 * eps)
    np.testing.assert_allclose(s2sad.hessian(third)(POINT), numeric, rtol=1e-6, atol=1e-7)


def moving_knots(x):
    return np.sum(np.interp(0.5, x, KNOTS))


def moving_end(x):
    return np.sum(np.interp(x, KNOTS, KNOTS, left=x[0]))


@pytest.mark.parametrize("function, argument", [(moving_knots, "xp"), (moving_end, "left")],
                         ids=["xp", "left"])
def test_interp_refuses_a_derivative_through_its_knots_or_end_values(function, argument):
    with pytest.raises(MissingRuleError) as raised:
        s2sad.grad(function)(np.sort(POINT))
    message = str(raised.value)
    assert "test_differences_second_order.py" in message and "numpy.interp" in message
    assert repr(argument) in message
