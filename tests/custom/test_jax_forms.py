"""JAX's forms of custom rules: ``f.defvjp(fwd, bwd)`` and ``f.defjvp(jvp)``, against
finite differences and closed forms, beside s2sad's one-rule-per-argument form."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError
from s2sad.testing import check_grads

X = np.array([0.3, 1.2, -0.7])
Y = np.array([2.0, -1.0, 0.5])


@s2sad.custom_vjp
def scaled_sine(x, y):
    return np.sin(x) * y


def scaled_sine_fwd(x, y):
    return scaled_sine(x, y), (np.cos(x), np.sin(x), y)


def scaled_sine_bwd(residuals, g):
    cos_x, sin_x, y = residuals
    return cos_x * y * g, sin_x * g


scaled_sine.defvjp(scaled_sine_fwd, scaled_sine_bwd)


def sine_loss(x, y):
    return np.sum(scaled_sine(x, y) ** 2)


def test_defvjp_fwd_bwd_in_reverse_mode():
    gx, gy = s2sad.grad(sine_loss, wrt=(0, 1))(X, Y)
    out = np.sin(X) * Y
    np.testing.assert_allclose(gx, 2 * out * np.cos(X) * Y, rtol=1e-12)
    np.testing.assert_allclose(gy, 2 * out * np.sin(X), rtol=1e-12)
    check_grads(sine_loss, (X, Y))


@s2sad.custom_vjp
def clipped_identity(x):
    return x


clipped_identity.defvjp(lambda x: (x, None), lambda _, g: (np.clip(g, -1.0, 1.0),))


def test_the_bwd_is_what_reverse_mode_uses():
    """A VJP that is not the source's derivative (gradient clipping), as in JAX."""
    def loss(x):
        return np.sum(5.0 * clipped_identity(x))
    np.testing.assert_array_equal(s2sad.grad(loss)(X), np.ones(3))


@s2sad.custom_jvp
def softplus(x):
    return np.log1p(np.exp(x))


@softplus.defjvp
def softplus_jvp(primals, tangents):
    (x,), (x_dot,) = primals, tangents
    return softplus(x), x_dot / (1.0 + np.exp(-x))


def softplus_loss(x):
    return np.sum(softplus(x) * x)


def test_defjvp_in_both_modes():
    expected = x_sigmoid = X / (1.0 + np.exp(-X)) + np.log1p(np.exp(X))
    np.testing.assert_allclose(s2sad.grad(softplus_loss)(X), expected, rtol=1e-12)
    _, tangent = s2sad.jvp(softplus_loss, (X,), (Y,))
    np.testing.assert_allclose(tangent, np.dot(x_sigmoid, Y), rtol=1e-12)
    check_grads(softplus_loss, (X,))


@s2sad.custom_jvp
def product(x, y):
    return x * y


@product.defjvp
def product_jvp(primals, tangents):
    (x, y), (x_dot, y_dot) = primals, tangents
    return product(x, y), x_dot * y + x * y_dot


def test_defjvp_of_two_arguments():
    def loss(x, y):
        return np.sum(np.sin(product(x, y)))
    gx, gy = s2sad.grad(loss, wrt=(0, 1))(X, Y)
    np.testing.assert_allclose(gx, np.cos(X * Y) * Y, rtol=1e-12)
    np.testing.assert_allclose(gy, np.cos(X * Y) * X, rtol=1e-12)
    check_grads(loss, (X, Y))


@s2sad.custom_jvp
def tripled(x):
    return 3.0 * x


@tripled.defjvp
def tripled_jvp(primals, tangents):
    return tripled(primals[0]), tripled(tangents[0])


def test_a_jvp_calling_itself_on_tangents_is_refused_in_reverse_mode():
    def loss(x):
        return np.sum(tripled(x) * x)
    np.testing.assert_allclose(s2sad.jvp(loss, (X,), (Y,))[1], np.dot(6 * X, Y))
    with pytest.raises(MissingRuleError, match="give tripled a VJP as well"):
        s2sad.grad(loss)(X)


def test_custom_jvp_is_not_custom_vjp():
    assert s2sad.custom_jvp is not s2sad.custom_vjp
    assert not hasattr(softplus, "defvjp")


def test_wrong_rules_are_refused_with_both_forms_named():
    @s2sad.custom_vjp
    def f(x):
        return x

    with pytest.raises(TypeError, match=r"takes 3 parameters.*defvjp\(fwd, bwd\)"):
        f.defvjp(lambda g, x: g)
    with pytest.raises(TypeError, match="3 rules for 1 arguments"):
        f.defvjp(lambda g, a, x: g, lambda g, a, x: g, lambda g, a, x: g)
