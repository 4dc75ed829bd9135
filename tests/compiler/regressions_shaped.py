"""Functions for the regression tests of the versions by argument shapes: each was a
derivative the first versions got wrong (see test_shaped_versions.py)."""

import math

import numpy as np


def returned_name_reused(x, y):
    h = x + np.sum(y)
    h = np.sum(h * h)
    return h


def returned_name_reused_scalar(x, s):
    h = x + s
    h = np.sum(h)
    return h


def complex_by_positional_dtype(x):
    return np.sum(np.abs(np.sqrt(np.asarray(x, complex) - 1.0)) ** 2)


def complex_zeros(x):
    z = np.zeros(2, complex) - 1.0
    return np.sum(np.abs(np.sqrt(z + x)) ** 2)


def fractional_power_of_a_float(s):
    return abs(s ** 0.5) ** 2


def fractional_power_of_a_math_result(x):
    return abs(math.sin(x) ** 0.5) ** 2


def matmul_function(W, x, Y):
    return np.sum(np.matmul(W, x) + Y)


def divmod_quotient(x, y):
    return np.sum(x * np.divmod(y, 0.7)[0])


def times_a_constant_array(x, k):
    return np.sum(x * k)


def keyword_only(x, *, b):
    return np.sum(np.tanh(x + b))


def rebound_to_a_ragged_list(x):
    x = [x[0:1], x[0:3]]
    s = 0.0
    for i in range(2):
        s = s + np.sum(x[i] * x[i])
    return s


def zero_d_input(x, y):
    return math.sin(x) * y + x * x / y


class Model:
    def loss(self, x):
        return np.sum(np.tanh(x) ** 2)
