"""JAX's conventions for Jacobians of trees, ``has_aux`` in ``jvp``, ``jacfwd`` and
``jacrev``, ``*args`` positions, and derivatives with respect to an object's fields,
against central differences and closed forms."""

import dataclasses
import functools
from typing import NamedTuple

import numpy as np
import pytest

import s2sad

X = np.array([0.5, 1.5, -0.25])
Y = np.array([2.0, -1.0, 0.75])
JACOBIANS = [s2sad.jacfwd, s2sad.jacrev, functools.partial(s2sad.jacfwd, vectorized=False)]
IDS = ["jacfwd", "jacrev", "jacfwd-columns"]


def differences(f, x, eps=1e-6):
    """The Jacobian of ``f`` (array to array) at ``x`` by central differences."""
    x = np.asarray(x, dtype=float)
    columns = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps))
    found = np.stack(columns, axis=-1)
    return found.reshape(found.shape[:-1] + x.shape)


def close(found, expected):
    np.testing.assert_allclose(found, expected, rtol=1e-7, atol=1e-9)


def layers(x, y):
    return ({"h": np.tanh(x * y), "s": np.sum(x ** 2)}, [np.sin(x) * y[0]])


@pytest.mark.parametrize("jacobian", JACOBIANS, ids=IDS)
def test_a_tuple_of_dicts_and_lists_gives_jacobians_of_that_structure(jacobian):
    found = jacobian(layers, wrt=(0, 1))(X, Y)
    assert isinstance(found, tuple) and isinstance(found[0], dict)
    assert isinstance(found[1], list)
    parts = [lambda x, y: layers(x, y)[0]["h"], lambda x, y: layers(x, y)[0]["s"],
             lambda x, y: layers(x, y)[1][0]]
    blocks = [found[0]["h"], found[0]["s"], found[1][0]]
    for part, (dx, dy) in zip(parts, blocks):
        close(dx, differences(functools.partial(lambda x, part: part(x, Y), part=part), X))
        close(dy, differences(functools.partial(lambda y, part: part(X, y), part=part), Y))
    single = jacobian(layers)(X, Y)  # wrt=0: a block per leaf, not a tuple
    close(single[0]["h"], blocks[0][0])


class Polar(NamedTuple):
    radius: np.ndarray
    angle: float


@dataclasses.dataclass
class Stats:
    mean: float
    spread: np.ndarray


@pytest.mark.parametrize("jacobian", JACOBIANS, ids=IDS)
def test_named_tuple_and_dataclass_results(jacobian):
    def f(x):
        return Polar(np.sqrt(x ** 2 + 1.0), np.sum(np.arctan(x))), Stats(np.mean(x), x ** 3)

    polar, stats = jacobian(f)(X)
    assert isinstance(polar, Polar) and isinstance(stats, Stats)
    close(polar.radius, np.diag(X / np.sqrt(X ** 2 + 1.0)))
    close(polar.angle, 1.0 / (1.0 + X ** 2))
    close(stats.mean, np.full(3, 1 / 3))
    close(stats.spread, np.diag(3 * X ** 2))


def with_aux(x, y):
    h = np.tanh(x * y)
    return h * y, {"h": h, "count": 3, "name": "layer"}


def test_jvp_with_aux_returns_the_triple():
    out, tangent, aux = s2sad.jvp(with_aux, (X, Y), (Y, X), has_aux=True)
    h = np.tanh(X * Y)
    close(out, h * Y)
    eps = 1e-6
    expected = (with_aux(X + eps * Y, Y + eps * X)[0]
                - with_aux(X - eps * Y, Y - eps * X)[0]) / (2 * eps)
    close(tangent, expected)
    np.testing.assert_array_equal(aux["h"], h)
    assert aux["count"] == 3 and aux["name"] == "layer"
    with pytest.raises(TypeError, match="returning a pair"):
        s2sad.jvp(lambda x: np.sin(x), (X,), (Y,), has_aux=True)


@pytest.mark.parametrize("jacobian", JACOBIANS, ids=IDS)
def test_jacobians_with_aux(jacobian):
    (dx, dy), aux = jacobian(with_aux, wrt=(0, 1), has_aux=True)(X, Y)
    close(dx, differences(lambda x: with_aux(x, Y)[0], X))
    close(dy, differences(lambda y: with_aux(X, y)[0], Y))
    assert aux["name"] == "layer"
    np.testing.assert_array_equal(aux["h"], np.tanh(X * Y))
    with pytest.raises(TypeError, match="returning a pair"):
        jacobian(lambda x: np.sin(x), has_aux=True)(X)
    with pytest.raises(TypeError, match="returning a pair"):
        jacobian(lambda x: (np.sin(x), x, x), has_aux=True)(X)


