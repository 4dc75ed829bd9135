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


def array_plus_a_list(x):
    return np.sum((x + [1.0, 2.0, 3.0]) ** 2)


def a_tuple_plus_an_array(x):
    return np.sum(((1.0, 2.0, 3.0) + x * 2.0) ** 2)


def a_list_added_in_place(x):
    y = x * 1.0
    y += [1.0, 2.0, 3.0]
    return np.sum(y ** 2)


def array_to_the_powers_of_a_list(x):
    return np.sum(x ** [1.0, 2.0, 3.0])


def array_minus_and_over_lists(x):
    return np.sum((x - [1.0, 2.0, 3.0]) / (0.5, 1.5, 2.5))


def maximum_of_two_lists(x):
    return np.sum(np.maximum([x[0], x[1]], [0.0, 0.1]) ** 2)


def minimum_of_a_list_and_a_tuple(x):
    return np.sum(np.minimum([x[0], x[1]], (0.0, 0.1)) ** 2)


def einsum_of_arrays(x):
    a = np.outer(x, x) + 1.0
    return np.einsum("ij,j->", a, x) ** 2


def _mixed(x):
    return [x[0], x[1] * x[2], x[0]]


def exp_of_a_returned_list(x):
    return np.exp(_mixed(x))


def sum_of_exp_of_a_returned_list(x):
    return np.sum(np.exp(_mixed(x)))


VECTOR_CASES = [array_plus_a_list, a_tuple_plus_an_array, a_list_added_in_place,
                array_to_the_powers_of_a_list, array_minus_and_over_lists,
                maximum_of_two_lists, minimum_of_a_list_and_a_tuple, einsum_of_arrays,
                sum_of_exp_of_a_returned_list]


@pytest.mark.parametrize("f", VECTOR_CASES, ids=lambda f: f.__name__)
def test_a_list_meeting_an_array(f):
    for _ in range(3):
        check_grads(f, (np.array([0.5, -0.3, 0.8]),))


def test_an_array_plus_a_list_closed_form():
    x = np.array([0.5, -0.3, 0.8])
    for _ in range(3):
        np.testing.assert_allclose(s2sad.grad(array_plus_a_list)(x), 2 * (x + [1, 2, 3]))


def test_the_jacobian_of_a_ufunc_of_a_returned_list_in_both_modes():
    x = np.array([0.5, -0.3, 0.8])
    a, b, c = x
    expected = np.array([[np.exp(a), 0, 0],
                         [0, c * np.exp(b * c), b * np.exp(b * c)],
                         [np.exp(a), 0, 0]])
    for _ in range(3):  # the tangents of the list's items, stacked with the batch first
        np.testing.assert_allclose(s2sad.jacfwd(exp_of_a_returned_list)(x), expected)
        np.testing.assert_allclose(s2sad.jacrev(exp_of_a_returned_list)(x), expected)


def test_the_hessian_through_a_returned_list_is_symmetric_and_right():
    x = np.array([0.5, -0.3, 0.8])
    a, b, c = x
    e = np.exp(b * c)
    expected = [[2 * np.exp(a), 0, 0], [0, c * c * e, (1 + b * c) * e],
                [0, (1 + b * c) * e, b * b * e]]
    for _ in range(3):
        np.testing.assert_allclose(s2sad.hessian(sum_of_exp_of_a_returned_list)(x), expected,
                                   atol=1e-12)
        np.testing.assert_allclose(
            s2sad.jacfwd(s2sad.grad(sum_of_exp_of_a_returned_list))(x), expected, atol=1e-12)


def list_plus_a_parameter(x, shift):
    v = [x, 2.0 * x] + shift
    return np.sum(v * v)


@pytest.mark.parametrize("shift", [np.float64(0.5), np.array([0.5, 1.0])],
                         ids=["numpy number", "array"])
def test_a_list_plus_a_parameter_that_is_a_numpy_value_is_a_sum(shift):
    # found in review: a list plus a NumPy number was taken for a concatenation at run
    # time, and x's gradient was 0
    for _ in range(3):
        check_grads(list_plus_a_parameter, (0.3, shift))
    v = np.array([0.3, 0.6]) + shift  # d/dx of v0^2 + v1^2, v = [x, 2x] + shift
    assert s2sad.grad(list_plus_a_parameter)(0.3, shift) == pytest.approx(2 * v[0] + 4 * v[1])
