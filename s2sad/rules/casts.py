"""Derivative rules for casts: ``x.astype(dtype)``, the NumPy scalar types called as
functions (``np.float32(x)``, ``np.int64(x)``) and ``complex(re, im)``.

A cast to an integer or boolean dtype has a zero derivative; a cast to a float or
complex dtype casts the tangent alike, and the adjoint goes back to the input's dtype
(the real part for a real input). A cast from complex to real takes the real part, and so
does its derivative. ``dtype=`` arguments of other functions: ``s2sad/analyses/casts.py``.
"""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.shapes import cast_adjoint, cast_tangent, uncast


@vjp_rule(np.ndarray.astype)
def method_astype(g, ans, self, dtype, order="K", casting="unsafe", subok=True, copy=True):
    return cast_adjoint(g, self, dtype)


@jvp_rule(np.ndarray.astype)
def method_astype_dot(self_dot, ans, self, dtype, order="K", casting="unsafe", subok=True,
                      copy=True):
    return cast_tangent(self_dot, dtype)


_FLOATS = (np.float16, np.float32, np.float64, np.longdouble, np.complex64, np.complex128,
           np.clongdouble)
_INTEGERS = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
             np.bool_, np.intp, np.uintp, np.longlong, np.ulonglong)


def _scalar_type_x(g, ans, x=0):
    return uncast(g, x)


def _scalar_type_x_dot(x_dot, ans, x=0):
    return cast_tangent(x_dot, np.result_type(ans))


for _type in _FLOATS:
    vjp_rule(_type, "x")(_scalar_type_x)
    jvp_rule(_type, "x")(_scalar_type_x_dot)
nondifferentiable(*_INTEGERS)


@vjp_rule(complex, "real")
def complex_real(g, ans, real=0, imag=0):
    return np.real(g)


@vjp_rule(complex, "imag")
def complex_imag(g, ans, real=0, imag=0):
    return np.imag(g)


@jvp_rule(complex, "real")
def complex_real_dot(real_dot, ans, real=0, imag=0):
    return complex(real_dot)


@jvp_rule(complex, "imag")
def complex_imag_dot(imag_dot, ans, real=0, imag=0):
    return 1j * imag_dot


# ---- the helpers, so casts differentiate again ---------------------------------------


@vjp_rule(cast_adjoint, "g")
def cast_adjoint_g(h, ans, g, x, dtype):
    return cast_adjoint(h, g, dtype)


linear(cast_adjoint, cast_adjoint_g, "g")
constant(cast_adjoint, cast_adjoint_g, "x", "dtype")


@vjp_rule(cast_tangent, "x_dot")
def cast_tangent_x_dot(h, ans, x_dot, dtype):
    return cast_adjoint(h, x_dot, dtype)


linear(cast_tangent, cast_tangent_x_dot, "x_dot")
constant(cast_tangent, cast_tangent_x_dot, "dtype")


@vjp_rule(uncast, "g")
def uncast_g(h, ans, g, x):
    return uncast(h, g)


linear(uncast, uncast_g, "g")
constant(uncast, uncast_g, "x")
