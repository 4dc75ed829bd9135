"""A NaN that makes the function's value NaN makes its derivative NaN: max, min and median
put NaN at the NaN elements (0 elsewhere), in both modes, not a finite gradient."""

import numpy as np
import pytest

import s2sad


def maximum(x):
    return np.max(x)


def minimum(x):
    return np.min(x)


def amax(x):
    return np.amax(x)


def method_max(x):
    return x.max()


def method_min(x):
    return x.min()


def median(x):
    return np.median(x)


def spread(x):
    return np.ptp(x)


def with_initial(x):
    return np.max(x, initial=0.0)


def with_where(x):
    return np.min(x, where=np.array([True, True, False]), initial=5.0)


def rows(x):
    return np.sum(np.max(x, axis=1) * np.array([1.0, 2.0]))


def row_medians(x):
    return np.sum(np.median(x, axis=1) * np.array([1.0, 2.0]))


WITH_NAN = np.array([1.0, np.nan, 2.0])


@pytest.mark.parametrize("function", [maximum, minimum, amax, method_max, method_min, median,
                                      spread, with_initial, with_where])
def test_nan_in_the_vector(function):
    assert np.isnan(function(WITH_NAN))
    gradient = s2sad.grad(function)(WITH_NAN)
    np.testing.assert_array_equal(gradient, [0.0, np.nan, 0.0])
    _, tangent = s2sad.jvp(function, (WITH_NAN,), (np.array([0.0, 0.0, 1.0]),))
    assert np.isnan(tangent)


@pytest.mark.parametrize("function, second_row", [
    (rows, [2.0, 0.0, 0.0]),         # [3, 0, 1]: its max is the first element, weight 2
    (row_medians, [0.0, 0.0, 2.0]),  # its median is the last element
])
def test_a_nan_row_does_not_spoil_the_others(function, second_row):
    x = np.array([[1.0, np.nan, 2.0], [3.0, 0.0, 1.0]])
    gradient = s2sad.grad(function)(x)
    np.testing.assert_array_equal(gradient[0], [0.0, np.nan, 0.0])
    np.testing.assert_array_equal(gradient[1], second_row)


def test_without_nan_ties_still_share_and_nanmax_skips_nans():
    np.testing.assert_array_equal(s2sad.grad(maximum)(np.array([1.0, 3.0, 3.0])),
                                  [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(s2sad.grad(lambda x: np.nanmax(x))(WITH_NAN),
                                  [0.0, 0.0, 1.0])
    x = np.array([0.3, -1.2, 2.5, 0.7])
    h = 1e-6
    for function in (maximum, minimum, median):
        numeric = [(function(x + h * e) - function(x - h * e)) / (2 * h) for e in np.eye(4)]
        np.testing.assert_allclose(s2sad.grad(function)(x), numeric, atol=1e-8)
