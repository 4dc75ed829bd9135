"""Derivative rules for NumPy's shape and assembly functions.

All of these are linear in their array arguments, so most are declared ``linear`` (the
JVP is the function applied to the tangent) and given a VJP that maps the output's
adjoint back to the input's shape. reshape and ravel have explicit JVPs instead: with
order 'A' or 'K' the element order depends on the memory layout of the primal input,
which the tangent need not share. Functions taking a sequence of arrays (concatenate,
stack, the *stack family, atleast_*d) return a tuple of adjoints; the splitting
functions return a list, so their adjoint is a list (None entries count as zeros).

np.pad supports the modes 'constant' (the constant is not differentiated), 'edge',
'reflect', 'symmetric' and 'wrap'.
"""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.shapes import (
    array_like,
    concatenate_like,
    fill_zeros,
    invert_axes,
    method_axes,
    method_shape,
    pad_constant_adjoint,
    pad_tangent,
    ravel_tangent,
    reshape_order,
    restacked,
    unarray,
    unatleast,
    uncolumn_stack,
    unconcatenate,
    undiag,
    undiagonal,
    undstack,
    unhstack,
    unpad,
    unravel,
    unrepeat,
    unsplit,
    unstacked,
    untile,
    unvstack,
)

# ---- reshaping and axis permutations -----------------------------------------------


@vjp_rule(np.reshape)
def reshape_a(g, ans, a, shape, order="C", *, copy=None):
    return np.reshape(g, np.shape(a)) if order == "C" else np.reshape(
        g, np.shape(a), order=reshape_order(order, a))


@jvp_rule(np.reshape)
def reshape_a_dot(a_dot, ans, a, shape, order="C", *, copy=None):
    return np.reshape(a_dot, shape) if order == "C" else np.reshape(
        a_dot, shape, order=reshape_order(order, a))


@vjp_rule(np.ravel)
def ravel_a(g, ans, a, order="C"):
    return np.reshape(g, np.shape(a)) if order == "C" else unravel(g, a, order)


@jvp_rule(np.ravel)
def ravel_a_dot(a_dot, ans, a, order="C"):
    return np.ravel(a_dot) if order == "C" else ravel_tangent(a_dot, a, order)


@vjp_rule(np.squeeze)
def squeeze_a(g, ans, a, axis=None):
    return np.reshape(g, np.shape(a))


@vjp_rule(np.expand_dims)
def expand_dims_a(g, ans, a, axis):
    return np.reshape(g, np.shape(a))


@vjp_rule(np.transpose)
def transpose_a(g, ans, a, axes=None):
    return np.transpose(g) if axes is None else np.transpose(g, invert_axes(axes, np.ndim(a)))


@vjp_rule(np.swapaxes)
def swapaxes_a(g, ans, a, axis1, axis2):
    return np.swapaxes(g, axis1, axis2)


@vjp_rule(np.moveaxis)
def moveaxis_a(g, ans, a, source, destination):
    return np.moveaxis(g, destination, source)


@vjp_rule(np.broadcast_to)
def broadcast_to_array(g, ans, array, shape, subok=False):
    return unbroadcast(g, array)


linear(np.squeeze, squeeze_a, "a")
linear(np.expand_dims, expand_dims_a, "a")
linear(np.transpose, transpose_a, "a")
linear(np.swapaxes, swapaxes_a, "a")
linear(np.moveaxis, moveaxis_a, "a")
linear(np.broadcast_to, broadcast_to_array, "array")

# ---- array construction and copies -------------------------------------------------


@vjp_rule(np.array)
def array_object(g, ans, object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0):
    return unarray(g, object)


@vjp_rule(np.asarray)
def asarray_a(g, ans, a, dtype=None, order=None, *, device=None, copy=None):
    return unarray(g, a)


@vjp_rule(np.ascontiguousarray)
def ascontiguousarray_a(g, ans, a, dtype=None):
    return unarray(g, a)


@vjp_rule(np.copy)
def copy_a(g, ans, a, order="K", subok=False):
    return unarray(g, a)


@vjp_rule(np.atleast_1d)
@vjp_rule(np.atleast_2d)
@vjp_rule(np.atleast_3d)
def atleast_arys(g, ans, *arys):
    return unatleast(g, arys)


linear(np.array, array_object, "object")
linear(np.asarray, asarray_a, "a")
linear(np.ascontiguousarray, ascontiguousarray_a, "a")
linear(np.copy, copy_a, "a")


@jvp_rule(np.atleast_1d)
def atleast_1d_arys_dot(arys_dot, ans, *arys):
    return np.atleast_1d(*arys_dot)


@jvp_rule(np.atleast_2d)
def atleast_2d_arys_dot(arys_dot, ans, *arys):
    return np.atleast_2d(*arys_dot)


@jvp_rule(np.atleast_3d)
def atleast_3d_arys_dot(arys_dot, ans, *arys):
    return np.atleast_3d(*arys_dot)

# ---- joining -----------------------------------------------------------------------


