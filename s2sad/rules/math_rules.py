"""Derivative rules for Python's ``math`` module.

Each rule is a template: ``g`` (or ``x_dot``) is the incoming adjoint (or tangent),
``ans`` the primal result, then the primal's own parameters. The arguments are real
scalars, so the templates use ``math`` functions only.

Where the derivative is infinite (``sqrt`` or ``cbrt`` at 0, ``asin`` at 1, ...), Python
float arithmetic raises ``ZeroDivisionError`` or ``ValueError`` as the primal functions
do at their own singularities. Conventions at kinks: ``fabs`` and ``copysign`` have
subgradient 0 at 0, ``hypot`` and ``dist`` have subgradient 0 at the origin, and
``pow(x, y)`` has derivative 0 in ``y`` where ``x == 0`` and in ``x`` where ``y == 0``.
Functions returning integers or booleans, and the piecewise constant
``floor``/``ceil``/``trunc``/``ulp``, carry no derivative. ``frexp``, ``modf`` and
``nextafter`` have no rules.
"""

import math

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.core import broadcast_like
from s2sad.runtime.elementwise import (
    digamma,
    dist_jvp,
    dist_vjp,
    each,
    hypot_jvp,
    hypot_vjp,
    over_norm,
    pow_log,
    prod_jvp,
    prod_vjp,
    scale_each,
)
from s2sad.runtime.reductions import sum_items_tangent

# ---- exponentials and logarithms -------------------------------------------------


@vjp_rule(math.exp)
def exp_x(g, ans, x):
    return g * ans


@jvp_rule(math.exp)
def exp_x_dot(x_dot, ans, x):
    return x_dot * ans


@vjp_rule(math.expm1)
def expm1_x(g, ans, x):
    return g * (ans + 1.0)


@jvp_rule(math.expm1)
def expm1_x_dot(x_dot, ans, x):
    return x_dot * (ans + 1.0)


if hasattr(math, "exp2"):  # Python 3.11+

    @vjp_rule(math.exp2)
    def exp2_x(g, ans, x):
        return g * ans * math.log(2.0)

    @jvp_rule(math.exp2)
    def exp2_x_dot(x_dot, ans, x):
        return x_dot * ans * math.log(2.0)


@vjp_rule(math.log, "x")
def log_x(g, ans, x, base=None):
    return g / x if base is None else g / (x * math.log(base))


@jvp_rule(math.log, "x")
def log_x_dot(x_dot, ans, x, base=None):
    return x_dot / x if base is None else x_dot / (x * math.log(base))


@vjp_rule(math.log, "base")
def log_base(g, ans, x, base=None):
    return -g * ans / (base * math.log(base))


@jvp_rule(math.log, "base")
def log_base_dot(base_dot, ans, x, base=None):
    return -base_dot * ans / (base * math.log(base))


@vjp_rule(math.log1p)
def log1p_x(g, ans, x):
    return g / (1.0 + x)


@jvp_rule(math.log1p)
def log1p_x_dot(x_dot, ans, x):
    return x_dot / (1.0 + x)


@vjp_rule(math.log2)
def log2_x(g, ans, x):
    return g / (x * math.log(2.0))


@jvp_rule(math.log2)
def log2_x_dot(x_dot, ans, x):
    return x_dot / (x * math.log(2.0))


@vjp_rule(math.log10)
def log10_x(g, ans, x):
    return g / (x * math.log(10.0))


@jvp_rule(math.log10)
def log10_x_dot(x_dot, ans, x):
    return x_dot / (x * math.log(10.0))


# ---- powers and roots ------------------------------------------------------------


@vjp_rule(math.sqrt)
def sqrt_x(g, ans, x):
    return g / (2.0 * ans)


@jvp_rule(math.sqrt)
def sqrt_x_dot(x_dot, ans, x):
    return x_dot / (2.0 * ans)


if hasattr(math, "cbrt"):  # Python 3.11+

    @vjp_rule(math.cbrt)
    def cbrt_x(g, ans, x):
        return g / (3.0 * ans * ans)

    @jvp_rule(math.cbrt)
    def cbrt_x_dot(x_dot, ans, x):
        return x_dot / (3.0 * ans * ans)


