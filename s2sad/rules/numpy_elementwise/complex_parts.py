"""Rules for the parts of complex numbers: ``real``, ``imag``, ``conjugate``, ``angle``."""

import numpy as np

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime import conj, real_adjoint
from s2sad.runtime.elementwise import angle_slope

# Real-linear maps: the JVP applies the function to the tangent. With the convention
# g = dL/dRe + i dL/dIm, the adjoint of real(z) is g, of imag(z) is i g, of conj(z) is
# conj(g). A real result's adjoint is real: when it met complex values on the way (as in
# 1j * np.real(z)), only its real part counts (real_adjoint).


@vjp_rule(np.real)
def real_val(g, ans, val):
    return real_adjoint(g)


@vjp_rule(np.imag)
def imag_val(g, ans, val):
    return 1j * real_adjoint(g)


# np.conj is np.conjugate.
@vjp_rule(np.conjugate)
def conjugate_x(g, ans, x):
    return conj(g)


# angle(z) = atan2(Im z, Re z): its gradient in (Re, Im) is i z / |z|^2 = i / conj(z), taken
# as 0 at 0 (and 0 for a real z, whose angle is piecewise constant).
@vjp_rule(np.angle, "z")
def angle_z(g, ans, z, deg=False):
    return real_adjoint(g) * angle_slope(z, deg)


@jvp_rule(np.angle, "z")
def angle_z_dot(z_dot, ans, z, deg=False):
    return np.real(z_dot * conj(angle_slope(z, deg)))


linear(np.real, real_val, "val")
linear(np.imag, imag_val, "val")
linear(np.conjugate, conjugate_x, "x")
