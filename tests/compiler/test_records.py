"""Dataclasses and NamedTuples are structured values in both modes: grad and vjp give a
record of gradients, jvp takes a record of tangents; nested, frozen, with array fields."""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError, UnsupportedSyntaxError


@dataclass
class Pair:
    a: float
    b: float


@dataclass(frozen=True)
class Layer:
    w: np.ndarray
    c: float


class Point(NamedTuple):
    x: float
    y: float


class Plain:
    def __init__(self, a):
        self.a = a


def product(p):
    return p.a * p.b * 3.0


def point_product(p):
    return p.x * p.y * 3.0


def layer_loss(layer):
    return np.sum(layer.w ** 2) * layer.c


def nested(items):
    return items[0].a * items[1]["k"].y + items[1]["k"].x ** 2


def twice(p):
    return p.a * p.a + p.a * p.b


def writes(p):
    p.a = 2.0
    return p.a * p.b


def as_point(t):
    return Point(t * 2.0, t * 3.0)


def as_pair(x, y):
    return Pair(b=y, a=x * y)


def built_inside(x):
    p = Pair(x, x * x)
    q = Point(p.b, y=2.0)
    return p.a * q.x + q.y


@dataclass
class Checked:
    a: float

    def __post_init__(self):
        self.a = abs(self.a)


def checked_product(x):
    return Checked(x).a * x


def test_the_tangent_of_a_dataclass_is_read():
    # the reported case: (21.0, 0.0) before; f = 3ab, so J (1, 0) = 3b = 21
    assert s2sad.jvp(product, (Pair(1.0, 7.0),), (Pair(1.0, 0.0),)) == (21.0, 21.0)
    assert s2sad.jvp(product, (Pair(1.0, 7.0),), (Pair(0.0, 1.0),)) == (21.0, 3.0)
    assert s2sad.jvp(point_product, (Point(1.0, 7.0),), (Point(1.0, 0.0),)) == (21.0, 21.0)


@pytest.mark.parametrize("record, function", [(Pair(1.5, 7.0), product),
                                              (Point(1.5, 7.0), point_product)])
def test_grad_and_vjp_give_a_record_of_the_same_type(record, function):
    gradient = s2sad.grad(function)(record)
    assert type(gradient) is type(record)
    assert tuple(vars(gradient).values() if isinstance(gradient, Pair) else gradient) == (
        21.0, 4.5)
    (cotangent,) = s2sad.vjp(function, record)[1](2.0)
    assert type(cotangent) is type(record)
    assert cotangent == type(record)(42.0, 9.0)
    value, gradient = s2sad.value_and_grad(function)(record)
    assert value == pytest.approx(31.5) and gradient == type(record)(21.0, 4.5)


def test_a_field_read_twice_adds_up():
    # d/da (a^2 + ab) = 2a + b, d/db = a
    assert s2sad.grad(twice)(Pair(2.0, 5.0)) == Pair(9.0, 2.0)


def test_frozen_dataclass_with_an_array_field_against_differences():
    layer = Layer(np.array([1.0, -2.0]), 3.0)
    gradient = s2sad.grad(layer_loss)(layer)
    assert type(gradient) is Layer
    np.testing.assert_allclose(gradient.w, 2 * layer.w * layer.c)
    assert gradient.c == pytest.approx(np.sum(layer.w ** 2))
    direction = Layer(np.array([0.3, 0.5]), -0.7)
    h = 1e-6
    moved = [layer_loss(Layer(layer.w + s * h * direction.w, layer.c + s * h * direction.c))
             for s in (1, -1)]
    _, tangent = s2sad.jvp(layer_loss, (layer,), (direction,))
    assert tangent == pytest.approx((moved[0] - moved[1]) / (2 * h), rel=1e-7)
    # the dot-product identity between the modes
    assert tangent == pytest.approx(np.dot(gradient.w, direction.w) + gradient.c * direction.c)


def test_nested_in_lists_and_dicts():
    items = [Pair(1.0, 2.0), {"k": Point(3.0, 4.0)}]
    gradient = s2sad.grad(nested)(items)
    assert gradient == [Pair(4.0, 0.0), {"k": Point(6.0, 1.0)}]
    tangents = [Pair(1.0, 0.0), {"k": Point(0.0, 1.0)}]
    assert s2sad.jvp(nested, (items,), (tangents,)) == (13.0, 5.0)


def test_second_order():
    # f = 3ab: the Hessian is [[0, 3], [3, 0]]
    assert s2sad.hvp(product)(Pair(1.0, 7.0), Pair(1.0, 0.0)) == Pair(0.0, 3.0)


def test_objects_that_are_not_records_and_attribute_writes_are_refused():
    with pytest.raises(TypeError, match="dataclasses and NamedTuples.*from a Plain"):
        s2sad.grad(lambda o: o.a * 3.0)(Plain(2.0))
    with pytest.raises(UnsupportedSyntaxError, match="assignment to an attribute"):
        s2sad.grad(writes)(Pair(1.0, 2.0))
    with pytest.raises(MissingRuleError, match="Checked"):  # __post_init__ may change values
        s2sad.grad(checked_product)(2.0)


def test_a_matrix_in_a_record_is_refused():
    with pytest.raises(TypeError, match=r"argument layer.w is a numpy.matrix"):
        s2sad.grad(layer_loss)(Layer(np.matrix([[1.0, 2.0]]), 1.0))


def test_records_built_in_the_function_and_returned():
    # Point(2t, 3t) with cotangent (1, 1): 2 + 3
    (t_bar,) = s2sad.vjp(as_point, 2.0)[1](Point(1.0, 1.0))
    assert t_bar == 5.0
    value, tangent = s2sad.jvp(as_point, (2.0,), (1.0,))
    assert (value, tangent) == (Point(4.0, 6.0), Point(2.0, 3.0))
    assert type(tangent) is Point
    # Pair(a=xy, b=y), keywords in another order: x_bar = y * 1, y_bar = x * 1 + 1
    assert s2sad.vjp(as_pair, 2.0, 3.0)[1](Pair(1.0, 1.0)) == (3.0, 3.0)
    assert s2sad.jvp(as_pair, (2.0, 3.0), (1.0, 0.0)) == (Pair(6.0, 3.0), Pair(3.0, 0.0))


def test_a_record_built_inside_against_the_closed_form():
    # f = x * x^2 + 2 = x^3 + 2: f' = 3x^2, f'' = 6x
    assert s2sad.grad(built_inside)(3.0) == 27.0
    assert s2sad.hvp(built_inside)(3.0, 1.0) == 18.0
    assert s2sad.jvp(built_inside, (3.0,), (1.0,)) == (29.0, 27.0)


def test_batched_tangents_of_a_record():
    # vector forward mode: K = 2 directions, one per field; f = 3ab gives (3b, 3a)
    tangents = Pair(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    value, tangent = s2sad.jvp(product, (Pair(1.0, 7.0),), (tangents,), batched=True)
    assert value == 21.0
    np.testing.assert_array_equal(tangent, [21.0, 3.0])
    value, tangent = s2sad.jvp(as_point, (2.0,), (np.array([1.0, -1.0]),), batched=True)
    assert type(tangent) is Point
    np.testing.assert_array_equal(tangent.x, [2.0, -2.0])
    np.testing.assert_array_equal(tangent.y, [3.0, -3.0])