# pow(x, 0) is the constant 1, also at x == 0, where the general formula would raise.
@vjp_rule(math.pow, "x")
def pow_x(g, ans, x, y):
    return g * y * math.pow(x, y - 1.0) if y != 0 else 0.0 * g


@vjp_rule(math.pow, "y")
def pow_y(g, ans, x, y):
    return g * ans * pow_log(x)


@jvp_rule(math.pow, "x")
def pow_x_dot(x_dot, ans, x, y):
    return x_dot * y * math.pow(x, y - 1.0) if y != 0 else 0.0 * x_dot


@jvp_rule(math.pow, "y")
def pow_y_dot(y_dot, ans, x, y):
    return y_dot * ans * pow_log(x)


# ---- trigonometric functions -----------------------------------------------------


@vjp_rule(math.sin)
def sin_x(g, ans, x):
    return g * math.cos(x)


@jvp_rule(math.sin)
def sin_x_dot(x_dot, ans, x):
    return x_dot * math.cos(x)


@vjp_rule(math.cos)
def cos_x(g, ans, x):
    return -g * math.sin(x)


@jvp_rule(math.cos)
def cos_x_dot(x_dot, ans, x):
    return -x_dot * math.sin(x)


@vjp_rule(math.tan)
def tan_x(g, ans, x):
    return g * (1.0 + ans * ans)


@jvp_rule(math.tan)
def tan_x_dot(x_dot, ans, x):
    return x_dot * (1.0 + ans * ans)


@vjp_rule(math.asin)
def asin_x(g, ans, x):
    return g / math.sqrt((1.0 - x) * (1.0 + x))


@jvp_rule(math.asin)
def asin_x_dot(x_dot, ans, x):
    return x_dot / math.sqrt((1.0 - x) * (1.0 + x))


@vjp_rule(math.acos)
def acos_x(g, ans, x):
    return -g / math.sqrt((1.0 - x) * (1.0 + x))


@jvp_rule(math.acos)
def acos_x_dot(x_dot, ans, x):
    return -x_dot / math.sqrt((1.0 - x) * (1.0 + x))


@vjp_rule(math.atan)
def atan_x(g, ans, x):
    return g / (1.0 + x * x)


@jvp_rule(math.atan)
def atan_x_dot(x_dot, ans, x):
    return x_dot / (1.0 + x * x)


@vjp_rule(math.atan2, "y")
def atan2_y(g, ans, y, x):
    return g * x / (x * x + y * y)


@vjp_rule(math.atan2, "x")
def atan2_x(g, ans, y, x):
    return -g * y / (x * x + y * y)


@jvp_rule(math.atan2, "y")
def atan2_y_dot(y_dot, ans, y, x):
    return y_dot * x / (x * x + y * y)


@jvp_rule(math.atan2, "x")
def atan2_x_dot(x_dot, ans, y, x):
    return -x_dot * y / (x * x + y * y)


@vjp_rule(math.degrees)
def degrees_x(g, ans, x):
    return math.degrees(g)


@vjp_rule(math.radians)
def radians_x(g, ans, x):
    return math.radians(g)


linear(math.degrees, degrees_x, "x")
linear(math.radians, radians_x, "x")


# ---- hyperbolic functions --------------------------------------------------------


@vjp_rule(math.sinh)
def sinh_x(g, ans, x):
    return g * math.cosh(x)


@jvp_rule(math.sinh)
def sinh_x_dot(x_dot, ans, x):
    return x_dot * math.cosh(x)


@vjp_rule(math.cosh)
def cosh_x(g, ans, x):
    return g * math.sinh(x)


@jvp_rule(math.cosh)
def cosh_x_dot(x_dot, ans, x):
    return x_dot * math.sinh(x)


@vjp_rule(math.tanh)
def tanh_x(g, ans, x):
    return g * (1.0 - ans * ans)


