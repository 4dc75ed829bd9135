"""Derivative rules for Python's operators, keyed by the ``operator`` functions the
compiler maps syntax to (``a + b`` is ``operator.add(a, b)``), plus ``abs``.

Operands may be Python numbers, NumPy scalars or arrays, with NumPy broadcasting: an
adjoint is summed back to its operand's shape (``unbroadcast``), so the scalar ``b`` in
``a / b`` or ``a ** b`` gets the sum over all elements, and a tangent contribution is
broadcast to the result's shape (``broadcast_like``).

Complex operands follow the convention ``g = dL/dRe + i dL/dIm``: a holomorphic
operation multiplies the adjoint by its conjugated derivative (``conj`` is free for
real values).

Conventions at non-differentiable points: ``abs`` has subgradient 0 at 0 (like
``np.sign``; for complex ``a`` its derivative is built from ``a / |a|``); ``a ** b`` has
derivative 0 in ``b`` where ``a == 0`` and in ``a`` where ``b == 0``. Where a derivative
is infinite (``x ** 0.5`` at 0), Python floats raise ``ZeroDivisionError`` and NumPy
gives inf. ``a // b``, ``a % b`` (also string formatting), comparisons and the logical
and bitwise operators carry no derivative.
"""

import operator

import numpy as np

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import broadcast_like, unbroadcast
from s2sad.runtime.core import conj, real_adjoint
from s2sad.runtime.elementwise import pow_log, pow_slope, sign
from s2sad.runtime.products import matmul_adjoint_a, matmul_adjoint_b

# ---- addition and subtraction ------------------------------------------------------


@derivative(operator.add, "a", unbroadcast=True, broadcast=True)
def add_a(ans, a, b):
    return 1.0


@derivative(operator.add, "b", unbroadcast=True, broadcast=True)
def add_b(ans, a, b):
    return 1.0


@derivative(operator.sub, "a", unbroadcast=True, broadcast=True)
def sub_a(ans, a, b):
    return 1.0


@vjp_rule(operator.sub, "b")
def sub_b(g, ans, a, b):
    return -unbroadcast(g, b)  # a reduction first, then the negation (of fewer numbers)


@jvp_rule(operator.sub, "b")
def sub_b_dot(b_dot, ans, a, b):
    return broadcast_like(-b_dot, ans)


# ---- sign --------------------------------------------------------------------------


@vjp_rule(operator.neg, "a")
def neg_a(g, ans, a):
    return -g


@vjp_rule(operator.pos, "a")
def pos_a(g, ans, a):
    return g


linear(operator.neg, neg_a, "a")
linear(operator.pos, pos_a, "a")


@vjp_rule(operator.abs, "a")
def abs_a(g, ans, a):
    return real_adjoint(g) * sign(a)


@jvp_rule(operator.abs, "a")
def abs_a_dot(a_dot, ans, a):
    return np.real(a_dot * conj(sign(a)))


@vjp_rule(abs, "x")
def builtin_abs_x(g, ans, x):
    return real_adjoint(g) * sign(x)


@jvp_rule(abs, "x")
def builtin_abs_x_dot(x_dot, ans, x):
    return np.real(x_dot * conj(sign(x)))


# ---- multiplication and division ---------------------------------------------------


@vjp_rule(operator.mul, "a")
def mul_a(g, ans, a, b):
    return unbroadcast(g * conj(b), a)


@vjp_rule(operator.mul, "b")
def mul_b(g, ans, a, b):
    return unbroadcast(g * conj(a), b)


linear(operator.mul, mul_a, "a", "b")


@vjp_rule(operator.truediv, "a")
def truediv_a(g, ans, a, b):
    return unbroadcast(g / conj(b), a)


@derivative(operator.truediv, "b", unbroadcast=True)
def truediv_b(ans, a, b):
    return -ans / b


linear(operator.truediv, truediv_a, "a")


# ---- powers ------------------------------------------------------------------------


# ``(b == 0) is False`` folds away for a literal exponent and is a plain test for a
# Python number; a zero, array or NumPy-scalar exponent goes through pow_slope, which
# gives ``a ** 0`` its zero derivative also at ``a == 0``.


@derivative(operator.pow, "a", unbroadcast=True)
def pow_a(ans, a, b):
    return b * a ** (b - 1) if (b == 0) is False else pow_slope(a, b)


@derivative(operator.pow, "b", unbroadcast=True)
def pow_b(ans, a, b):
    return ans * pow_log(a)


# ---- matrix product ----------------------------------------------------------------


@vjp_rule(operator.matmul, "a")
def matmul_a(g, ans, a, b):
    return matmul_adjoint_a(g, a, b)


@vjp_rule(operator.matmul, "b")
def matmul_b(g, ans, a, b):
    return matmul_adjoint_b(g, a, b)


linear(operator.matmul, matmul_a, "a", "b")


# ---- remainder: a % b = a - floor(a / b) * b, slope 1 in a between its jumps -------


@derivative(operator.mod, "a", unbroadcast=True, broadcast=True)
def mod_a(ans, a, b):
    return 1.0


@real_derivative(operator.mod, "b", unbroadcast=True)
def mod_b(ans, a, b):
    return -np.floor(a / b)


# ---- piecewise constant, boolean and identity operators ----------------------------

nondifferentiable(
    operator.floordiv,
    operator.lt,
    operator.le,
    operator.gt,
    operator.ge,
    operator.eq,
    operator.ne,
    operator.not_,
    operator.truth,
    operator.and_,
    operator.or_,
    operator.xor,
    operator.invert,
    operator.lshift,
    operator.rshift,
    operator.is_,
    operator.is_not,
    operator.contains,
)
