"""Derivative rules for ``numpy.ndarray`` methods and attributes.

Rules are keyed by the descriptors (``np.ndarray.sum``, ``np.ndarray.T``), with ``self``
as the first primal parameter, so ``x.sum(axis=0)`` binds like
``np.ndarray.sum(x, axis=0)``. They follow the conventions of the matching NumPy
functions (see :mod:`s2sad.rules.numpy_reductions`: ties in max/min share the
derivative equally). The JVPs call the NumPy functions, which also accept the NumPy
scalars a tangent can be.

``x.reshape(3, 4)`` and ``x.reshape((3, 4))``, ``x.transpose()``, ``x.transpose(1, 0)``
and ``x.transpose((1, 0))`` are all supported (``x.astype(t)``: ``s2sad/rules/casts.py``).
The attributes shape, ndim, size, dtype, itemsize and nbytes, and the index-valued
methods, carry no derivative.
"""

import numpy as np

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import broadcast_like, unreduce
from s2sad.runtime.core import conj, real_adjoint
from s2sad.runtime.indexing import (
    clip_passes,
    clip_to_high,
    clip_to_low,
    item_adjoint,
    item_tangent,
    take_adjoint,
)
from s2sad.runtime.products import dot_adjoint_a, dot_adjoint_b
from s2sad.runtime.reductions import (
    cumprod_adjoint,
    cumprod_tangent,
    extremum_weights,
    initial_weight,
    mean_weights,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    reverse_cumsum,
    std_adjoint,
    std_tangent,
    sum_adjoint,
    var_adjoint,
    var_tangent,
)
from s2sad.runtime.shapes import (
    cast_tangent,
    invert_axes,
    method_axes,
    method_shape,
    ravel_tangent,
    reshape_order,
    tolist_tangent,
    undiagonal,
    unravel,
    unrepeat,
    untolist,
)

# ---- attributes --------------------------------------------------------------------


@vjp_rule(np.ndarray.T)
def attribute_T(g, ans, self):
    return np.transpose(g)


@jvp_rule(np.ndarray.T)
def attribute_T_dot(self_dot, ans, self):
    return np.transpose(self_dot)


@vjp_rule(np.ndarray.mT)
def attribute_mT(g, ans, self):
    return np.swapaxes(g, -1, -2)


@jvp_rule(np.ndarray.mT)
def attribute_mT_dot(self_dot, ans, self):
    return np.swapaxes(self_dot, -1, -2)


@vjp_rule(np.ndarray.real)
def attribute_real(g, ans, self):
    return real_adjoint(g)


@jvp_rule(np.ndarray.real)
def attribute_real_dot(self_dot, ans, self):
    return np.real(self_dot)


@vjp_rule(np.ndarray.imag)
def attribute_imag(g, ans, self):
    return 1j * real_adjoint(g) if np.iscomplexobj(self) else np.zeros_like(self)


@jvp_rule(np.ndarray.imag)
def attribute_imag_dot(self_dot, ans, self):
    return np.imag(self_dot)


nondifferentiable(
    np.ndarray.shape,
    np.ndarray.ndim,
    np.ndarray.size,
    np.ndarray.dtype,
    np.ndarray.itemsize,
    np.ndarray.nbytes,
    np.ndarray.argmax,
    np.ndarray.argmin,
    np.ndarray.argsort,
    np.ndarray.argpartition,
    np.ndarray.nonzero,
    np.ndarray.searchsorted,
    np.ndarray.all,
    np.ndarray.any,
    np.ndarray.round,
)

# ---- reductions --------------------------------------------------------------------


@vjp_rule(np.ndarray.sum)
def method_sum(g, ans, self, axis=None, dtype=None, out=None, keepdims=False, initial=None,
               where=True):
    return unreduce(g, self, axis, keepdims) if where is True else sum_adjoint(
        g, self, axis, keepdims, where)


@jvp_rule(np.ndarray.sum)
def method_sum_dot(self_dot, ans, self, axis=None, dtype=None, out=None, keepdims=False,
                   initial=None, where=True):
    return np.sum(self_dot, axis=axis, dtype=dtype, keepdims=keepdims, where=where)


