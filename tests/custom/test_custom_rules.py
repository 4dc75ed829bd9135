"""Rules of your own: registered for any callable, inlined, in both modes, and cached
derivatives forgotten when a rule changes."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError
from s2sad.testing import check_grads


class Scaled:
    """A callable object (no Python source to differentiate): it needs rules."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, x):
        return self.factor * np.sin(x)


triple_sin = Scaled(3.0)


def uses_object(x):
    return np.sum(triple_sin(x) ** 2)


def test_register_vjp_and_jvp_for_a_callable_without_source():
    x = np.array([0.3, -0.8])
    with pytest.raises(MissingRuleError, match="triple_sin"):
        s2sad.grad(uses_object)(x)

    @s2sad.register_vjp(triple_sin)
    def triple_sin_x(g, ans, x):
        return g * 3.0 * np.cos(x)

    @s2sad.register_jvp(triple_sin)
    def triple_sin_x_dot(x_dot, ans, x):
        return x_dot * 3.0 * np.cos(x)

    check_grads(uses_object, (x,))
    assert "g * 3.0" not in s2sad.source(uses_object) and "np.cos(x)" in s2sad.source(
        uses_object)  # inlined, with the call's own names


def clipped_log(x):
    return np.log(np.maximum(x, 1e-3))


@s2sad.custom_vjp
def smooth_abs(x):
    return np.sqrt(x * x + 1e-2)


smooth_abs.defvjp(lambda g, ans, x: g * x / ans)


def uses_custom(x):
    return np.sum(smooth_abs(x) * clipped_log(x + 2.0))


def test_custom_vjp_in_reverse_and_its_source_in_forward_mode():
    check_grads(uses_custom, (np.array([0.3, -0.8, 1.5]),))
    assert "smooth_abs_tangent" in s2sad.source(uses_custom, mode="forward")
    assert "smooth_abs_adjoint" not in s2sad.source(uses_custom, mode="reverse")


def test_stop_gradient_and_nondifferentiable_in_both_modes():
    def f(x):
        return np.sum(x * s2sad.stop_gradient(x))

    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(f)(x), x)
    np.testing.assert_allclose(s2sad.jvp(f, (x,), (np.ones(2),))[1], 3.0)

    def counts(x):
        return np.sum(x) * 0.0 + 1.0

    def g(x):
        return np.sum(x * x) * counts(x)

    np.testing.assert_allclose(s2sad.grad(g)(x), 2 * x + 0.0)
    s2sad.nondifferentiable(counts)
    assert "counts_adjoint" not in s2sad.source(g)
    np.testing.assert_allclose(s2sad.grad(g)(x), 2 * x)


def test_a_new_rule_replaces_cached_derivatives():
    def helper(x):
        return x * x

    def f(x):
        return helper(x) + 0.0

    assert s2sad.grad(f)(3.0) == 6.0

    @s2sad.register_vjp(helper)
    def helper_x(g, ans, x):  # deliberately not the true derivative: the rule is used
        return g * 100.0

    assert s2sad.grad(f)(3.0) == 100.0
