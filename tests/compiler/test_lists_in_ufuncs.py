"""A list or tuple the code made, given to a NumPy ufunc: NumPy reads it as an array, but
the rule templates compute with it as written, where ``2 * [a, b]`` repeats the list. Open:
kept as the named regression it is until the arguments reach the rules as arrays."""

import numpy as np
import pytest

import s2sad


def power_of_a_list(x):
    return np.sum(np.power([x, x + 1.0], 2))


def power_of_a_one_item_list(x):
    return np.sum(np.power([x], 2))


@pytest.mark.xfail(strict=True, reason="2 * [a, b] in the power rule repeats the list: "
                   "the gradient is half the true one")
@pytest.mark.parametrize("f, expected", [
    (power_of_a_list, lambda x: 4 * x + 2),
    (power_of_a_one_item_list, lambda x: 2 * x),
])
def test_the_gradient_through_a_list_given_to_a_ufunc(f, expected):
    x = np.array([0.3, -0.7])
    np.testing.assert_allclose(s2sad.grad(f)(x), expected(x))
