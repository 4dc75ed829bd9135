"""Derivative rules for NumPy's products: dot, vdot, inner, outer, matmul, tensordot,
einsum, kron and cross.

Each product is linear in each operand separately, so the JVPs are declared ``linear``
(einsum's operands form one *varargs parameter, so it has an explicit JVP summing one
term per operand). The VJP of an operand contracts ``g`` with the conjugated other
operands, which is the adjoint for complex inputs too.
"""

import operator

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, share, vjp_rule
from s2sad.runtime.core import conj, unbroadcast
from s2sad.runtime.products import (
    convolve_adjoint,
    correlate_margins,
    cross_adjoint_a,
    cross_adjoint_b,
    dot_adjoint_a,
    dot_adjoint_b,
    einsum_adjoints,
    einsum_adjoints_tangent,
    einsum_second_tangent,
    einsum_tangent,
    inner_adjoint_a,
    inner_adjoint_b,
    kron_adjoint_a,
    kron_adjoint_b,
    outer_adjoint_a,
    outer_adjoint_b,
    polyval_exponents,
    tensordot_adjoint_a,
    tensordot_adjoint_b,
)

# ---- dot, vdot, inner, outer -------------------------------------------------------


@vjp_rule(np.dot, "a")
def dot_a(g, ans, a, b, out=None):
    return dot_adjoint_a(g, a, b)


@vjp_rule(np.dot, "b")
def dot_b(g, ans, a, b, out=None):
    return dot_adjoint_b(g, a, b)


@vjp_rule(np.vdot, "a")
def vdot_a(g, ans, a, b):
    return np.reshape(np.conj(g) * b, np.shape(a))


@vjp_rule(np.vdot, "b")
def vdot_b(g, ans, a, b):
    return np.reshape(g * a, np.shape(b))


@vjp_rule(np.inner, "a")
def inner_a(g, ans, a, b):
    return inner_adjoint_a(g, a, b)


@vjp_rule(np.inner, "b")
def inner_b(g, ans, a, b):
    return inner_adjoint_b(g, a, b)


@vjp_rule(np.outer, "a")
def outer_a(g, ans, a, b, out=None):
    return outer_adjoint_a(g, a, b)


@vjp_rule(np.outer, "b")
def outer_b(g, ans, a, b, out=None):
    return outer_adjoint_b(g, a, b)


linear(np.dot, dot_a, "a", "b")
linear(np.vdot, vdot_a, "a", "b")
linear(np.inner, inner_a, "a", "b")
linear(np.outer, outer_a, "a", "b")

# ---- matmul and tensordot ----------------------------------------------------------

share(np.matmul, operator.matmul)  # the rules of @ (s2sad.rules.operators)


@vjp_rule(np.tensordot, "a")
def tensordot_a(g, ans, a, b, axes=2):
    return tensordot_adjoint_a(g, a, b, axes)


@vjp_rule(np.tensordot, "b")
def tensordot_b(g, ans, a, b, axes=2):
    return tensordot_adjoint_b(g, a, b, axes)


linear(np.tensordot, tensordot_a, "a", "b")

# ---- einsum (subscripts as a string; implicit or explicit output) ------------------


@vjp_rule(np.einsum, "operands")
def einsum_operands(g, ans, subscripts, *operands, optimize=False):
    return einsum_adjoints(g, subscripts, operands, optimize)


@jvp_rule(np.einsum, "operands")
def einsum_operands_dot(operands_dot, ans, subscripts, *operands, optimize=False):
    return einsum_tangent(operands_dot, ans, subscripts, operands, optimize)


# ---- kron and cross ----------------------------------------------------------------


@vjp_rule(np.kron, "a")
def kron_a(g, ans, a, b):
    return kron_adjoint_a(g, a, b)


@vjp_rule(np.kron, "b")
def kron_b(g, ans, a, b):
    return kron_adjoint_b(g, a, b)


