"""Starred unpacking (``a, *b = xs``): the starred name is a list, as in Python, read by
position; derivatives against central differences, closed forms and Python's own error
when there are too few values."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([1.0, 2.0, 3.0, 0.5])


def head_and_rest(x):
    a, *b = x
    return a * b[0] + sum(b)


def first_middle_last(x):
    first, *middle, last = x
    return first * last + np.sum(np.array(middle) ** 2)


def solution_only(a, y):
    sol, *_ = np.linalg.lstsq(a, y, rcond=None)
    return np.sum(sol ** 2)


def rows_in_a_loop(rows):
    s = 0.0
    for a, *rest in rows:
        s = s + a * rest[-1]
    return s


def rest_is_a_list(x):
    *init, z = x
    return len(init * 2) * z  # a list: * repeats it


def nested(x, y):
    (a, *b), c = (x, y)
    return a * c + b[-1]


@pytest.mark.parametrize("function, args", [
    (head_and_rest, (X,)),
    (first_middle_last, (X,)),
    (solution_only, (np.array([[1.0, 0.2], [0.3, 2.0], [0.1, 0.1]]), np.array([1.0, 2.0, 3.0]))),
    (rows_in_a_loop, (np.arange(6.0).reshape(2, 3) + 1,)),
    (rest_is_a_list, (X,)),
    (nested, (X, 0.7)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_both_modes_against_central_differences(function, args):
    check_grads(function, args)


def test_closed_forms():
    # a * b0 + b0 + b1 + b2: (b0, a + 1, 1, 1)
    np.testing.assert_allclose(s2sad.grad(head_and_rest)(X), [2.0, 2.0, 1.0, 1.0])
    # len(init * 2) * z = 6 z
    np.testing.assert_allclose(s2sad.grad(rest_is_a_list)(X), [0.0, 0.0, 0.0, 6.0])


def test_second_order():
    v = np.array([0.3, -0.2, 0.5, 0.1])
    grad = s2sad.grad(head_and_rest)
    numeric = (grad(X + 1e-5 * v) - grad(X - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(s2sad.hvp(head_and_rest)(X, v), numeric, atol=1e-8)


def test_too_few_values_raise_as_in_python():
    with pytest.raises(ValueError, match=r"not enough values to unpack \(expected at least 2, "
                       r"got 1\)"):
        s2sad.grad(first_middle_last)(np.array([1.0]))


def unpacked_into_a_display(x):
    y = [*x, 1.0]
    return y[0]


def test_a_starred_display_is_refused_at_its_line():
    with pytest.raises(UnsupportedSyntaxError, match=r":80:9: unpacking into a list, tuple or "
                       r"set display \(\[\*xs, y\]\) is not supported; join them instead"):
        s2sad.grad(unpacked_into_a_display)(X)
