"""Refusals that only the values can prompt, made while a derivative runs, still start
with the user's file and line (or the function's ``def`` where the statement cannot be
told for sure), never only with a place in generated code."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import s2sad
from s2sad.errors import NonScalarOutputError

HERE = __file__


def _line_of(function, text: str) -> int:
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


class Plain:
    def __init__(self, w):
        self.w = w

    def loss(self, x):
        return np.sum(self.w * x) ** 2


def test_a_field_of_a_plain_object_names_the_line_that_reads_it():
    p, x = Plain(np.array([1.0, 2.0])), np.array([0.5, -1.0])
    with pytest.raises(TypeError, match="make Plain a dataclass") as caught:
        s2sad.grad(Plain.loss)(p, x)
    line = _line_of(Plain.loss, "self.w * x")
    assert str(caught.value).startswith(f"{HERE}:{line}:8: s2sad differentiates reads")
    np.testing.assert_allclose(s2sad.grad(Plain.loss, wrt=1)(p, x), -3.0 * p.w)


def over(d, x):
    t = 0.0
    for v in d:
        t = t + v * x
    return t


def test_a_loop_over_a_dict_names_the_function():
    with pytest.raises(TypeError, match="not over a dict") as caught:
        s2sad.grad(over, wrt=1)({1.0: 2}, 3.0)
    line = over.__code__.co_firstlineno
    assert str(caught.value).startswith(f"{HERE}:{line}:0 (in over): s2sad loops over")


def vector(x):
    y = np.sin(x)
    return y * 2.0


@pytest.mark.parametrize("make", [s2sad.grad, s2sad.value_and_grad])
def test_a_vector_output_of_grad_names_the_function(make):
    with pytest.raises(NonScalarOutputError) as caught:
        make(vector)(np.ones(3))
    assert str(caught.value).startswith(
        f"{HERE}:{vector.__code__.co_firstlineno}:0 (in vector): grad(vector) needs")


def test_a_helper_called_directly_says_nothing_of_places():
    from s2sad.runtime.core import check_sequence

    with pytest.raises(TypeError, match="^s2sad loops over"):
        check_sequence({"a": 1.0})


def squares_in_place(x):
    y = x.copy()
    for i in range(len(y)):
        y[i] = y[i] ** 2
    return np.sum(y)


@pytest.mark.parametrize("second", ["hessian", "hvp"])
def test_what_a_derivative_of_a_derivative_cannot_do_names_the_users_statement(second):
    from s2sad.errors import UnsupportedSyntaxError

    x = np.array([0.3, -0.7, 1.2])
    np.testing.assert_allclose(s2sad.grad(squares_in_place)(x), 2 * x)
    with pytest.raises(UnsupportedSyntaxError, match="first derivatives of squares_in_place "
                       "work") as caught:
        if second == "hessian":
            s2sad.hessian(squares_in_place)(x)
        else:
            s2sad.hvp(squares_in_place)(x, np.ones(3))
    line = _line_of(squares_in_place, "y[i] = y[i] ** 2")
    assert caught.value.filename == HERE and caught.value.lineno == line


def spectral_norm(x):
    return np.linalg.norm(x.reshape(2, 2), 2)


@pytest.mark.parametrize("second", ["hessian", "hvp"])
def test_a_refusal_inside_a_comprehension_of_generated_code_is_located(second):
    x = np.arange(4.0)
    with pytest.raises(NotImplementedError, match="matrix norm ord=2") as caught:
        if second == "hessian":
            s2sad.hessian(spectral_norm)(x)
        else:
            s2sad.hvp(spectral_norm)(x, np.ones(4))
    assert str(caught.value).startswith(f"{HERE}:{spectral_norm.__code__.co_firstlineno}:")