def star(a, *xs):
    return a * xs[0] * np.sin(xs[1])


@pytest.mark.parametrize("jacobian", JACOBIANS, ids=IDS)
def test_jacobians_with_respect_to_star_args_positions(jacobian):
    close(jacobian(star, wrt=2)(X, Y, X), differences(lambda z: star(X, Y, z), X))
    d0, d2, d1 = jacobian(star, argnums=(0, 2, 1))(X, Y, X)
    close(d0, differences(lambda a: star(a, Y, X), X))
    close(d1, differences(lambda y: star(X, y, X), Y))
    close(d2, differences(lambda z: star(X, Y, z), X))
    bound = functools.partial(star, X)  # the partial's positions count what it leaves
    close(jacobian(bound, wrt=1)(Y, X), differences(lambda z: star(X, Y, z), X))
    whole = jacobian(star, wrt="xs")(X, Y, X)  # the whole *args tuple
    assert isinstance(whole, tuple) and len(whole) == 2
    close(whole[1], d2)


def scalar_star(a, *xs):
    return np.sum(a * xs[0] * np.sin(xs[1]))


def test_hessian_with_respect_to_star_args_positions():
    close(s2sad.hessian(scalar_star, wrt=2)(X, Y, X), np.diag(-X * Y * np.sin(X)))
    (h11, h12), (h21, h22) = s2sad.hessian(scalar_star, wrt=(1, 2))(X, Y, X)
    close(h11, np.zeros((3, 3)))
    close(h12, np.diag(X * np.cos(X)))
    close(h21, np.diag(X * np.cos(X)))
    close(h22, np.diag(-X * Y * np.sin(X)))


@dataclasses.dataclass
class Model:
    w: np.ndarray
    b: float

    def loss(self, x):
        return np.sum(self.w * np.tanh(x)) + self.b * np.sum(x ** 2)

    def predict(self, x):
        return self.w * np.sin(x) + self.b


class Frozen(NamedTuple):
    w: np.ndarray
    b: float

    def loss(self, x):
        return np.sum(self.w * np.tanh(x)) + self.b * np.sum(x ** 2)


@pytest.mark.parametrize("kind", [Model, Frozen])
def test_gradient_with_respect_to_the_objects_fields(kind):
    model = kind(np.array([1.0, -2.0, 0.5]), 0.3)
    found = s2sad.grad(kind.loss)(model, X)
    assert isinstance(found, kind)
    close(found.w, np.tanh(X))
    assert found.b == pytest.approx(np.sum(X ** 2))
    by_object, by_x = s2sad.grad(kind.loss, wrt=(0, 1))(model, X)
    close(by_x, s2sad.grad(model.loss)(X))  # the bound method: the explicit arguments
    close(by_x, model.w * (1 - np.tanh(X) ** 2) + 2 * model.b * X)


def test_jacobian_with_respect_to_the_objects_fields():
    model = Model(np.array([1.0, -2.0, 0.5]), 0.3)
    for jacobian in JACOBIANS:
        found = jacobian(Model.predict)(model, X)
        assert isinstance(found, Model)
        close(found.w, np.diag(np.sin(X)))
        close(found.b, np.ones(3))


def test_a_bound_method_with_respect_to_self_points_to_the_function_and_object():
    model = Model(np.array([1.0, -2.0, 0.5]), 0.3)
    for make in (s2sad.grad, s2sad.jacrev):
        with pytest.raises(ValueError, match=r"Model\.loss, wrt=0\)\(model, \.\.\.\)"):
            make(model.loss, wrt="self")


SCALE = np.array([1.0, 2.0, 3.0])


def scaled(x, *, scale=SCALE):
    return scale * np.sin(x)


@pytest.mark.parametrize("jacobian", JACOBIANS, ids=IDS)
def test_with_respect_to_a_keyword_only_parameter_left_to_its_default(jacobian):
    close(jacobian(scaled, wrt="scale")(X), np.diag(np.sin(X)))
    close(jacobian(scaled, wrt="scale")(X, scale=Y), np.diag(np.sin(X)))
