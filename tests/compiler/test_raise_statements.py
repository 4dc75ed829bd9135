"""``raise`` statements and f-strings: a derivative raises where the function raises, with
the same exception and text, in every mode and at second order; where it does not raise,
the derivatives are checked against central differences."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

X = np.array([0.5, 1.5, -0.3])


def checked_input(x):
    if x[0] < -10:
        raise ValueError(f"x[0] = {x[0]:.3f} is too small")
    return np.sum(x ** 2)


def plain_message(x):
    if np.sum(x) > 1e6:
        raise OverflowError("the sum is too large")
    return np.sum(np.sin(x))


def raises_at_the_end(x, t):
    if t > 0:
        return np.sum(x * t)
    raise ValueError(f"t must be positive, got {t!r}")


def raises_in_a_loop(x):
    s = 0.0
    for v in x:
        if v > 100:
            raise ArithmeticError(f"{v} is over {100:>5}")
        s = s + v * v
    return s


def value_in_the_exception(x):
    if x[2] > 50:
        raise ValueError(x)  # the array itself: a built-in exception only shows it
    return np.sum(np.cos(x))


def with_a_cause(x):
    if x[1] < 0:
        raise ValueError("negative") from ZeroDivisionError("below zero")
    return np.sum(x * x * x)


CASES = [(checked_input, (X,)), (plain_message, (X,)), (raises_at_the_end, (X, 0.5)),
         (raises_in_a_loop, (X,)), (value_in_the_exception, (X,)), (with_a_cause, (X,))]


@pytest.mark.parametrize("function, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_derivatives_where_nothing_raises(function, args):
    check_grads(function, args)


RAISING = [
    (checked_input, (np.array([-20.0, 1.0, 1.0]),), ValueError, "x[0] = -20.000 is too small"),
    (raises_at_the_end, (X, -1.0), ValueError, "t must be positive, got -1.0"),
    (raises_in_a_loop, (np.array([1.0, 200.0, 1.0]),), ArithmeticError,
     "200.0 is over   100"),
    (with_a_cause, (np.array([1.0, -2.0, 1.0]),), ValueError, "negative"),
]


@pytest.mark.parametrize("function, args, kind, message", RAISING,
                         ids=[f.__name__ for f, *_ in RAISING])
def test_derivatives_raise_what_the_function_raises(function, args, kind, message):
    with pytest.raises(kind) as raised:
        function(*args)
    assert str(raised.value) == message
    tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args)
    calls = [lambda: s2sad.grad(function)(*args), lambda: s2sad.jvp(function, args, tangents),
             lambda: s2sad.vjp(function, *args), lambda: s2sad.hvp(function)(*args, tangents[0])]
    for derivative in calls:
        with pytest.raises(kind) as raised:
            derivative()
        assert str(raised.value) == message
    if function is with_a_cause:
        assert isinstance(raised.value.__cause__, ZeroDivisionError)


def test_the_emitted_code_raises_by_a_call():
    text = s2sad.source(checked_input)
    assert "raise_error(ValueError(formatted('x[0] = {:.3f} is too small', x[0])))" in text
