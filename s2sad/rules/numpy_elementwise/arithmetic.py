"""Rules for NumPy's arithmetic ufuncs (those of Python's operators share the
operators' rules), powers and roots."""

import operator

import numpy as np

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import linear, share, vjp_rule
from s2sad.runtime import conj, unbroadcast
from s2sad.runtime.elementwise import pow_log, pow_slope

# ---- arithmetic --------------------------------------------------------------------
# The ufuncs of Python's operators have the operators' rules (s2sad.rules.operators).
# np.true_divide is np.divide, np.pow is np.power, np.mod is np.remainder, np.abs is
# np.absolute.

share(np.add, operator.add)
share(np.subtract, operator.sub)
share(np.multiply, operator.mul)
share(np.divide, operator.truediv)
share(np.power, operator.pow)
share(np.remainder, operator.mod)
share(np.negative, operator.neg)
share(np.positive, operator.pos)
share(np.absolute, abs)


@derivative(np.fmod, "x1", unbroadcast=True, broadcast=True)
def fmod_x1(ans, x1, x2):
    return 1.0


@real_derivative(np.fmod, "x2", unbroadcast=True)
def fmod_x2(ans, x1, x2):
    return -np.trunc(x1 / x2)


@vjp_rule(np.ldexp, "x1")
def ldexp_x1(g, ans, x1, x2):
    return unbroadcast(np.ldexp(g, x2), x1)


linear(np.ldexp, ldexp_x1, "x1")


# ---- powers and roots --------------------------------------------------------------


# ``(x2 == 0) is False`` folds away for a literal exponent and is a plain test for a Python
# number; a zero, array or NumPy-scalar exponent goes through pow_slope, which gives
# ``x1 ** 0`` its zero derivative also at ``x1 == 0``.


@derivative(np.float_power, "x1", unbroadcast=True)
def float_power_x1(ans, x1, x2):
    return x2 * np.float_power(x1, x2 - 1) if (x2 == 0) is False else pow_slope(x1, x2)


@derivative(np.float_power, "x2", unbroadcast=True)
def float_power_x2(ans, x1, x2):
    return ans * pow_log(x1)


@derivative(np.square)
def square_x(ans, x):
    return 2.0 * x


@derivative(np.sqrt, divide=True)
def sqrt_x(ans, x):
    return 2.0 * conj(ans)


@real_derivative(np.cbrt, divide=True)
def cbrt_x(ans, x):
    return 3.0 * ans * ans


@derivative(np.reciprocal)
def reciprocal_x(ans, x):
    return -ans * ans
