"""A loop records its temporaries once they are defined (no ``None`` before the loop), pops
them where its reversed iteration first reads them, and reads again what it can read again
unchanged (``x[i]`` of an argument never written); the seed of a returned expression is
``y_bar``. Every gradient is checked against central differences."""

import math

import numpy as np
import pytest

import s2sad


def central_gradient(function, args, position, eps=1e-6):
    """The gradient of ``function`` for its argument ``position``, by central differences."""
    value = np.asarray(args[position], dtype=float)
    gradient = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        step = np.zeros_like(value)
        step[index] = eps
        up = list(args)
        down = list(args)
        up[position] = value + step if value.ndim else float(value + step)
        down[position] = value - step if value.ndim else float(value - step)
        gradient[index] = (function(*up) - function(*down)) / (2 * eps)
    return gradient


def recurrence(x):
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = 0.5 * y[i - 1] + np.sin(x[i])
    return np.sum(y * y)


def branch_in_loop(x, n):
    s = np.zeros_like(x)
    for _ in range(n):
        if np.sum(s) < 10.0:
            s = s + x * x
        else:
            s = s * np.cos(x)
    return np.sum(s)


def until_negative(x):
    s = 0.0
    for v in x:
        if v < 0.0:
            break
        s = s + np.sin(v) * v
    return s


def nested(x, W):
    h = x
    for _ in range(3):
        for j in range(2):
            a = W @ h
            h = np.tanh(a + x[j])
        b = h * h
        h = h + 0.1 * b
    return np.sum(h)


def read_after_loop(x, n):
    z = x
    for i in range(n):
        z = x * (i + 1.0)
    return np.sum(z * z)


def scalar_while(x):
    while x < 10.0:
        t = x * x
        x = x + 0.1 * t + 1.0
    return x


def scalar_branches(x, n):
    s = 0.0
    for i in range(n):
        if x > 1.0:
            s = s + math.sqrt(x) * i
        else:
            s = s + x * x
        x = 0.9 * x
    return s


def read_in_inner_loop(x, w):
    s = 0.0
    for i in range(x.shape[0]):
        a = np.sin(x[i]) * w
        for j in range(2):
            s = s * 0.5 + a * (j + 1.0)
    return s


def scalar_read_in_inner_loop(x, w):
    s = 0.0
    for i in range(3):
        a = math.sin(x * i) * w
        for j in range(2):
            s = s * 0.5 + a * (j + 1.0)
        if s > 10.0:
            break
    return s


rng = np.random.default_rng(3)
CASES = [
    (recurrence, (rng.standard_normal(6),), 0),
    (branch_in_loop, (rng.standard_normal(4), 6), 0),
    (until_negative, (np.array([0.5, 1.2, 0.3, -0.2, 0.7]),), 0),
    (until_negative, (np.array([0.5, 1.2, 0.3]),), 0),
    (nested, (rng.standard_normal(3), 0.5 * rng.standard_normal((3, 3))), 1),
    (nested, (rng.standard_normal(3), 0.5 * rng.standard_normal((3, 3))), 0),
    (read_after_loop, (rng.standard_normal(3), 4), 0),
    (scalar_while, (1.5,), 0),
    (scalar_branches, (1.8, 5), 0),
    (read_in_inner_loop, (rng.standard_normal(4), 0.7), 0),
    (read_in_inner_loop, (rng.standard_normal(4), 0.7), 1),
    (scalar_read_in_inner_loop, (0.4, 0.7), 0),
    (scalar_read_in_inner_loop, (0.4, 20.0), 1),
]


@pytest.mark.parametrize("function, args, position", CASES,
                         ids=[f"{c[0].__name__}-{n}" for n, c in enumerate(CASES)])
def test_gradients_of_loops_match_central_differences(function, args, position):
    expected = central_gradient(function, args, position)
    for _ in range(2):  # the first call, then the version for these arguments
        gradient = s2sad.grad(function, wrt=position)(*args)
        np.testing.assert_allclose(gradient, expected, rtol=1e-6, atol=1e-8)
    if function is not until_negative:  # its test is read before what its branch records
        general = s2sad.source(function, wrt=position, general=True)
        assert "= None\n" not in general and ".append(None)" not in general


def test_a_temporary_is_recorded_after_its_definition_and_an_argument_read_again():
    source = s2sad.source(recurrence, args=(np.ones(5),))
    assert "= None" not in source
    forward, reverse = source.split("# reverse sweep")
    # x[i] and i - 1 are read again in the reverse sweep, not recorded
    assert "_tape.append(_t4)" not in forward and "_tape.append(_t7)" not in forward
    assert "x[i]" in reverse and "i - 1" in reverse
    lines = [line.strip() for line in forward.splitlines()]
    pushed = lines.index("_tape.append(_t9)")
    assert lines[pushed - 1].startswith("_t9 = ")  # right after its definition


def test_a_test_in_a_loop_is_bound_by_the_reversed_loop():
    source = s2sad.source(scalar_branches, args=(1.8, 5))
    assert "= None" not in source and "_prev" not in source
    assert "reversed(_t1s)" in source


@pytest.mark.parametrize("function, seed", [
    (lambda x, w: np.sum(np.tanh(w * x)), "y_bar"),
    (lambda x, y: np.sum(x * y), "out_bar"),
    (lambda x, y, out: np.sum(x * y * out), "result_bar"),
])
def test_the_seed_of_a_returned_expression_is_named_like_the_output(function, seed):
    args = (np.array([0.3, -0.4]), np.array([1.2, 0.5]), np.array([0.7, 0.9]))
    args = args[:function.__code__.co_argcount]
    source = s2sad.source(function, wrt=0)
    assert f"{seed}=1.0" in source.splitlines()[0]
    value, pullback = s2sad.vjp(function, *args)
    (x_bar, *_) = pullback(2.5)
    np.testing.assert_allclose(x_bar, 2.5 * central_gradient(function, args, 0), rtol=1e-6)


def test_a_returned_variable_keeps_its_name():
    def f(x):
        y = np.sin(x)
        return y

    assert s2sad.source(f, wrt=0).splitlines()[0] == "def f_adjoint(x, y_bar=1.0):"