@vjp_rule(np.ndarray.sum, "initial")
def method_sum_initial(g, ans, self, axis=None, dtype=None, out=None, keepdims=False,
                       initial=None, where=True):
    return np.sum(g)


@jvp_rule(np.ndarray.sum, "initial")
def method_sum_initial_dot(initial_dot, ans, self, axis=None, dtype=None, out=None,
                           keepdims=False, initial=None, where=True):
    return broadcast_like(initial_dot, ans)


@vjp_rule(np.ndarray.mean)
def method_mean(g, ans, self, axis=None, dtype=None, out=None, keepdims=False, *,
                where=True):
    return unreduce(g * mean_weights(self, axis), self, axis, keepdims) if where is True \
        else unreduce(g, self, axis, keepdims) * mean_weights(self, axis, where)


@jvp_rule(np.ndarray.mean)
def method_mean_dot(self_dot, ans, self, axis=None, dtype=None, out=None, keepdims=False, *,
                    where=True):
    return np.mean(self_dot, axis=axis, dtype=dtype, keepdims=keepdims, where=where)


@vjp_rule(np.ndarray.max)
@vjp_rule(np.ndarray.min)
def method_extremum(g, ans, self, axis=None, out=None, keepdims=False, initial=None,
                    where=True):
    return (g if axis is None else g if keepdims else unreduce(g, self, axis, keepdims)) * \
        extremum_weights(self, ans, axis, keepdims, where, initial)


@jvp_rule(np.ndarray.max)
@jvp_rule(np.ndarray.min)
def method_extremum_dot(self_dot, ans, self, axis=None, out=None, keepdims=False,
                        initial=None, where=True):
    return np.sum(self_dot * extremum_weights(self, ans, axis, keepdims, where, initial),
                  axis=axis, keepdims=keepdims)


@vjp_rule(np.ndarray.max, "initial")
@vjp_rule(np.ndarray.min, "initial")
def method_extremum_initial(g, ans, self, axis=None, out=None, keepdims=False, initial=None,
                            where=True):
    return np.sum(g * initial_weight(self, ans, axis, keepdims, where, initial))


@jvp_rule(np.ndarray.max, "initial")
@jvp_rule(np.ndarray.min, "initial")
def method_extremum_initial_dot(initial_dot, ans, self, axis=None, out=None, keepdims=False,
                                initial=None, where=True):
    return initial_dot * initial_weight(self, ans, axis, keepdims, where, initial)


@vjp_rule(np.ndarray.prod)
def method_prod(g, ans, self, axis=None, dtype=None, out=None, keepdims=False, initial=None,
                where=True):
    return prod_adjoint(g, self, axis, keepdims, initial, where)


