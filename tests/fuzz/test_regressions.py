"""Minimal programs found by the generated-program tests (``test_fuzz``), each checked
against numbers. A bug still open is marked ``xfail(strict=True)``: fixing it makes the
test pass, and the mark must then go."""

import numpy as np
import pytest

import s2sad


def list_appended_after_display(a, b):
    values = [np.tanh(a), np.cos(b)]
    values.append(np.sin(values[-1]))
    return sum(values)


@pytest.mark.xfail(strict=True, raises=AttributeError,
                   reason="forward mode gives a list display a tuple tangent, which has no "
                          "append: 'tuple' object has no attribute 'append'")
def test_forward_tangent_of_a_list_display_can_be_appended_to():
    a, b = 0.3, 0.7
    # d/da: (1 - tanh(a)^2); d/db: -sin(b) (1 + cos(cos(b)))
    value, tangent = s2sad.jvp(list_appended_after_display, (a, b), (1.0, 2.0))
    expected = (1 - np.tanh(a) ** 2) + 2.0 * (-np.sin(b) * (1 + np.cos(np.cos(b))))
    assert value == pytest.approx(np.tanh(a) + np.cos(b) + np.sin(np.cos(b)), rel=1e-12)
    assert tangent == pytest.approx(expected, rel=1e-12)


def test_reverse_gradient_of_a_list_display_appended_to():
    a, b = 0.3, 0.7
    gradient = s2sad.grad(list_appended_after_display, wrt=(0, 1))(a, b)
    expected = (1 - np.tanh(a) ** 2, -np.sin(b) * (1 + np.cos(np.cos(b))))
    assert gradient == pytest.approx(expected, rel=1e-12)
