"""Rules for ``scipy.special``'s error functions and the normal distribution (``erf``
and its relatives, ``ndtr``, ``log_ndtr`` and their inverses, Owen's T)."""

import math

import numpy as np
from scipy.special import (
    dawsn,
    erf,
    erfc,
    erfcinv,
    erfcx,
    erfi,
    erfinv,
    log_ndtr,
    ndtr,
    ndtri,
    ndtri_exp,
    owens_t,
)

from s2sad.rules.derivative import real_derivative

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)


@real_derivative(erf)
def erf_z(ans, z):
    return (2 / _SQRT_PI) * np.exp(-z * z)


@real_derivative(erfc)
def erfc_x(ans, x):
    return -(2 / _SQRT_PI) * np.exp(-x * x)


@real_derivative(erfi)
def erfi_z(ans, z):
    return (2 / _SQRT_PI) * np.exp(z * z)


@real_derivative(erfcx)
def erfcx_x(ans, x):
    return 2 * x * ans - 2 / _SQRT_PI


@real_derivative(erfinv)
def erfinv_y(ans, y):
    return (_SQRT_PI / 2) * np.exp(ans * ans)


@real_derivative(erfcinv)
def erfcinv_y(ans, y):
    return -(_SQRT_PI / 2) * np.exp(ans * ans)


@real_derivative(dawsn)
def dawsn_x(ans, x):
    return 1 - 2 * x * ans


@real_derivative(ndtr)
def ndtr_x(ans, x):
    return np.exp(-x * x / 2) / _SQRT_2PI


# pdf(x) / cdf(x) computed as exp(-x^2/2 - log_ndtr(x)): finite far in the lower tail.
@real_derivative(log_ndtr)
def log_ndtr_x(ans, x):
    return np.exp(-x * x / 2 - ans) / _SQRT_2PI


@real_derivative(ndtri)
def ndtri_y(ans, y):
    return _SQRT_2PI * np.exp(ans * ans / 2)


@real_derivative(ndtri_exp)
def ndtri_exp_y(ans, y):
    return _SQRT_2PI * np.exp(y + ans * ans / 2)


@real_derivative(owens_t, "h", unbroadcast=True)
def owens_t_h(ans, h, a):
    return -np.exp(-h * h / 2) * erf(a * h / math.sqrt(2)) / (2 * _SQRT_2PI)


@real_derivative(owens_t, "a", unbroadcast=True)
def owens_t_a(ans, h, a):
    return np.exp(-h * h * (1 + a * a) / 2) / (2 * math.pi * (1 + a * a))
