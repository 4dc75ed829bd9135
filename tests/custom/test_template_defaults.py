"""A rule template passing one of its parameters on at the template's default: the
keyword is left out of the inlined call only where the called function's own default is
the same value (``np.sum``'s axis is None; a parameter defaulting to 0 must be passed)."""

import numpy as np

import s2sad


def column_sums(x, axis=0):
    return np.sum(x, axis=axis)


@s2sad.register_vjp(column_sums)
def _column_sums_vjp(g, ans, x, axis=0):
    return np.broadcast_to(np.expand_dims(g, axis), np.shape(x))


@s2sad.register_jvp(column_sums)
def _column_sums_jvp(x_dot, ans, x, axis=0):
    return np.sum(x_dot, axis=axis)


def loss(x):
    return np.sum(column_sums(x) ** 2)


def test_a_template_default_unlike_the_callees_is_passed_on():
    x = np.arange(6.0).reshape(2, 3)
    expected = 2.0 * np.broadcast_to(np.sum(x, axis=0), x.shape)
    np.testing.assert_allclose(s2sad.grad(loss)(x), expected)
    u = np.ones_like(x)
    value, tangent = s2sad.jvp(loss, (x,), (u,))
    assert value == loss(x)
    np.testing.assert_allclose(tangent, np.sum(expected * u))
    text = s2sad.source(loss, "forward", args=(x,))
    assert "axis=0" in text
