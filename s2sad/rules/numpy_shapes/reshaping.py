"""Rules for NumPy's reshaping and axis permutations (``reshape``, ``ravel``,
``transpose``, ``swapaxes``, ``moveaxis``, ``broadcast_to``, ...)."""

import numpy as np

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.shapes import invert_axes, ravel_tangent, reshape_order, unravel


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
