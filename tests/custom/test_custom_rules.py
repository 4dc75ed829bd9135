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


class Product:
    """f(x, y) = c sin(x) y, without Python source: one rule per argument, each in one
    mode only."""

    def __call__(self, x, y):
        return 3.0 * np.sin(x) * y


sin_times = Product()


@s2sad.register_jvp(sin_times, 0)
def sin_times_x_dot(x_dot, ans, x, y):
    return 3.0 * np.cos(x) * x_dot * y


@s2sad.register_vjp(sin_times, 1)
def sin_times_y(g, ans, x, y):
    return g * 3.0 * np.sin(x)


def uses_one_mode_rules(x, y):
    return np.sum(sin_times(x, y) ** 2)


def test_a_rule_in_one_mode_gives_the_other_by_transposition():
    x, y = np.array([0.3, -0.8]), np.array([1.2, 0.5])
    check_grads(uses_one_mode_rules, (x, y))  # forward against FD, reverse against forward
    reverse = s2sad.source(uses_one_mode_rules, wrt=(0, 1))
    forward = s2sad.source(uses_one_mode_rules, mode="forward", wrt=(0, 1))
    assert "sin_times_x_dot_transposed(" in reverse
    assert "sin_times_y_transposed(" in forward


@s2sad.custom_jvp
def guarded_log(x):
    return np.log(x)


guarded_log.defjvp(lambda x_dot, ans, x: x_dot / np.maximum(x, 1e-3))


def sum_of_guarded_logs(x):
    return np.sum(guarded_log(x))


def test_reverse_mode_follows_a_custom_jvp_not_the_source():
    with np.errstate(divide="ignore"):
        gradient = s2sad.grad(sum_of_guarded_logs)(np.array([0.0, 2.0]))
    np.testing.assert_allclose(gradient, [1e3, 0.5])


def test_a_vjp_given_later_replaces_the_transposed_jvp():
    def doubled(x):
        return 2.0 * x

    def f(x):
        return doubled(x) * 1.0

    s2sad.register_jvp(doubled)(lambda x_dot, ans, x: 2.0 * x_dot)
    assert s2sad.grad(f)(1.0) == 2.0
    s2sad.register_vjp(doubled)(lambda g, ans, x: 5.0 * g)  # not the derivative: used as told
    assert s2sad.grad(f)(1.0) == 5.0
    assert s2sad.jvp(f, (1.0,), (1.0,))[1] == 2.0
