"""Losses written in plain NumPy, at the top level of a module worker processes import:
what the scaling tests send to other processes and run on Dask arrays."""

import functools
import math

import numpy as np

import s2sad


def least_squares(w, X, y):
    return np.sum((X @ w - y) ** 2)


def logistic(w, X, y):
    return np.mean(np.log1p(np.exp(-y * (X @ w))))


def wave(x):
    return math.sin(x) * x + math.exp(-x * x)


def features(x):
    return np.sin(x) * x[0] + x ** 2


def analytic(z):
    return np.sin(z) * z


def with_aux(w, X, y):
    residual = X @ w - y
    return np.sum(residual ** 2), residual


@s2sad.grad
def wave_slope(x):
    return math.sin(x) * x + math.exp(-x * x)


@s2sad.grad(wrt=(0, 2))
def least_squares_slopes(w, X, y):
    return np.sum((X @ w - y) ** 2)


def redefined(x):
    return np.sum(x ** 2)


first_redefined = redefined  # the name now leads to the function defined below


def redefined(x):  # noqa: F811
    return np.sum(x ** 3)


def _scaled_tenfold(function):
    @functools.wraps(function)
    def scaled(x):
        return 10.0 * function(x)
    return scaled


@_scaled_tenfold
def decorated(x):
    return np.sum(x ** 2)
