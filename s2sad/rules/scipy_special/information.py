"""Rules for ``scipy.special``'s functions of information theory (``entr``, ``rel_entr``,
``kl_div``, ``xlogy``, ``xlog1py``)."""

import numpy as np
from scipy.special import entr, kl_div, rel_entr, xlog1py, xlogy

from s2sad.rules.derivative import real_derivative
from s2sad.runtime.special import safe_ratio


@real_derivative(entr)
def entr_x(ans, x):
    return -(np.log(x) + 1)


@real_derivative(rel_entr, "x", unbroadcast=True)
def rel_entr_x(ans, x, y):
    return np.log(x / y) + 1


@real_derivative(rel_entr, "y", unbroadcast=True)
def rel_entr_y(ans, x, y):
    return -safe_ratio(x, y)


@real_derivative(kl_div, "x", unbroadcast=True)
def kl_div_x(ans, x, y):
    return np.log(x / y)


@real_derivative(kl_div, "y", unbroadcast=True)
def kl_div_y(ans, x, y):
    return 1 - safe_ratio(x, y)


# x * log(y) and x * log1p(y); 0 * log(0) = 0, and so is its derivative in y.
@real_derivative(xlogy, "x", unbroadcast=True)
def xlogy_x(ans, x, y):
    return np.log(y)


@real_derivative(xlogy, "y", unbroadcast=True)
def xlogy_y(ans, x, y):
    return safe_ratio(x, y)


@real_derivative(xlog1py, "x", unbroadcast=True)
def xlog1py_x(ans, x, y):
    return np.log1p(y)


@real_derivative(xlog1py, "y", unbroadcast=True)
def xlog1py_y(ans, x, y):
    return safe_ratio(x, 1 + y)
