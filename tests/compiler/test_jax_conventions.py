"""JAX's names and behaviour where s2sad offers the same thing, and the callables people
pass, against closed forms and finite differences."""

import functools

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

X = np.array([0.5, 1.5, -0.25])
Y = np.array([2.0, -1.0, 0.75])


def weighted(x, y):
    return np.sum(x * y ** 2)


def test_argnums_is_wrt():
    np.testing.assert_allclose(s2sad.grad(weighted, argnums=1)(X, Y), 2 * X * Y)
    gx, gy = s2sad.grad(weighted, argnums=(0, 1))(X, Y)
    np.testing.assert_allclose(gx, Y ** 2)
    np.testing.assert_allclose(gy, 2 * X * Y)
    np.testing.assert_allclose(s2sad.grad(argnums=1)(weighted)(X, Y), 2 * X * Y)
    np.testing.assert_allclose(s2sad.jacrev(weighted, argnums=1)(X, Y), 2 * X * Y)
    np.testing.assert_allclose(s2sad.hessian(weighted, argnums=1)(X, Y), np.diag(2 * X))
    with pytest.raises(TypeError, match="wrt or argnums"):
        s2sad.grad(weighted, wrt=0, argnums=1)


def with_aux(x, y):
    h = np.tanh(x * y)
    return np.sum(h ** 2), {"h": h, "count": 3, "name": "layer"}


def test_has_aux():
    h = np.tanh(X * Y)
    gradient, aux = s2sad.grad(with_aux, has_aux=True)(X, Y)
    np.testing.assert_allclose(gradient, 2 * h * (1 - h ** 2) * Y, rtol=1e-12)
    np.testing.assert_array_equal(aux["h"], h)
    assert aux["count"] == 3 and aux["name"] == "layer"
    (value, aux), (gx, gy) = s2sad.value_and_grad(with_aux, argnums=(0, 1), has_aux=True)(X, Y)
    assert value == pytest.approx(np.sum(h ** 2))
    np.testing.assert_allclose(gy, 2 * h * (1 - h ** 2) * X, rtol=1e-12)
    with pytest.raises(TypeError, match="returning a pair"):
        s2sad.grad(weighted, has_aux=True)(X, Y)


def test_holomorphic_with_aux():
    def f(z):
        return z ** 3, z

    gradient, aux = s2sad.grad(f, has_aux=True, holomorphic=True)(1.0 + 2.0j)
    assert gradient == pytest.approx(3 * (1.0 + 2.0j) ** 2) and aux == 1.0 + 2.0j


def structured(x, y):
    return {"a": np.sin(x) * y, "b": [np.sum(x * y), x ** 2]}


@pytest.mark.parametrize("jacobian", [s2sad.jacfwd, s2sad.jacrev,
                                      functools.partial(s2sad.jacfwd, vectorized=False)])
def test_jacobians_of_dict_and_tuple_outputs(jacobian):
    found = jacobian(structured, wrt=(0, 1))(X, Y)  # dicts and lists of arrays
    np.testing.assert_allclose(found["a"][0], np.diag(np.cos(X) * Y), rtol=1e-12)
    np.testing.assert_allclose(found["a"][1], np.diag(np.sin(X)), rtol=1e-12)
    np.testing.assert_allclose(found["b"][0][0], Y)
    np.testing.assert_allclose(found["b"][0][1], X)
    np.testing.assert_allclose(found["b"][1][0], np.diag(2 * X))
    np.testing.assert_allclose(found["b"][1][1], np.zeros((3, 3)))


def cubic(x, y):
    return np.sum(x ** 2 * y) + np.sum(y ** 3)


def test_hessian_with_respect_to_two_arguments():
    (hxx, hxy), (hyx, hyy) = s2sad.hessian(cubic, wrt=(0, 1))(X, Y)
    np.testing.assert_allclose(hxx, np.diag(2 * Y))
    np.testing.assert_allclose(hxy, np.diag(2 * X))
    np.testing.assert_allclose(hyx, np.diag(2 * X))
    np.testing.assert_allclose(hyy, np.diag(6 * Y))


@pytest.mark.parametrize("make", [s2sad.grad, s2sad.value_and_grad, s2sad.jacfwd,
                                  s2sad.jacrev, s2sad.hessian, s2sad.hvp])
def test_every_returned_function_wraps_its_primal(make):
    made = make(cubic)
    assert made.__wrapped__ is cubic
    assert made.__name__.startswith("cubic_") and made.__doc__ == cubic.__doc__


