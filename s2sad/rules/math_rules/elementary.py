"""The rules of ``math``'s functions of numbers: exponentials and logarithms, powers,
trigonometric and hyperbolic functions, special functions, signs and remainders, ``fma``,
and the piecewise constant functions (no derivative).
"""

import math

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.elementwise import (
    digamma,
    pow_log,
)

# ---- exponentials and logarithms -------------------------------------------------


@real_derivative(math.exp)
def exp_x(ans, x):
    return ans


@real_derivative(math.expm1)
def expm1_x(ans, x):
    return ans + 1.0


if hasattr(math, "exp2"):  # Python 3.11+

    @real_derivative(math.exp2)
    def exp2_x(ans, x):
        return ans * math.log(2.0)


@real_derivative(math.log, "x", divide=True)
def log_x(ans, x, base=None):
    return x if base is None else x * math.log(base)


@real_derivative(math.log, "base")
def log_base(ans, x, base=None):
    return -ans / (base * math.log(base))


@real_derivative(math.log1p, divide=True)
def log1p_x(ans, x):
    return 1.0 + x


@real_derivative(math.log2, divide=True)
def log2_x(ans, x):
    return x * math.log(2.0)


@real_derivative(math.log10, divide=True)
def log10_x(ans, x):
    return x * math.log(10.0)


# ---- powers and roots ------------------------------------------------------------


@real_derivative(math.sqrt, divide=True)
def sqrt_x(ans, x):
    return 2.0 * ans


if hasattr(math, "cbrt"):  # Python 3.11+

    @real_derivative(math.cbrt, divide=True)
    def cbrt_x(ans, x):
        return 3.0 * ans * ans


# pow(x, 0) is the constant 1, also at x == 0, where the general formula would raise.
@real_derivative(math.pow, "x")
def pow_x(ans, x, y):
    return y * math.pow(x, y - 1.0) if y != 0 else 0.0


@real_derivative(math.pow, "y")
def pow_y(ans, x, y):
    return ans * pow_log(x)


# ---- trigonometric functions -----------------------------------------------------


@real_derivative(math.sin)
def sin_x(ans, x):
    return math.cos(x)


@real_derivative(math.cos)
def cos_x(ans, x):
    return -math.sin(x)


@real_derivative(math.tan)
def tan_x(ans, x):
    return 1.0 + ans * ans


@real_derivative(math.asin, divide=True)
def asin_x(ans, x):
    return math.sqrt((1.0 - x) * (1.0 + x))


@real_derivative(math.acos, divide=True)
def acos_x(ans, x):
    return -math.sqrt((1.0 - x) * (1.0 + x))


@real_derivative(math.atan, divide=True)
def atan_x(ans, x):
    return 1.0 + x * x


@real_derivative(math.atan2, "y")
def atan2_y(ans, y, x):
    return x / (x * x + y * y)


@real_derivative(math.atan2, "x")
def atan2_x(ans, y, x):
    return -y / (x * x + y * y)


@vjp_rule(math.degrees)
def degrees_x(g, ans, x):
    return math.degrees(g)


@vjp_rule(math.radians)
def radians_x(g, ans, x):
    return math.radians(g)


linear(math.degrees, degrees_x, "x")
linear(math.radians, radians_x, "x")


# ---- hyperbolic functions --------------------------------------------------------


@real_derivative(math.sinh)
def sinh_x(ans, x):
    return math.cosh(x)


@real_derivative(math.cosh)
def cosh_x(ans, x):
    return math.sinh(x)


@real_derivative(math.tanh)
def tanh_x(ans, x):
    return 1.0 - ans * ans


@real_derivative(math.asinh, divide=True)
def asinh_x(ans, x):
    return math.hypot(x, 1.0)


@real_derivative(math.acosh, divide=True)
def acosh_x(ans, x):
    return math.sqrt((x - 1.0) * (x + 1.0))


@real_derivative(math.atanh, divide=True)
def atanh_x(ans, x):
    return (1.0 - x) * (1.0 + x)


# ---- special functions -----------------------------------------------------------


@real_derivative(math.erf)
def erf_x(ans, x):
    return (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@real_derivative(math.erfc)
def erfc_x(ans, x):
    return -(2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@real_derivative(math.gamma)
def gamma_x(ans, x):
    return ans * digamma(x)


@real_derivative(math.lgamma)
def lgamma_x(ans, x):
    return digamma(x)


# ---- sign, magnitude and remainders ----------------------------------------------


@vjp_rule(math.fabs)
def fabs_x(g, ans, x):
    return g * (x > 0) - g * (x < 0)


@jvp_rule(math.fabs)
def fabs_x_dot(x_dot, ans, x):
    return x_dot * (x > 0) - x_dot * (x < 0)


@vjp_rule(math.copysign, "x")
def copysign_x(g, ans, x, y):
    return (g * (x > 0) - g * (x < 0)) * math.copysign(1.0, y)


@jvp_rule(math.copysign, "x")
def copysign_x_dot(x_dot, ans, x, y):
    return (x_dot * (x > 0) - x_dot * (x < 0)) * math.copysign(1.0, y)


@real_derivative(math.copysign, "y")
def copysign_y(ans, x, y):
    return 0.0


# fmod(x, y) = x - n * y and remainder(x, y) = x - n * y, with n = (x - ans) / y an
# integer (truncated, or rounded to nearest) that is constant between the jumps.


@real_derivative(math.fmod, "x")
def fmod_x(ans, x, y):
    return 1.0


@real_derivative(math.fmod, "y")
def fmod_y(ans, x, y):
    return -((x - ans) / y)


@real_derivative(math.remainder, "x")
def remainder_x(ans, x, y):
    return 1.0


@real_derivative(math.remainder, "y")
def remainder_y(ans, x, y):
    return -((x - ans) / y)


@vjp_rule(math.ldexp, "x")
def ldexp_x(g, ans, x, i):
    return math.ldexp(g, i)


linear(math.ldexp, ldexp_x, "x")


if hasattr(math, "fma"):  # Python 3.13+

    @vjp_rule(math.fma, "x")
    def fma_x(g, ans, x, y, z):
        return g * y

    @vjp_rule(math.fma, "y")
    def fma_y(g, ans, x, y, z):
        return g * x

    @vjp_rule(math.fma, "z")
    def fma_z(g, ans, x, y, z):
        return g

    @jvp_rule(math.fma, "x")
    def fma_x_dot(x_dot, ans, x, y, z):
        return x_dot * y

    @jvp_rule(math.fma, "y")
    def fma_y_dot(y_dot, ans, x, y, z):
        return x * y_dot

    @jvp_rule(math.fma, "z")
    def fma_z_dot(z_dot, ans, x, y, z):
        return z_dot


# ---- piecewise constant and integer functions ------------------------------------

nondifferentiable(
    math.floor,
    math.ceil,
    math.trunc,
    math.isfinite,
    math.isinf,
    math.isnan,
    math.isclose,
    math.factorial,
    math.gcd,
    math.lcm,
    math.comb,
    math.perm,
    math.isqrt,
    math.ulp,
)
