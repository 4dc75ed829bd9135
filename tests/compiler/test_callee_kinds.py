"""Calls of user functions that keep real values real (``Derivatives.value_kind``): the
caller gets the versions real code gets (for floats, for real arrays of given shapes)
instead of the general version, with the numbers of central differences at every call."""

import numpy as np
import pytest

import s2sad
from s2sad.pipeline import value_kind
from s2sad.testing import check_grads


def rates(u, v, a, b):
    return a * u - b * u * v, b * u * v - a * v


def euler(a, b):
    u, v = 1.0, 0.5
    for _ in range(20):
        du, dv = rates(u, v, a, b)
        u = u + 0.05 * du
        v = v + 0.05 * dv
    return u + v


def nested(u, v):
    return (u * v, u - v), v * v


def uses_nested(a, b):
    (p, q), r = nested(a, b)
    return p * q + r


def squared(x):
    return np.tanh(x) ** 2


def layers(x, w):
    for _ in range(3):
        x = squared(x * w)
    return np.sum(x)


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def uses_power(x):
    return power(x, 3) + x


SCALE = 2.0


def scaled(x):
    return x * SCALE


def uses_global(x):
    y = scaled(x)
    return y * y


def rotated(x, c=1j):
    return x * c


def uses_rotated(x):
    y = rotated(x)
    return (y * y).real


def first(t, x):
    return t[0] * x


def uses_constant_tuple(x):
    t = 2.0, 3.0
    return first(t, x) * x


def _difference(function, args, position, eps=1e-6):
    up, down = list(args), list(args)
    up[position] += eps
    down[position] -= eps
    return (function(*up) - function(*down)) / (2 * eps)


def test_what_callees_make_of_real_values():
    assert value_kind(rates) == "numbers"
    assert value_kind(nested) == "real"  # numbers, but in a nested tuple
    assert value_kind(squared) == "real"
    assert value_kind(power) is None  # reached again while it is analysed
    assert value_kind(scaled) is None  # reads a value from outside
    assert value_kind(np.sin) is None
    assert value_kind(rotated) is None  # its default is complex


def test_a_complex_default_and_a_tuple_passed_on_keep_the_general_rules():
    gradient = s2sad.grad(uses_rotated)
    for _ in range(3):
        assert gradient(1.5) == pytest.approx(_difference(uses_rotated, [1.5], 0))
        assert gradient(1.5) == pytest.approx(-3.0)
    gradient = s2sad.grad(uses_constant_tuple)
    for _ in range(3):
        assert gradient(1.5) == pytest.approx(6.0)


def test_a_float_loop_calling_a_helper_is_float_code():
    gradient = s2sad.grad(euler, wrt=(0, 1))
    text = s2sad.source(euler, wrt=(0, 1), args=(1.1, 0.4))
    assert "isinstance(a, float)" in text
    for helper in ("unbroadcast", "conj", "add("):
        assert helper not in text.split("# reverse sweep")[1]
    for _ in range(3):
        found = gradient(1.1, 0.4)
        assert all(type(g) is float for g in found)
        for position in (0, 1):
            assert found[position] == pytest.approx(
                _difference(euler, [1.1, 0.4], position), rel=1e-7)
    # ints and arrays: other versions, the same numbers
    for _ in range(2):
        found = gradient(np.array(1.1), 0.4)
        assert found[0] == pytest.approx(_difference(euler, [1.1, 0.4], 0), rel=1e-7)


def test_helpers_with_nested_results_and_arrays():
    for _ in range(2):
        check_grads(uses_nested, (0.7, -1.3))
        check_grads(layers, (np.linspace(-1.0, 1.0, 4), np.array([0.5, 1.5, -0.3, 2.0])))
        check_grads(uses_power, (1.3,))


def test_a_helper_reading_a_global_sees_its_value_now():
    global SCALE
    gradient = s2sad.grad(uses_global)
    try:
        for scale in (2.0, 3.0, 3.0):
            SCALE = scale
            assert gradient(1.5) == pytest.approx(2 * 1.5 * scale * scale)
    finally:
        SCALE = 2.0
