"""A Jacobian differentiated again: ``jacfwd(jacrev(f))``, ``jacrev(jacfwd(f))``, and
derivatives of code that calls ``jacfwd(f)``, checked against central differences of the
Jacobian itself."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError


def cubes(x):
    return np.sum(x ** 3)


def field(x, scale):
    return scale * np.array([np.sin(x[0]) * x[1], x[0] * x[1] ** 2, np.exp(x[2] - x[0])])


def scalar_field(t):
    return np.array([np.sin(t), t ** 3])


def _differences(jacobian, x, h=1e-6):
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        columns.append((jacobian(x + e) - jacobian(x - e)) / (2 * h))
    return np.stack(columns, axis=-1)


X = np.array([0.3, -0.5, 0.8])


@pytest.mark.parametrize("outer", [s2sad.jacfwd, s2sad.jacrev], ids=["jacfwd", "jacrev"])
@pytest.mark.parametrize("inner", [s2sad.jacfwd, s2sad.jacrev], ids=["jacfwd", "jacrev"])
def test_a_jacobian_of_a_jacobian(outer, inner):
    second = outer(inner(lambda x: field(x, 1.5)))
    expected = _differences(inner(lambda x: field(x, 1.5)), X)
    for _ in range(3):
        np.testing.assert_allclose(second(X), expected, rtol=1e-6, atol=1e-8)


def test_the_hessian_of_a_scalar_function_as_nested_jacobians():
    for _ in range(3):
        np.testing.assert_allclose(s2sad.jacfwd(s2sad.jacrev(cubes))(X), np.diag(6 * X))
        np.testing.assert_allclose(s2sad.jacrev(s2sad.jacrev(cubes))(X), np.diag(6 * X))


def test_the_jacobian_with_respect_to_a_later_argument_and_of_a_number():
    second = s2sad.jacfwd(s2sad.jacrev(field, wrt=1), wrt=0)
    expected = _differences(lambda x: s2sad.jacrev(field, wrt=1)(x, 1.5), X)
    np.testing.assert_allclose(second(X, 1.5), expected, rtol=1e-6, atol=1e-8)
    t = 0.4
    np.testing.assert_allclose(s2sad.jacfwd(s2sad.jacfwd(scalar_field))(t),
                               [-np.sin(t), 6 * t])


def first_row_of_the_jacobian(x):
    return np.sum(s2sad.jacfwd(cubes)(x) * x)


def test_the_gradient_of_code_calling_jacfwd():
    for _ in range(3):  # d/dx sum(3 x^2 * x) = 9 x^2
        np.testing.assert_allclose(s2sad.grad(first_row_of_the_jacobian)(X), 9 * X ** 2)


def with_aux(x):
    return np.sin(x), x[0]


def test_what_cannot_be_differentiated_again_says_what_to_use():
    with pytest.raises(S2sadError, match=r"has_aux.*s2sad.hessian\(with_aux\)"):
        s2sad.jacfwd(s2sad.jacrev(with_aux, has_aux=True))(X)
    with pytest.raises(S2sadError, match="a tuple of arguments"):
        s2sad.jacfwd(s2sad.jacrev(field, wrt=(0, 1)))(X, 1.5)