@vjp_rule(np.cross, "a")
def cross_a(g, ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return cross_adjoint_a(g, a, b, axisa, axisb, axisc, axis)


@vjp_rule(np.cross, "b")
def cross_b(g, ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return cross_adjoint_b(g, a, b, axisa, axisb, axisc, axis)


linear(np.kron, kron_a, "a", "b")
linear(np.cross, cross_a, "a", "b")


# ---- the products' adjoints, differentiated again --------------------------------------
# Each adjoint is linear in g and in the other factor: its transpose in g is the product
# itself, and its derivative in the other factor is the other adjoint (as for matmul).


@vjp_rule(tensordot_adjoint_a, "g")
def tensordot_adjoint_a_g(c, ans, g, a, b, axes=2):
    return np.reshape(np.tensordot(c, b, axes), np.shape(g))


@vjp_rule(tensordot_adjoint_a, "b")
def tensordot_adjoint_a_b(c, ans, g, a, b, axes=2):
    return tensordot_adjoint_b(g, c, b, axes)


@vjp_rule(tensordot_adjoint_b, "g")
def tensordot_adjoint_b_g(c, ans, g, a, b, axes=2):
    return np.reshape(np.tensordot(a, c, axes), np.shape(g))


@vjp_rule(tensordot_adjoint_b, "a")
def tensordot_adjoint_b_a(c, ans, g, a, b, axes=2):
    return tensordot_adjoint_a(g, a, c, axes)


linear(tensordot_adjoint_a, tensordot_adjoint_a_g, "g", "b")
constant(tensordot_adjoint_a, tensordot_adjoint_a_g, "a")
linear(tensordot_adjoint_b, tensordot_adjoint_b_g, "g", "a")
constant(tensordot_adjoint_b, tensordot_adjoint_b_g, "b")


@vjp_rule(kron_adjoint_a, "g")
def kron_adjoint_a_g(c, ans, g, a, b):
    return np.reshape(np.kron(c, b), np.shape(g))


@vjp_rule(kron_adjoint_a, "b")
def kron_adjoint_a_b(c, ans, g, a, b):
    return kron_adjoint_b(g, c, b)


@vjp_rule(kron_adjoint_b, "g")
def kron_adjoint_b_g(c, ans, g, a, b):
    return np.reshape(np.kron(a, c), np.shape(g))


@vjp_rule(kron_adjoint_b, "a")
def kron_adjoint_b_a(c, ans, g, a, b):
    return kron_adjoint_a(g, a, c)


linear(kron_adjoint_a, kron_adjoint_a_g, "g", "b")
constant(kron_adjoint_a, kron_adjoint_a_g, "a")
linear(kron_adjoint_b, kron_adjoint_b_g, "g", "a")
constant(kron_adjoint_b, kron_adjoint_b_g, "b")


# cross_adjoint_a(g, a, b) = b x g and cross_adjoint_b(g, a, b) = g x a, along their axes
@vjp_rule(cross_adjoint_a, "g")
def cross_adjoint_a_g(c, ans, g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return unbroadcast(np.cross(c, b, axisa, axisb, axisc, axis), g)


@vjp_rule(cross_adjoint_a, "b")
def cross_adjoint_a_b(c, ans, g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return cross_adjoint_b(g, c, b, axisa, axisb, axisc, axis)


@vjp_rule(cross_adjoint_b, "g")
def cross_adjoint_b_g(c, ans, g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return unbroadcast(np.cross(a, c, axisa, axisb, axisc, axis), g)


@vjp_rule(cross_adjoint_b, "a")
def cross_adjoint_b_a(c, ans, g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return cross_adjoint_a(g, a, c, axisa, axisb, axisc, axis)


linear(cross_adjoint_a, cross_adjoint_a_g, "g", "b")
constant(cross_adjoint_a, cross_adjoint_a_g, "a")
linear(cross_adjoint_b, cross_adjoint_b_g, "g", "a")
constant(cross_adjoint_b, cross_adjoint_b_g, "b")


# einsum's adjoints and tangent: multilinear contractions. einsum_adjoints is linear in g
# (its transpose is einsum_tangent) and in each operand but its own, so its derivative in
# the operands replaces one operand at a time (einsum_adjoints_tangent); einsum_tangent
# likewise (einsum_second_tangent replaces two).
@vjp_rule(einsum_adjoints, "g")
def einsum_adjoints_g(c, ans, g, subscripts, operands, optimize=False):
    return np.reshape(einsum_tangent(c, g, subscripts, operands, optimize), np.shape(g))


@vjp_rule(einsum_adjoints, "operands")
def einsum_adjoints_operands(c, ans, g, subscripts, operands, optimize=False):
    return einsum_adjoints_tangent(c, g, subscripts, operands, optimize)


@jvp_rule(einsum_adjoints, "operands")
def einsum_adjoints_operands_dot(operands_dot, ans, g, subscripts, operands, optimize=False):
    return einsum_adjoints_tangent(operands_dot, g, subscripts, operands, optimize)


linear(einsum_adjoints, einsum_adjoints_g, "g")


@vjp_rule(einsum_tangent, "operands_dot")
def einsum_tangent_operands_dot(b, ans_, operands_dot, ans, subscripts, operands,
                                optimize=False):
    return einsum_adjoints(b, subscripts, operands, optimize)


@vjp_rule(einsum_tangent, "operands")
def einsum_tangent_operands(b, ans_, operands_dot, ans, subscripts, operands, optimize=False):
    return einsum_adjoints_tangent(operands_dot, b, subscripts, operands, optimize)


@jvp_rule(einsum_tangent, "operands")
def einsum_tangent_operands_tangent(t, ans_, operands_dot, ans, subscripts, operands,
                                    optimize=False):
    return einsum_second_tangent(operands_dot, t, ans, subscripts, operands, optimize)


linear(einsum_tangent, einsum_tangent_operands_dot, "operands_dot")
constant(einsum_tangent, einsum_tangent_operands_dot, "ans")


# ---- convolve ----------------------------------------------------------------------


@vjp_rule(np.convolve, "a")
def convolve_a(g, ans, a, v, mode="full"):
    return convolve_adjoint(g, a, v, mode)


@vjp_rule(np.convolve, "v")
def convolve_v(g, ans, a, v, mode="full"):
    return convolve_adjoint(g, v, a, mode)


linear(np.convolve, convolve_a, "a", "v")
constant(np.convolve, convolve_a, "mode")


# convolve_adjoint(g, a, v) correlates g with v: linear in g (its transpose convolves
# again) and in conj(v), whose transpose is the same correlation with the roles of a and
# v exchanged; a gives its length only
@vjp_rule(convolve_adjoint, "g")
def convolve_adjoint_g(c, ans, g, a, v, mode="full"):
    return np.reshape(np.convolve(c, v, mode), np.shape(g))


@vjp_rule(convolve_adjoint, "v")
def convolve_adjoint_v(c, ans, g, a, v, mode="full"):
    return convolve_adjoint(g, v, c, mode)


linear(convolve_adjoint, convolve_adjoint_g, "g", "v")
constant(convolve_adjoint, convolve_adjoint_g, "a", "mode")


# ---- correlate: the full convolution with v reversed and conjugated, a part of it kept --


@vjp_rule(np.correlate, "a")
def correlate_a(g, ans, a, v, mode="valid"):
    return convolve_adjoint(np.pad(g, correlate_margins(a, v, mode)), a, np.conj(v[::-1]),
                            "full")


@vjp_rule(np.correlate, "v")
def correlate_v(g, ans, a, v, mode="valid"):
    return np.conj(convolve_adjoint(np.pad(g, correlate_margins(a, v, mode)),
                                    np.conj(v[::-1]), a, "full"))[::-1]


linear(np.correlate, correlate_a, "a", "v")
constant(np.correlate, correlate_a, "mode")
nondifferentiable(correlate_margins, polyval_exponents)


# ---- polyval: linear in the coefficients, whose derivative in x is the derivative's ----


@vjp_rule(np.polyval, "p")
def polyval_p(g, ans, p, x):
    return np.ravel(g) @ conj(np.reshape(x, (-1, 1)) ** polyval_exponents(p))


@vjp_rule(np.polyval, "x")
def polyval_x(g, ans, p, x):
    return g * conj(np.polyval(np.asarray(p)[:-1] * polyval_exponents(p)[:-1], x))


@jvp_rule(np.polyval, "x")
def polyval_x_dot(x_dot, ans, p, x):
    return x_dot * np.polyval(np.asarray(p)[:-1] * polyval_exponents(p)[:-1], x)


linear(np.polyval, polyval_p, "p")
