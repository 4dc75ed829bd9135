"""Rules for the elementary functions of ``scipy.special`` (``expm1``, ``log1p``, ``exp2``,
``cbrt``, ``sindg``, ...)."""

import math

import numpy as np
from scipy.special import cbrt, cosdg, cosm1, exp2, exp10, expm1, log1p, sindg

from s2sad.rules.derivative import real_derivative


@real_derivative(expm1)
def expm1_x(ans, x):
    return ans + 1


@real_derivative(log1p, divide=True)
def log1p_x(ans, x):
    return 1 + x


@real_derivative(exp2)
def exp2_x(ans, x):
    return ans * math.log(2)


@real_derivative(exp10)
def exp10_x(ans, x):
    return ans * math.log(10)


@real_derivative(cbrt, divide=True)
def cbrt_x(ans, x):
    return 3 * ans * ans


@real_derivative(cosm1)
def cosm1_x(ans, x):
    return -np.sin(x)


@real_derivative(sindg)
def sindg_x(ans, x):
    return (math.pi / 180) * cosdg(x)


@real_derivative(cosdg)
def cosdg_x(ans, x):
    return -(math.pi / 180) * sindg(x)
