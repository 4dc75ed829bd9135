"""Rules for NumPy's exponentials and logarithms, and the modified Bessel function
``i0``."""

import math

import numpy as np

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.runtime import conj
from s2sad.runtime.elementwise import i1

# ---- exponentials and logarithms ---------------------------------------------------


@derivative(np.exp)
def exp_x(ans, x):
    return ans


@derivative(np.exp2)
def exp2_x(ans, x):
    return conj(ans) * math.log(2.0)


@derivative(np.expm1)
def expm1_x(ans, x):
    return ans + 1.0


@derivative(np.log, divide=True)
def log_x(ans, x):
    return x


@derivative(np.log2, divide=True)
def log2_x(ans, x):
    return conj(x) * math.log(2.0)


@derivative(np.log10, divide=True)
def log10_x(ans, x):
    return conj(x) * math.log(10.0)


@derivative(np.log1p, divide=True)
def log1p_x(ans, x):
    return 1.0 + x


@real_derivative(np.logaddexp, "x1", unbroadcast=True)
def logaddexp_x1(ans, x1, x2):
    return np.exp(x1 - ans)


@real_derivative(np.logaddexp, "x2", unbroadcast=True)
def logaddexp_x2(ans, x1, x2):
    return np.exp(x2 - ans)


@real_derivative(np.logaddexp2, "x1", unbroadcast=True)
def logaddexp2_x1(ans, x1, x2):
    return np.exp2(x1 - ans)


@real_derivative(np.logaddexp2, "x2", unbroadcast=True)
def logaddexp2_x2(ans, x1, x2):
    return np.exp2(x2 - ans)


# ---- special functions -------------------------------------------------------------


@real_derivative(np.i0)
def i0_x(ans, x):
    return i1(x)
