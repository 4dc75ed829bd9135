"""Local constants (``lam = 1.0``) reach the rules as numbers: the adjoint folds them, and
derivatives agree with numbers; a name set twice, or set inside a loop, stays a name."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


def ridge_steps(theta, X, y):
    lam = 1.0
    steps = 3
    for _ in range(steps):
        theta = theta - 0.1 * (X.T @ (X @ theta - y) + lam * theta)
    return np.sum(theta ** 2)


def set_twice(x):
    scale = 2.0
    y = scale * x
    scale = 3.0
    return np.sum(scale * y)


def set_in_a_loop(x):
    total = 0.0
    for k in range(3):
        weight = 0.5
        total = total + weight * np.sum(x ** 2) / (k + 1)
    return total


rng = np.random.default_rng(51)
X, y = rng.normal(size=(6, 3)), rng.normal(size=6)


def test_a_unit_constant_disappears_from_the_adjoint():
    text = s2sad.source(ridge_steps, wrt=0)
    for function in text.split("\ndef "):  # the general adjoint and the real one
        forward, reverse = function.split("# reverse sweep")
        assert "_t5 = lam * theta" in forward  # the primal as written
        code = [line for line in reverse.splitlines()
                if not line.strip().startswith("#")]  # the comments show the user's lines
        assert not any("lam" in line for line in code)
    check_grads(ridge_steps, (rng.normal(size=3), X, y), wrt=(0, 1, 2))


@pytest.mark.parametrize("function", [set_twice, set_in_a_loop])
def test_names_set_more_than_once_or_in_a_loop_stay_names(function):
    check_grads(function, (rng.normal(size=4),))
    x = rng.normal(size=4)
    np.testing.assert_allclose(s2sad.value_and_grad(function)(x)[0], function(x))
    text = s2sad.source(function, mode="forward")
    assert ("scale" if function is set_twice else "weight") in text.split("\n", 2)[2]