@jvp_rule(np.ndarray.prod)
def method_prod_dot(self_dot, ans, self, axis=None, dtype=None, out=None, keepdims=False,
                    initial=None, where=True):
    return (
        np.sum(self_dot * prod_others(self, axis, where, initial), axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(self_dot * prod_others(self, axis, where, initial),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


@vjp_rule(np.ndarray.prod, "initial")
def method_prod_initial(g, ans, self, axis=None, dtype=None, out=None, keepdims=False,
                        initial=None, where=True):
    return np.sum(g * conj(prod_initial_factor(self, axis, keepdims, where)))


@jvp_rule(np.ndarray.prod, "initial")
def method_prod_initial_dot(initial_dot, ans, self, axis=None, dtype=None, out=None,
                            keepdims=False, initial=None, where=True):
    return initial_dot * prod_initial_factor(self, axis, keepdims, where)


@vjp_rule(np.ndarray.var)
def method_var(g, ans, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
               where=True):
    return var_adjoint(g, self, axis, ddof, keepdims, where)


@jvp_rule(np.ndarray.var)
def method_var_dot(self_dot, ans, self, axis=None, dtype=None, out=None, ddof=0,
                   keepdims=False, *, where=True):
    return (
        var_tangent(self_dot, self, axis, ddof, keepdims, where)
        if dtype is None
        else cast_tangent(var_tangent(self_dot, self, axis, ddof, keepdims, where), dtype)
    )


@vjp_rule(np.ndarray.std)
def method_std(g, ans, self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
               where=True):
    return std_adjoint(g, ans, self, axis, ddof, keepdims, where)


@jvp_rule(np.ndarray.std)
def method_std_dot(self_dot, ans, self, axis=None, dtype=None, out=None, ddof=0,
                   keepdims=False, *, where=True):
    return (
        std_tangent(self_dot, ans, self, axis, ddof, keepdims, where)
        if dtype is None
        else cast_tangent(std_tangent(self_dot, ans, self, axis, ddof, keepdims, where), dtype)
    )


@vjp_rule(np.ndarray.cumsum)
def method_cumsum(g, ans, self, axis=None, dtype=None, out=None):
    return reverse_cumsum(g, self, axis)


@jvp_rule(np.ndarray.cumsum)
def method_cumsum_dot(self_dot, ans, self, axis=None, dtype=None, out=None):
    return np.cumsum(self_dot, axis=axis, dtype=dtype)


@vjp_rule(np.ndarray.cumprod)
def method_cumprod(g, ans, self, axis=None, dtype=None, out=None):
    return cumprod_adjoint(g, ans, self, axis)


@jvp_rule(np.ndarray.cumprod)
def method_cumprod_dot(self_dot, ans, self, axis=None, dtype=None, out=None):
    return (
        cumprod_tangent(self_dot, ans, self, axis)
        if dtype is None
        else cast_tangent(cumprod_tangent(self_dot, ans, self, axis), dtype)
    )


@vjp_rule(np.ndarray.trace)
def method_trace(g, ans, self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return undiagonal(np.expand_dims(g, -1), self, offset, axis1, axis2)


@jvp_rule(np.ndarray.trace)
def method_trace_dot(self_dot, ans, self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return np.trace(self_dot, offset, axis1, axis2, dtype)


# ---- products ----------------------------------------------------------------------


@vjp_rule(np.ndarray.dot, "self")
def method_dot_self(g, ans, self, other, out=None):
    return dot_adjoint_a(g, self, other)


@vjp_rule(np.ndarray.dot, "other")
def method_dot_other(g, ans, self, other, out=None):
    return dot_adjoint_b(g, self, other)


@jvp_rule(np.ndarray.dot, "self")
def method_dot_self_dot(self_dot, ans, self, other, out=None):
    return np.dot(self_dot, other)


@jvp_rule(np.ndarray.dot, "other")
def method_dot_other_dot(other_dot, ans, self, other, out=None):
    return np.dot(self, other_dot)


# ---- shapes, copies and casts ------------------------------------------------------


@vjp_rule(np.ndarray.reshape)
def method_reshape(g, ans, self, *shape, order="C", copy=None):
    return np.reshape(g, np.shape(self)) if order == "C" else np.reshape(
        g, np.shape(self), order=reshape_order(order, self))


@jvp_rule(np.ndarray.reshape)
def method_reshape_dot(self_dot, ans, self, *shape, order="C", copy=None):
    return np.reshape(self_dot, method_shape(shape)) if order == "C" else np.reshape(
        self_dot, method_shape(shape), order=reshape_order(order, self))


@vjp_rule(np.ndarray.transpose)
def method_transpose(g, ans, self, *axes):
    return np.transpose(g, invert_axes(method_axes(axes), np.ndim(self)))


@jvp_rule(np.ndarray.transpose)
def method_transpose_dot(self_dot, ans, self, *axes):
    return np.transpose(self_dot, method_axes(axes))


@vjp_rule(np.ndarray.swapaxes)
def method_swapaxes(g, ans, self, axis1, axis2):
    return np.swapaxes(g, axis1, axis2)


@jvp_rule(np.ndarray.swapaxes)
def method_swapaxes_dot(self_dot, ans, self, axis1, axis2):
    return np.swapaxes(self_dot, axis1, axis2)


@vjp_rule(np.ndarray.squeeze)
def method_squeeze(g, ans, self, axis=None):
    return np.reshape(g, np.shape(self))


@jvp_rule(np.ndarray.squeeze)
def method_squeeze_dot(self_dot, ans, self, axis=None):
    return np.squeeze(self_dot, axis)


@vjp_rule(np.ndarray.ravel)
@vjp_rule(np.ndarray.flatten)
def method_ravel(g, ans, self, order="C"):
    return np.reshape(g, np.shape(self)) if order == "C" else unravel(g, self, order)


@jvp_rule(np.ndarray.ravel)
@jvp_rule(np.ndarray.flatten)
def method_ravel_dot(self_dot, ans, self, order="C"):
    return np.ravel(self_dot) if order == "C" else ravel_tangent(self_dot, self, order)


@vjp_rule(np.ndarray.copy)
def method_copy(g, ans, self, order="C"):
    return g


linear(np.ndarray.copy, method_copy, "self")


@vjp_rule(np.ndarray.conj)
@vjp_rule(np.ndarray.conjugate)
def method_conj(g, ans, self):
    return np.conj(g)


@jvp_rule(np.ndarray.conj)
@jvp_rule(np.ndarray.conjugate)
def method_conj_dot(self_dot, ans, self):
    return np.conj(self_dot)


# ---- selection ---------------------------------------------------------------------


@vjp_rule(np.ndarray.diagonal)
def method_diagonal(g, ans, self, offset=0, axis1=0, axis2=1):
    return undiagonal(g, self, offset, axis1, axis2)


@jvp_rule(np.ndarray.diagonal)
def method_diagonal_dot(self_dot, ans, self, offset=0, axis1=0, axis2=1):
    return np.diagonal(self_dot, offset, axis1, axis2)


@vjp_rule(np.ndarray.take)
def method_take(g, ans, self, indices, axis=None, out=None, mode="raise"):
    return take_adjoint(g, self, indices, axis, mode)


@jvp_rule(np.ndarray.take)
def method_take_dot(self_dot, ans, self, indices, axis=None, out=None, mode="raise"):
    return np.take(self_dot, indices, axis, mode=mode)


@vjp_rule(np.ndarray.repeat)
def method_repeat(g, ans, self, repeats, axis=None):
    return unrepeat(g, self, repeats, axis)


@jvp_rule(np.ndarray.repeat)
def method_repeat_dot(self_dot, ans, self, repeats, axis=None):
    return np.repeat(self_dot, repeats, axis)


@vjp_rule(np.ndarray.item)
def method_item(g, ans, self, *args):
    return item_adjoint(g, self, args)


@jvp_rule(np.ndarray.item)
def method_item_dot(self_dot, ans, self, *args):
    return item_tangent(self_dot, args)


# ---- clip (a tie with a bound gives the derivative to self) ------------------------


@real_derivative(np.ndarray.clip, "self", unbroadcast=True, broadcast=True)
def method_clip_self(ans, self, min=None, max=None, out=None):
    return clip_passes(self, min, max)


@real_derivative(np.ndarray.clip, "min", unbroadcast=True, broadcast=True)
def method_clip_min(ans, self, min=None, max=None, out=None):
    return clip_to_low(self, min, max)


@real_derivative(np.ndarray.clip, "max", unbroadcast=True, broadcast=True)
def method_clip_max(ans, self, min=None, max=None, out=None):
    return clip_to_high(self, min, max)


# ---- tolist: the items, each keeping its derivative --------------------------------


@vjp_rule(np.ndarray.tolist)
def method_tolist(g, ans, self):
    return untolist(g, self)


@jvp_rule(np.ndarray.tolist)
def method_tolist_dot(self_dot, ans, self):
    return tolist_tangent(self_dot, self)


@vjp_rule(untolist, "g")
def untolist_g(c, ans, g, a):
    return tolist_tangent(c, a)


@vjp_rule(tolist_tangent, "a_dot")
def tolist_tangent_a_dot(h, ans, a_dot, a):
    return untolist(h, a)


linear(untolist, untolist_g, "g")
constant(untolist, untolist_g, "a")
linear(tolist_tangent, tolist_tangent_a_dot, "a_dot")
constant(tolist_tangent, tolist_tangent_a_dot, "a")
