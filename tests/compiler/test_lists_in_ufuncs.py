"""A list or tuple the code made, given to a NumPy function: NumPy reads it as an array,
and so must the rules (``2 * [a, b]`` in a rule would repeat the list); and ``*`` of a
list repeats it only by an int: by an array or a NumPy number it multiplies its items."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


def power_of_a_list(x):
    return np.sum(np.power([x, x + 1.0], 2))


def power_of_a_one_item_list(x):
    return np.sum(np.power([x], 2))


def square_of_a_tuple(x):
    return np.sum(np.square((x, 2.0 * x)))


def power_of_a_named_list(x):
    values = [x, x * x]
    return np.sum(np.power(values, 2))


def power_of_a_comprehension(x):
    return np.sum(np.power([x * i for i in range(3)], 2))


def arctan2_of_lists(x):
    return np.sum(np.arctan2([x, x * x], [1.0, 2.0]))


def log1p_of_a_list(x):
    return np.sum(np.log1p([x * x, x * x]))


def reciprocal_of_a_list(x):
    return np.sum(np.reciprocal([x + 2.0, x * x + 1.0]))


def maximum_of_a_list(x):
    return np.sum(np.maximum([x, x + 1.0], 0.5))


def sum_over_an_axis_of_nested_lists(x):
    return np.sum(np.power([[x, x * x], [1.0, x]], 2), axis=0)[1]


def _pair(x):
    return [x, x * x]


def power_of_a_returned_list(x):
    return np.sum(np.power(_pair(x), 2))


def sorted_array_times_a_list(x):
    return np.sum(np.sort(np.asarray([x, 2.0 * x])) * [1.0, 3.0])


def array_times_a_list(x):
    return np.sum(x * [1.0, 3.0])


def list_times_an_array(x):
    weights = [1.0, 3.0]
    return np.sum(weights * np.sin(x))


def array_times_a_tuple(x):
    return np.sum(np.exp(x) * (0.5, 2.0))


def list_repeated_by_an_int(x):
    return np.sum(np.asarray([x, 2.0 * x] * 2) ** 2)


SCALAR_CASES = [power_of_a_list, power_of_a_one_item_list, square_of_a_tuple,
                power_of_a_named_list, power_of_a_comprehension, arctan2_of_lists,
                log1p_of_a_list, reciprocal_of_a_list, maximum_of_a_list,
                sum_over_an_axis_of_nested_lists, power_of_a_returned_list,
                sorted_array_times_a_list, list_repeated_by_an_int]


@pytest.mark.parametrize("f", SCALAR_CASES, ids=lambda f: f.__name__)
def test_a_list_given_to_numpy_is_read_as_an_array(f):
    for x in (0.37, -0.8, 0.37):  # the second and later calls run the versions built
        check_grads(f, (x,))


@pytest.mark.parametrize("f", [array_times_a_list, list_times_an_array, array_times_a_tuple],
                         ids=lambda f: f.__name__)
def test_a_list_times_an_array_multiplies_its_items(f):
    for _ in range(3):
        check_grads(f, (np.array([0.3, -0.7]),))


def test_the_gradient_through_a_list_given_to_a_ufunc_closed_form():
    x = np.array([0.3, -0.7])
    np.testing.assert_allclose(s2sad.grad(power_of_a_list)(x), 4 * x + 2)
    np.testing.assert_allclose(s2sad.grad(array_times_a_list)(x), [1.0, 3.0])


def list_parameter_squared(values):
    return np.sum(np.power(values, 2))


def test_a_list_argument_where_numpy_reads_an_array_is_an_error_not_a_wrong_gradient():
    with pytest.raises(ValueError, match="np.asarray"):
        s2sad.grad(list_parameter_squared)([0.3, 0.5])
