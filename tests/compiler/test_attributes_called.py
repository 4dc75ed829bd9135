"""``obj.name(...)`` where the attribute is not a method bound to ``obj``: a static method,
a class method, a function held by the instance (``self.act = np.tanh``), a function
reached through the class (``C.helper``, ``type(self).helper``). Each is differentiated as
a call of what the attribute holds."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


class Losses:
    @staticmethod
    def mse(a, b):
        return np.mean((a - b) ** 2)

    @staticmethod
    def scale(a, b=2.0):
        return a * b

    @staticmethod
    def squares(*xs):
        return sum(v ** 2 for v in xs)

    @classmethod
    def cubes(cls, x):
        return np.sum(x ** 3)

    def loss(self, x):
        return self.mse(x, 1.0) + Losses.cubes(x) + type(self).cubes(x)


class Layer:
    def __init__(self, weights):
        self.weights = weights
        self.activation = np.tanh

    def __call__(self, x):
        return self.activation(self.weights @ x)


def static_through_instance(x, losses):
    return losses.mse(x, np.array([1.0, -1.0]))


def static_with_default(x, losses):
    return np.sum(losses.scale(x))


def static_with_keyword(x, losses):
    return np.sum(losses.scale(x, b=3.0))


def static_with_varargs(x, losses):
    return np.sum(losses.squares(x, 2.0 * x))


def class_method_through_instance(x, losses):
    return losses.cubes(x)


def through_class_and_type(x, losses):
    return losses.loss(x)


def function_held_by_instance(x, layer):
    return np.sum(layer(x))


@pytest.mark.parametrize("f, obj", [
    (static_through_instance, Losses()), (static_with_default, Losses()),
    (static_with_keyword, Losses()), (static_with_varargs, Losses()),
    (class_method_through_instance, Losses()), (through_class_and_type, Losses()),
    (function_held_by_instance, Layer(np.array([[0.5, -1.0], [2.0, 0.3]]))),
], ids=lambda v: getattr(v, "__name__", ""))
def test_an_attribute_called_as_what_it_holds(f, obj):
    for _ in range(3):
        check_grads(f, (np.array([0.3, 0.5]), obj), wrt=(0,))


def test_the_closed_forms():
    x = np.array([0.3, 0.5])
    np.testing.assert_allclose(s2sad.grad(static_with_default)(x, Losses()), [2.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(static_with_varargs)(x, Losses()), 10 * x)
    np.testing.assert_allclose(s2sad.grad(through_class_and_type)(x, Losses()),
                               (x - 1.0) + 6 * x ** 2)