class Model:
    def __init__(self):
        self.w = np.array([1.0, 2.0, 3.0])

    def loss(self, x):
        return np.sum(self.w * x ** 2)

    def __call__(self, x):
        return np.sum(self.w * np.sin(x))


def test_bound_methods_and_callable_objects():
    model = Model()
    np.testing.assert_allclose(s2sad.grad(model.loss)(X), 2 * model.w * X)
    np.testing.assert_allclose(s2sad.grad(model)(X), model.w * np.cos(X))
    np.testing.assert_allclose(s2sad.jacfwd(model.loss)(X), 2 * model.w * X)
    _, tangent = s2sad.jvp(model.loss, (X,), (Y,))
    assert tangent == pytest.approx(np.dot(2 * model.w * X, Y))


def logged(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return 2.0 * function(*args, **kwargs)
    return wrapper


@logged
def doubled_cube(x):
    return np.sum(x ** 3)


def test_a_wraps_decorated_function_is_differentiated_as_it_runs():
    """The wrapper's code runs (it doubles), not the wrapped function's alone."""
    np.testing.assert_allclose(s2sad.grad(doubled_cube)(X), 6 * X ** 2)


def star(*xs):
    return np.sum(xs[0] * np.sin(xs[1]))


def test_top_level_star_args():
    np.testing.assert_allclose(s2sad.grad(star)(X, Y), np.sin(Y))
    g0, g1 = s2sad.grad(star, wrt=(0, 1))(X, Y)
    np.testing.assert_allclose(g1, X * np.cos(Y))
    value, g1 = s2sad.value_and_grad(star, wrt=1)(X, Y)
    np.testing.assert_allclose(g1, X * np.cos(Y))
    np.testing.assert_allclose(s2sad.grad(functools.partial(star, X))(Y), X * np.cos(Y))
    np.testing.assert_allclose(s2sad.jacfwd(star)(X, Y), np.sin(Y))
    with pytest.raises(TypeError, match=r"\*args positions"):
        s2sad.hvp(star)(X, Y, X)


LOSSES = {
    "square": lambda x: np.sum(x ** 2),
    "cube": lambda x: np.sum(x ** 3)}
ACTIVATIONS = [lambda x: np.sum(np.sin(x)),
               lambda x: np.sum(np.tanh(x))]


def test_lambdas_inside_literals_spanning_lines():
    np.testing.assert_allclose(s2sad.grad(LOSSES["square"])(X), 2 * X)
    np.testing.assert_allclose(s2sad.grad(LOSSES["cube"])(X), 3 * X ** 2)
    np.testing.assert_allclose(s2sad.grad(ACTIVATIONS[0])(X), np.cos(X))
    np.testing.assert_allclose(s2sad.grad(ACTIVATIONS[1])(X), 1 - np.tanh(X) ** 2)
    check_grads(LOSSES["cube"], (X,))


def holomorphic_cubic(z):
    return np.sum(z ** 3 * np.sin(z[0]))


def test_holomorphic_hessian_against_differences_of_the_derivative():
    z = np.array([1.0 + 0.5j, -0.3 + 2.0j])

    def derivative(z):  # f'(z), by hand
        found = 3 * z ** 2 * np.sin(z[0])
        found[0] += np.sum(z ** 3) * np.cos(z[0])
        return found

    eps = 1e-6
    expected = np.stack([(derivative(z + eps * e) - derivative(z - eps * e)) / (2 * eps)
                         for e in np.eye(2)], axis=-1)
    found = s2sad.hessian(holomorphic_cubic, holomorphic=True)(z)
    np.testing.assert_allclose(found, expected, rtol=1e-8, atol=1e-8)

    def q(x, y):
        return x ** 2 * y

    (hxx, hxy), (hyx, hyy) = s2sad.hessian(q, wrt=(0, 1), holomorphic=True)(1 + 1j, 2 - 1j)
    assert (hxx, hxy, hyx, hyy) == (4 - 2j, 2 + 2j, 2 + 2j, 0)
    with pytest.raises(TypeError, match="complex"):
        s2sad.hessian(q, holomorphic=True)(1.0, 2.0)


def test_vjp_with_aux():
    out, f_vjp, aux = s2sad.vjp(with_aux, X, Y, has_aux=True)
    h = np.tanh(X * Y)
    assert out == pytest.approx(np.sum(h ** 2)) and aux["name"] == "layer"
    gx, gy = f_vjp(2.0)
    np.testing.assert_allclose(gx, 4 * h * (1 - h ** 2) * Y, rtol=1e-12)
    np.testing.assert_allclose(gy, 4 * h * (1 - h ** 2) * X, rtol=1e-12)
