"""Rules for the runtime helpers the shape rules call, so that derivatives differentiate
again: each helper and its transpose, linear in the derivative they take."""

import numpy as np

from s2sad.rules.registry import constant, linear, nondifferentiable, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.shapes import (
    array_like,
    concatenate_like,
    invert_axes,
    method_axes,
    method_shape,
    pad_tangent,
    ravel_tangent,
    reshape_order,
    restacked,
    unarray,
    uncolumn_stack,
    unconcatenate,
    undiag,
    undiagonal,
    undstack,
    unhstack,
    unpad,
    unravel,
    unrepeat,
    unstacked,
    untile,
    unvstack,
)

# axes, shapes and orders: no derivative
nondifferentiable(invert_axes, method_axes, method_shape, reshape_order)


# unconcatenate cuts g into pieces; concatenate_like joins them again: each the other's
# transpose, both linear in the derivative they take
@vjp_rule(unconcatenate, "g")
def unconcatenate_g(c, ans, g, arrays, axis=0):
    return concatenate_like(c, arrays, axis, g)


@vjp_rule(concatenate_like, "c")
def concatenate_like_c(b, ans, c, arrays, axis, g):
    return unconcatenate(b, arrays, axis)


linear(unconcatenate, unconcatenate_g, "g")
constant(unconcatenate, unconcatenate_g, "arrays")
linear(concatenate_like, concatenate_like_c, "c")
constant(concatenate_like, concatenate_like_c, "arrays", "g")


# unarray gives g the structure of np.array's argument; array_like makes it one array
@vjp_rule(unarray, "g")
def unarray_g(c, ans, g, obj):
    return array_like(c, obj, g)


@vjp_rule(array_like, "c")
def array_like_c(b, ans, c, obj, g):
    return unarray(b, obj)


linear(unarray, unarray_g, "g")
constant(unarray, unarray_g, "obj")
linear(array_like, array_like_c, "c")
constant(array_like, array_like_c, "obj", "g")


# undiagonal writes g on a diagonal of zeros: its transpose reads that diagonal (summed
# to g's shape when g broadcast against it)
@vjp_rule(undiagonal, "g")
def undiagonal_g(c, ans, g, a, offset=0, axis1=0, axis2=1):
    return unbroadcast(np.diagonal(c, offset, axis1, axis2), g)


linear(undiagonal, undiagonal_g, "g")
constant(undiagonal, undiagonal_g, "a")


# undiag(g, v, k) is np.diag's adjoint, and np.diag(c, k) its transpose, for 1-D and
# 2-D v alike
@vjp_rule(undiag, "g")
def undiag_g(c, ans, g, v, k=0):
    return np.diag(c, k)


linear(undiag, undiag_g, "g")
constant(undiag, undiag_g, "v")


# the stackings' adjoints: unstacked(g, tup, kind) cuts g, restacked joins it again
@vjp_rule(unhstack, "g")
def unhstack_g(c, ans, g, tup):
    return restacked(c, tup, "h", g)


linear(unhstack, unhstack_g, "g")
constant(unhstack, unhstack_g, "tup")


@vjp_rule(unvstack, "g")
def unvstack_g(c, ans, g, tup):
    return restacked(c, tup, "v", g)


linear(unvstack, unvstack_g, "g")
constant(unvstack, unvstack_g, "tup")


@vjp_rule(undstack, "g")
def undstack_g(c, ans, g, tup):
    return restacked(c, tup, "d", g)


linear(undstack, undstack_g, "g")
constant(undstack, undstack_g, "tup")


@vjp_rule(uncolumn_stack, "g")
def uncolumn_stack_g(c, ans, g, tup):
    return restacked(c, tup, "column", g)


linear(uncolumn_stack, uncolumn_stack_g, "g")
constant(uncolumn_stack, uncolumn_stack_g, "tup")


@vjp_rule(unstacked, "g")
def unstacked_g(c, ans, g, tup, kind):
    return restacked(c, tup, kind, g)


@vjp_rule(restacked, "c")
def restacked_c(b, ans, c, tup, kind, g):
    return unstacked(b, tup, kind)


linear(unstacked, unstacked_g, "g")
constant(unstacked, unstacked_g, "tup")
linear(restacked, restacked_c, "c")
constant(restacked, restacked_c, "tup", "g")


# tiles summed and tiled again; copies summed and repeated again
@vjp_rule(untile, "g")
def untile_g(c, ans, g, A, reps):
    return np.reshape(np.tile(c, reps), np.shape(g))


@vjp_rule(unrepeat, "g")
def unrepeat_g(c, ans, g, a, repeats, axis=None):
    return np.reshape(np.repeat(c, repeats, axis), np.shape(g))


linear(untile, untile_g, "g")
constant(untile, untile_g, "A")
linear(unrepeat, unrepeat_g, "g")
constant(unrepeat, unrepeat_g, "a")


# unpad and pad_tangent: np.pad's adjoint and tangent, each the other's transpose
@vjp_rule(unpad, "g")
def unpad_g(c, ans, g, array, pad_width, mode="constant", reflect_type="even"):
    return pad_tangent(c, pad_width, mode, reflect_type)


@vjp_rule(pad_tangent, "array_dot")
def pad_tangent_array_dot(b, ans, array_dot, pad_width, mode="constant",
                          reflect_type="even"):
    return unpad(b, array_dot, pad_width, mode, reflect_type)


linear(unpad, unpad_g, "g")
constant(unpad, unpad_g, "array")
linear(pad_tangent, pad_tangent_array_dot, "array_dot")


# ravel_tangent reads a tangent in a's order, unravel writes it back: each the other's
# transpose
@vjp_rule(unravel, "g")
def unravel_g(c, ans, g, a, order="C"):
    return np.reshape(ravel_tangent(c, a, order), np.shape(g))


@vjp_rule(ravel_tangent, "a_dot")
def ravel_tangent_a_dot(b, ans, a_dot, a, order="C"):
    return unravel(b, a, order)


linear(unravel, unravel_g, "g")
constant(unravel, unravel_g, "a")
linear(ravel_tangent, ravel_tangent_a_dot, "a_dot")
constant(ravel_tangent, ravel_tangent_a_dot, "a")