@vjp_rule(np.concatenate)
def concatenate_arrays(g, ans, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return unconcatenate(g, arrays, axis)


@vjp_rule(np.stack)
def stack_arrays(g, ans, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return np.unstack(g, axis=axis)


@vjp_rule(np.hstack)
def hstack_tup(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unhstack(g, tup)


@vjp_rule(np.vstack)
def vstack_tup(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unvstack(g, tup)


@vjp_rule(np.dstack)
def dstack_tup(g, ans, tup):
    return undstack(g, tup)


@vjp_rule(np.column_stack)
def column_stack_tup(g, ans, tup):
    return uncolumn_stack(g, tup)


linear(np.concatenate, concatenate_arrays, "arrays")
linear(np.stack, stack_arrays, "arrays")
linear(np.hstack, hstack_tup, "tup")
linear(np.vstack, vstack_tup, "tup")
linear(np.dstack, dstack_tup, "tup")
linear(np.column_stack, column_stack_tup, "tup")

# ---- splitting (the primal returns a list) -----------------------------------------


@vjp_rule(np.split)
@vjp_rule(np.array_split)
def split_ary(g, ans, ary, indices_or_sections, axis=0):
    return unsplit(g, ans, axis)


@vjp_rule(np.hsplit)
def hsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 1 if np.ndim(ary) > 1 else 0)


@vjp_rule(np.vsplit)
def vsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 0)


@vjp_rule(np.dsplit)
def dsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 2)


@vjp_rule(np.unstack)
def unstack_x(g, ans, x, *, axis=0):
    return np.stack(fill_zeros(g, ans), axis=axis)


linear(np.split, split_ary, "ary")
linear(np.array_split, split_ary, "ary")
linear(np.hsplit, hsplit_ary, "ary")
linear(np.vsplit, vsplit_ary, "ary")
linear(np.dsplit, dsplit_ary, "ary")
linear(np.unstack, unstack_x, "x")

# ---- tiling, repeating, flipping, rolling ------------------------------------------


@vjp_rule(np.tile)
def tile_A(g, ans, A, reps):
    return untile(g, A, reps)


@vjp_rule(np.repeat)
def repeat_a(g, ans, a, repeats, axis=None):
    return unrepeat(g, a, repeats, axis)


@vjp_rule(np.flip)
def flip_m(g, ans, m, axis=None):
    return np.flip(g, axis)


@vjp_rule(np.fliplr)
def fliplr_m(g, ans, m):
    return np.fliplr(g)


@vjp_rule(np.flipud)
def flipud_m(g, ans, m):
    return np.flipud(g)


@vjp_rule(np.roll)
def roll_a(g, ans, a, shift, axis=None):
    return np.roll(g, np.negative(shift), axis)


@vjp_rule(np.rot90)
def rot90_m(g, ans, m, k=1, axes=(0, 1)):
    return np.rot90(g, -k, axes)


linear(np.tile, tile_A, "A")
linear(np.repeat, repeat_a, "a")
linear(np.flip, flip_m, "m")
linear(np.fliplr, fliplr_m, "m")
linear(np.flipud, flipud_m, "m")
linear(np.roll, roll_a, "a")
linear(np.rot90, rot90_m, "m")

# ---- padding (affine for constant padding: a JVP rule drops the constant) ----------


@vjp_rule(np.pad)
def pad_array(g, ans, array, pad_width, mode="constant", *, constant_values=0,
              reflect_type="even"):
    return unpad(g, array, pad_width, mode, reflect_type)


@jvp_rule(np.pad)
def pad_array_dot(array_dot, ans, array, pad_width, mode="constant", *, constant_values=0,
                  reflect_type="even"):
    return pad_tangent(array_dot, pad_width, mode, reflect_type)


@vjp_rule(np.pad, "constant_values")
def pad_constant_values(g, ans, array, pad_width, mode="constant", *, constant_values=0,
                        reflect_type="even"):
    return pad_constant_adjoint(g, array, pad_width, constant_values)


@jvp_rule(np.pad, "constant_values")
def pad_constant_values_dot(constant_values_dot, ans, array, pad_width, mode="constant", *,
                            constant_values=0, reflect_type="even"):
    return np.pad(np.zeros_like(array), pad_width, constant_values=constant_values_dot)


# ---- diagonals, traces and triangles -----------------------------------------------


@vjp_rule(np.diag)
def diag_v(g, ans, v, k=0):
    return undiag(g, v, k)


@vjp_rule(np.diagonal)
def diagonal_a(g, ans, a, offset=0, axis1=0, axis2=1):
    return undiagonal(g, a, offset, axis1, axis2)


@vjp_rule(np.trace)
def trace_a(g, ans, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return undiagonal(np.expand_dims(g, -1), a, offset, axis1, axis2)


@vjp_rule(np.tril)
def tril_m(g, ans, m, k=0):
    return unbroadcast(np.tril(g, k), m)


@vjp_rule(np.triu)
def triu_m(g, ans, m, k=0):
    return unbroadcast(np.triu(g, k), m)


linear(np.diag, diag_v, "v")
linear(np.diagonal, diagonal_a, "a")
linear(np.trace, trace_a, "a")
linear(np.tril, tril_m, "m")
linear(np.triu, triu_m, "m")


# ---- the helpers the rules above call, so that derivatives differentiate again -------

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
