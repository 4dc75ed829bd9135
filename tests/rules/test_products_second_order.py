"""Second and third derivatives of np.prod, np.nanprod, np.cumprod and math.prod against
closed forms and central differences of the gradient, at inputs with no zero, one zero and
several zeros (where a derivative computed by dividing would be NaN).

The Hessian of ``prod(x)`` is ``H_ij = prod_{k != i, j} x_k`` off the diagonal and 0 on
it; the third derivative is ``T_ijk = prod_{l not in {i, j, k}} x_l`` for distinct
``i, j, k`` and 0 elsewhere. For ``sum(w * cumprod(x))``, ``H_jl = sum_{i >= max(j, l)}
w_i prod_{k <= i, k not in {j, l}} x_k`` for ``j != l``.
"""

import itertools
import math

import numpy as np
import pytest

import s2sad

POINTS = {
    "no_zero": np.array([1.5, -2.0, 0.5, 3.0, 0.8]),
    "one_zero": np.array([1.5, -2.0, 0.0, 3.0, 0.8]),
    "two_zeros": np.array([1.5, 0.0, 0.5, 0.0, 0.8]),
    "three_zeros": np.array([0.0, 0.0, 0.5, 0.0, 0.8]),
}
WEIGHTS = np.array([1.0, -2.0, 0.5, 3.0, -0.7])
DIRECTION = np.array([0.3, -1.0, 2.0, 0.5, -0.4])


def product(x):
    return np.prod(x)


def product_method(x):
    return x.prod() * 2.0


def product_of_sequence(x):
    return math.prod([x[0], x[1], x[2], x[3], x[4]])


def product_of_an_array(x):
    return math.prod(x)


def product_ignoring_nan(x):
    return np.nanprod(x)


def running_products(x):
    return np.sum(np.cumprod(x) * WEIGHTS)


def column_products(x):
    m = np.reshape(np.concatenate([x, x[::-1] * 0.5 + 1.0]), (2, 5))
    return np.sum(np.prod(m, axis=0) * WEIGHTS)


def running_products_by_rows(x):
    m = np.reshape(np.concatenate([x, x[::-1] * 0.5 + 1.0]), (2, 5))
    return np.sum(np.cumprod(m, axis=1) * WEIGHTS) + np.sum(np.cumprod(m.T, axis=0)[-1] ** 2)


def products_of_rows_and_items(x):
    m = np.reshape(np.concatenate([x, x[::-1] * 0.5 + 1.0]), (2, 5))
    return (np.sum(math.prod(m, start=2.0) ** 2)
            + np.sum(math.prod([x[:2], 3.0, x[2], np.reshape(x[3:], (2, 1))])))


def product_with_initial(x):
    return np.prod(x[1:], initial=x[0]) + np.prod(x[:3], where=np.array([True, False, True]))


def prod_hessian(x):
    n = len(x)
    return np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(n)]
                     for i in range(n)])


def cumprod_hessian(x, w):
    n = len(x)
    h = np.zeros((n, n))
    for j, k in itertools.permutations(range(n), 2):
        for i in range(max(j, k), n):
            h[j, k] += w[i] * np.prod([x[m] for m in range(i + 1) if m not in (j, k)])
    return h


def differences_of_the_gradient(function, x, v, eps=1e-5):
    gradient = s2sad.grad(function)
    return (gradient(x + eps * v) - gradient(x - eps * v)) / (2 * eps)


@pytest.mark.parametrize("point", POINTS, ids=str)
@pytest.mark.parametrize("function", [product, product_method, product_of_sequence,
                                      product_of_an_array, product_ignoring_nan],
                         ids=lambda f: f.__name__)
