"""The conventions that make a version for known shapes read as written by hand: a loop's
bound read where it is used (``range(xs.shape[0])``), ``np.zeros_like`` of a float64
array parameter, an element of zeros assigned where the loop reaches it once, the
parameters' adjoints in parameter order, one statement's adjoint terms in the order the
statement reads them. Each is checked where it applies and where it must not, against
central differences at the version for the arguments' shapes (the second call)."""

import math

import numpy as np
import pytest

import s2sad
from tests.compiler.test_recorded_after import central_gradient


def rnn(xs, W, h):
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h**2)


def read_twice(xs, W):  # xs[t] read twice: its element's adjoint adds two terms
    h = np.zeros(W.shape[0])
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t]) * xs[t]
    return np.sum(h)


def neighbours(xs, W):  # xs[t] and xs[t - 1]: an element is reached by two iterations
    h = np.zeros(W.shape[0])
    for t in range(1, xs.shape[0]):
        h = np.tanh(W @ h + xs[t] - xs[t - 1])
    return np.sum(h**2)


def nested(xs, W):  # the inner loop reaches each element once per outer iteration
    h = np.zeros(W.shape[0])
    for _ in range(2):
        for t in range(xs.shape[0]):
            h = np.sin(W @ h + xs[t])
    return np.sum(h)


def rebound(xs, W):  # xs rebound before the loop: its shape is read as the loop started
    xs = xs[1:] * 2.0
    h = np.zeros(W.shape[0])
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h)


def two_terms(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def softmax_cross_entropy(W, x):  # z rebound; the adjoint of a max and of a sum
    z = W @ x
    z = z - np.max(z)
    p = np.exp(z) / np.sum(np.exp(z))
    return -np.log(p[1])


def layer_norm(x, gamma):  # means: adjoints spread back over x
    xc = x - np.mean(x)
    xhat = xc / np.sqrt(np.mean(xc**2) + 1e-5)
    return np.sum((gamma * xhat - 0.3) ** 2)


CASES = [
    (rnn, (np.linspace(-0.5, 0.5, 12).reshape(4, 3), np.eye(3) * 0.4 + 0.1, np.ones(3) * 0.2)),
    (read_twice, (np.linspace(-0.5, 0.5, 12).reshape(4, 3), np.eye(3) * 0.3 + 0.05)),
    (neighbours, (np.linspace(-0.5, 0.7, 15).reshape(5, 3), np.eye(3) * 0.3 + 0.05)),
    (nested, (np.linspace(-0.5, 0.5, 6).reshape(2, 3), np.eye(3) * 0.3 + 0.05)),
    (rebound, (np.linspace(-0.5, 0.5, 12).reshape(4, 3), np.eye(3) * 0.3 + 0.05)),
    (two_terms, (1.3, 0.7)),
    (softmax_cross_entropy, (np.linspace(-1.0, 1.0, 12).reshape(4, 3), np.array([0.3, -0.2, 0.5]))),
    (layer_norm, (np.array([0.3, -1.2, 0.8, 2.0, -0.1]), np.linspace(0.5, 1.5, 5))),
]


@pytest.mark.parametrize("function, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_gradients_of_the_version_for_the_shapes_against_differences(function, args):
    positions = range(len(args))
    expected = [central_gradient(function, args, p) for p in positions]
    gradient = s2sad.grad(function, wrt=tuple(positions))
    for _ in range(3):  # the first call runs the version for any shapes, then the shaped one
        found = gradient(*args)
        for got, want in zip(found, expected):
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    rng = np.random.default_rng(1)
    tangents = [rng.standard_normal(np.shape(a)) for a in args]
    tangents = [t if np.ndim(a) else float(t) for t, a in zip(tangents, args)]
    want = sum(np.sum(g * t) for g, t in zip(expected, tangents))
    for _ in range(3):
        _, out_dot = s2sad.jvp(function, args, tangents)
        np.testing.assert_allclose(out_dot, want, rtol=1e-6, atol=1e-8)


def source(function, args, mode="reverse", wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else wrt
    return s2sad.source(function, mode=mode, wrt=wrt, args=args)


def statements(text):
    """The lines of ``text`` that are code, stripped (comments quote the primal)."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_the_rnn_reads_as_written_by_hand():
    args = CASES[0][1]
    lines = statements(source(rnn, args, wrt=(0, 1)))
    assert "for t in range(xs.shape[0]):" in lines
    assert "for t in reversed(range(xs.shape[0])):" in lines
    assert lines.index("W_bar = np.zeros_like(W)") == lines.index(
        "xs_bar = np.zeros_like(xs)") + 1
    assert any(line.startswith("xs_bar[t] = ") for line in lines)
    assert not any(line.startswith("xs_bar[t] +=") for line in lines)
    assert "h_dot = np.zeros_like(h)" in statements(source(rnn, args, "forward", (0, 1)))


@pytest.mark.parametrize("function", [read_twice, neighbours, nested])
def test_an_element_reached_more_than_once_is_added_to(function):
    args = dict(CASES[:5])[function]
    text = source(function, args)
    assert "xs_bar[t] = " not in text


def test_a_rebound_array_keeps_its_shape_read_before_the_loop():
    lines = statements(source(rebound, CASES[4][1]))
    assert not any("range(xs.shape[0])" in line for line in lines)


def test_one_statements_adjoint_terms_in_the_order_it_reads_them():
    text = source(two_terms, (1.3, 0.7))
    lines = [line.strip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("x1_bar = "))
    second = next(i for i, line in enumerate(lines) if line.startswith("x2_bar = "))
    assert first < second
    assert lines[first] == "x1_bar = y_bar / x1 + y_bar * x2"
    assert lines[second] == "x2_bar = y_bar * x1 - y_bar * math.cos(x2)"


@pytest.mark.parametrize("function", [softmax_cross_entropy, layer_norm])
def test_adjoints_have_their_variables_shapes(function):
    """The shape of an adjoint is its variable's: summing one back to a scalar's shape is
    ``np.sum``, not the generic helper."""
    args = dict(CASES)[function]
    assert "unbroadcast(" not in source(function, args)


def squares_from_the_last(x):
    s = 0.0
    for t in range(-1, x.shape[0]):
        s = s + x[t] ** 2
    return s


def squares_down_past_zero(x):
    s = 0.0
    for t in range(x.shape[0] - 1, -2, -1):
        s = s + x[t] ** 2
    return s


@pytest.mark.parametrize("f", [squares_from_the_last, squares_down_past_zero])
def test_a_range_reaching_an_element_twice_adds_its_adjoints(f):
    """``range(-1, n)`` reads ``x[-1]``, the last element, twice: the versions for known
    shapes assigned ``x_bar[t] = ...`` as for a loop reaching each element once."""
    x = np.array([1.0, 2.0, 3.0])
    for _ in range(3):
        np.testing.assert_allclose(s2sad.grad(f)(x), [2.0, 4.0, 12.0])  # x[2] twice
