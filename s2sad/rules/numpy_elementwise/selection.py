"""Rules for NumPy's selection and cleaning (``where``, ``nan_to_num``) and its
constant-filled arrays (``full``, ``full_like``)."""

import numpy as np

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import jvp_rule, vjp_rule
from s2sad.runtime import broadcast_like, unbroadcast, zeros_like
from s2sad.runtime.shapes import cast_tangent

# ---- selection and cleaning --------------------------------------------------------


@vjp_rule(np.where, "x")
def where_x(g, ans, condition, x=None, y=None):
    return unbroadcast(np.where(condition, g, 0.0), x)


@vjp_rule(np.where, "y")
def where_y(g, ans, condition, x=None, y=None):
    return unbroadcast(np.where(condition, 0.0, g), y)


@jvp_rule(np.where, "x")
def where_x_dot(x_dot, ans, condition, x=None, y=None):
    return broadcast_like(np.where(condition, x_dot, 0.0), ans)


@jvp_rule(np.where, "y")
def where_y_dot(y_dot, ans, condition, x=None, y=None):
    return broadcast_like(np.where(condition, 0.0, y_dot), ans)


@real_derivative(np.nan_to_num, "x")
def nan_to_num_x(ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return np.isfinite(x)


# ---- constant-filled arrays ----------------------------------------------------------
# np.full(shape, v) broadcasts v to shape: the adjoint of v sums the output's adjoint.
# full_like takes only the shape and dtype of ``a``, so ``a`` gets a zero derivative.


@vjp_rule(np.full, "fill_value")
def full_fill_value(g, ans, shape, fill_value, dtype=None, order="C"):
    return unbroadcast(g, fill_value)


@jvp_rule(np.full, "fill_value")
def full_fill_value_dot(fill_value_dot, ans, shape, fill_value, dtype=None, order="C"):
    return (
        broadcast_like(fill_value_dot, ans)
        if dtype is None
        else cast_tangent(broadcast_like(fill_value_dot, ans), dtype)
    )


@vjp_rule(np.full_like, "fill_value")
def full_like_fill_value(g, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return unbroadcast(g, fill_value)


@vjp_rule(np.full_like, "a")
def full_like_a(g, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return zeros_like(a)


@jvp_rule(np.full_like, "fill_value")
def full_like_fill_value_dot(
    fill_value_dot, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None
):
    return (
        broadcast_like(fill_value_dot, ans)
        if dtype is None
        else cast_tangent(broadcast_like(fill_value_dot, ans), dtype)
    )


@jvp_rule(np.full_like, "a")
def full_like_a_dot(a_dot, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return zeros_like(ans)