def test_hessian_of_a_product_is_the_closed_form(function, point):
    x = POINTS[point]
    scale = 2.0 if function is product_method else 1.0
    expected = scale * prod_hessian(x)
    np.testing.assert_allclose(s2sad.hessian(function)(x), expected, rtol=1e-12, atol=1e-14)
    product_along = s2sad.hvp(function)(x, DIRECTION)
    np.testing.assert_allclose(product_along, expected @ DIRECTION, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(product_along, differences_of_the_gradient(function, x, DIRECTION),
                               rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("point", POINTS, ids=str)
def test_hessian_of_running_products_is_the_closed_form(point):
    x = POINTS[point]
    expected = cumprod_hessian(x, WEIGHTS)
    np.testing.assert_allclose(s2sad.hessian(running_products)(x), expected, atol=1e-13)
    np.testing.assert_allclose(s2sad.hvp(running_products)(x, DIRECTION), expected @ DIRECTION,
                               atol=1e-13)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(running_products))(x), expected,
                               atol=1e-13)
    np.testing.assert_allclose(
        s2sad.hvp(running_products)(x, DIRECTION),
        differences_of_the_gradient(running_products, x, DIRECTION), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("point", POINTS, ids=str)
@pytest.mark.parametrize("function", [column_products, running_products_by_rows,
                                      products_of_rows_and_items, product_with_initial],
                         ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences(function, point):
    x = POINTS[point]
    eps = 1e-6
    numeric = [(function(x + eps * e) - function(x - eps * e)) / (2 * eps) for e in np.eye(5)]
    np.testing.assert_allclose(s2sad.grad(function)(x), numeric, rtol=1e-7, atol=1e-8)
    product_along = s2sad.hvp(function)(x, DIRECTION)
    np.testing.assert_allclose(product_along, differences_of_the_gradient(function, x, DIRECTION),
                               rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(function))(x) @ DIRECTION,
                               product_along, rtol=1e-12, atol=1e-13)


def test_hessian_of_column_products_is_the_closed_form_per_column():
    m = np.array([[1.5, 0.0, 0.5, 2.0], [0.0, 0.0, 3.0, -1.0], [2.0, 0.0, 1.0, 0.5]])
    w = np.array([1.0, -2.0, 0.5, 3.0])

    def weighted(a):
        return np.sum(np.prod(a, axis=0) * w)

    hessian = s2sad.hessian(weighted)(m)
    for j in range(4):
        expected = w[j] * prod_hessian(m[:, j])
        np.testing.assert_allclose(hessian[:, j, :, j], expected, atol=1e-14)
        others = [k for k in range(4) if k != j]
        assert not np.any(hessian[:, j][:, :, others])


gradient_of_product = s2sad.grad(product)
gradient_of_running_products = s2sad.grad(running_products)


def product_third(x):
    return np.dot(gradient_of_product(x), DIRECTION)


def running_products_third(x):
    return np.dot(gradient_of_running_products(x), DIRECTION)


@pytest.mark.parametrize("point", ["no_zero", "one_zero", "two_zeros"], ids=str)
def test_third_derivative_of_a_product_is_the_closed_form(point):
    """The Hessian of ``grad(prod) . v`` is the third derivative contracted with ``v``,
    by forward over reverse over reverse and by reverse over reverse over reverse."""
    x = POINTS[point]
    expected = np.zeros((5, 5))
    for i, j, k in itertools.permutations(range(5), 3):
        expected[i, j] += DIRECTION[k] * np.prod(np.delete(x, [i, j, k]))
    np.testing.assert_allclose(s2sad.hessian(product_third)(x), expected, atol=1e-14)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(product_third))(x), expected,
                               atol=1e-14)


def test_third_derivative_of_running_products_against_differences():
    x = POINTS["two_zeros"]
    eps = 1e-5
    hessian = s2sad.hessian(running_products)
    numeric = (hessian(x + eps * DIRECTION) - hessian(x - eps * DIRECTION)) / (2 * eps)
    np.testing.assert_allclose(s2sad.hessian(running_products_third)(x), numeric,
                               rtol=1e-7, atol=1e-8)
