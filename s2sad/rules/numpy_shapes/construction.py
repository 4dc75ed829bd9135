"""Rules for NumPy's array construction and copies (``array``, ``asarray``, ``copy``,
``atleast_*d``, ...)."""

import numpy as np

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime.shapes import unarray, unatleast


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