@jvp_rule(math.tanh)
def tanh_x_dot(x_dot, ans, x):
    return x_dot * (1.0 - ans * ans)


@vjp_rule(math.asinh)
def asinh_x(g, ans, x):
    return g / math.hypot(x, 1.0)


@jvp_rule(math.asinh)
def asinh_x_dot(x_dot, ans, x):
    return x_dot / math.hypot(x, 1.0)


@vjp_rule(math.acosh)
def acosh_x(g, ans, x):
    return g / math.sqrt((x - 1.0) * (x + 1.0))


@jvp_rule(math.acosh)
def acosh_x_dot(x_dot, ans, x):
    return x_dot / math.sqrt((x - 1.0) * (x + 1.0))


@vjp_rule(math.atanh)
def atanh_x(g, ans, x):
    return g / ((1.0 - x) * (1.0 + x))


@jvp_rule(math.atanh)
def atanh_x_dot(x_dot, ans, x):
    return x_dot / ((1.0 - x) * (1.0 + x))


# ---- special functions -----------------------------------------------------------


@vjp_rule(math.erf)
def erf_x(g, ans, x):
    return g * (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@jvp_rule(math.erf)
def erf_x_dot(x_dot, ans, x):
    return x_dot * (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@vjp_rule(math.erfc)
def erfc_x(g, ans, x):
    return -g * (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@jvp_rule(math.erfc)
def erfc_x_dot(x_dot, ans, x):
    return -x_dot * (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@vjp_rule(math.gamma)
def gamma_x(g, ans, x):
    return g * ans * digamma(x)


@jvp_rule(math.gamma)
def gamma_x_dot(x_dot, ans, x):
    return x_dot * ans * digamma(x)


@vjp_rule(math.lgamma)
def lgamma_x(g, ans, x):
    return g * digamma(x)


@jvp_rule(math.lgamma)
def lgamma_x_dot(x_dot, ans, x):
    return x_dot * digamma(x)


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


@vjp_rule(math.copysign, "y")
def copysign_y(g, ans, x, y):
    return 0.0 * g


@jvp_rule(math.copysign, "x")
def copysign_x_dot(x_dot, ans, x, y):
    return (x_dot * (x > 0) - x_dot * (x < 0)) * math.copysign(1.0, y)


@jvp_rule(math.copysign, "y")
def copysign_y_dot(y_dot, ans, x, y):
    return 0.0 * y_dot


# fmod(x, y) = x - n * y and remainder(x, y) = x - n * y, with n = (x - ans) / y an
# integer (truncated, or rounded to nearest) that is constant between the jumps.


@vjp_rule(math.fmod, "x")
def fmod_x(g, ans, x, y):
    return g


@vjp_rule(math.fmod, "y")
def fmod_y(g, ans, x, y):
    return -g * ((x - ans) / y)


@jvp_rule(math.fmod, "x")
def fmod_x_dot(x_dot, ans, x, y):
    return x_dot


@jvp_rule(math.fmod, "y")
def fmod_y_dot(y_dot, ans, x, y):
    return -y_dot * ((x - ans) / y)


@vjp_rule(math.remainder, "x")
def remainder_x(g, ans, x, y):
    return g


@vjp_rule(math.remainder, "y")
def remainder_y(g, ans, x, y):
    return -g * ((x - ans) / y)


@jvp_rule(math.remainder, "x")
def remainder_x_dot(x_dot, ans, x, y):
    return x_dot


@jvp_rule(math.remainder, "y")
def remainder_y_dot(y_dot, ans, x, y):
    return -y_dot * ((x - ans) / y)


@vjp_rule(math.ldexp, "x")
def ldexp_x(g, ans, x, i):
    return math.ldexp(g, i)


linear(math.ldexp, ldexp_x, "x")


# ---- norms -----------------------------------------------------------------------


@vjp_rule(math.hypot, "coordinates")
def hypot_coordinates(g, ans, *coordinates):
    return hypot_vjp(g, ans, coordinates)


@jvp_rule(math.hypot, "coordinates")
def hypot_coordinates_dot(coordinates_dot, ans, *coordinates):
    return hypot_jvp(coordinates_dot, ans, coordinates)


@vjp_rule(math.dist, "p")
def dist_p(g, ans, p, q):
    return dist_vjp(g, ans, p, q)


@vjp_rule(math.dist, "q")
def dist_q(g, ans, p, q):
    return dist_vjp(g, ans, q, p)


@jvp_rule(math.dist, "p")
def dist_p_dot(p_dot, ans, p, q):
    return dist_jvp(p_dot, ans, p, q)


@jvp_rule(math.dist, "q")
def dist_q_dot(q_dot, ans, p, q):
    return dist_jvp(q_dot, ans, q, p)


# ---- sums and products of sequences ----------------------------------------------


@vjp_rule(math.fsum, "seq")
def fsum_seq(g, ans, seq):
    return each(g, seq)


linear(math.fsum, fsum_seq, "seq")


@vjp_rule(math.prod, "iterable")
def prod_iterable(g, ans, iterable, *, start=1):
    return prod_vjp(g, iterable, start)


@vjp_rule(math.prod, "start")
def prod_start(g, ans, iterable, *, start=1):
    return g * math.prod(iterable)


@jvp_rule(math.prod, "iterable")
def prod_iterable_dot(iterable_dot, ans, iterable, *, start=1):
    return prod_jvp(iterable_dot, iterable, start)


@jvp_rule(math.prod, "start")
def prod_start_dot(start_dot, ans, iterable, *, start=1):
    return start_dot * math.prod(iterable)


if hasattr(math, "sumprod"):  # Python 3.12+

    @vjp_rule(math.sumprod, "p")
    def sumprod_p(g, ans, p, q):
        return scale_each(g, q)

    @vjp_rule(math.sumprod, "q")
    def sumprod_q(g, ans, p, q):
        return scale_each(g, p)

    linear(math.sumprod, sumprod_p, "p", "q")


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


# each(g, items) hands g to every item of a sum (math.fsum): its transpose sums them
@vjp_rule(each, "g")
def each_g(c, ans, g, items):
    return broadcast_like(sum_items_tangent(c, items, g), g)


linear(each, each_g, "g")
constant(each, each_g, "items")


# math.hypot's helpers: hypot_vjp(g, ans, c) = (g c_i / ans)_i and hypot_jvp(d, ans, c) =
# sum d_i c_i / ans, each bilinear (for a fixed ans) and the other's transpose; in ans
# both scale by 1 / ans, whose slope is -1 / ans ** 2
@vjp_rule(hypot_vjp, "g")
def hypot_vjp_g(b, ans_, g, ans, coordinates):
    return hypot_jvp(b, ans, coordinates)


@vjp_rule(hypot_vjp, "coordinates")
def hypot_vjp_coordinates(b, ans_, g, ans, coordinates):
    return hypot_vjp(g, ans, b)


@vjp_rule(hypot_vjp, "ans")
def hypot_vjp_ans(b, ans_, g, ans, coordinates):
    return -g * over_norm(hypot_jvp(b, ans, coordinates), ans)


@jvp_rule(hypot_vjp, "ans")
def hypot_vjp_ans_dot(ans_dot, ans_, g, ans, coordinates):
    return hypot_vjp(-g * ans_dot * over_norm(1.0, ans), ans, coordinates)


linear(hypot_vjp, hypot_vjp_g, "g", "coordinates")


@vjp_rule(hypot_jvp, "coordinates_dot")
def hypot_jvp_coordinates_dot(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates)


@vjp_rule(hypot_jvp, "coordinates")
def hypot_jvp_coordinates(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates_dot)


@vjp_rule(hypot_jvp, "ans")
def hypot_jvp_ans(b, ans_, coordinates_dot, ans, coordinates):
    return -b * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


@jvp_rule(hypot_jvp, "ans")
def hypot_jvp_ans_dot(ans_dot, ans_, coordinates_dot, ans, coordinates):
    return -ans_dot * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


linear(hypot_jvp, hypot_jvp_coordinates, "coordinates_dot", "coordinates")
