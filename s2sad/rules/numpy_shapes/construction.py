"""Rules for NumPy's array construction and copies (``array``, ``asarray``, ``copy``,
``atleast_*d``, ...)."""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.core import conj, unbroadcast
from s2sad.runtime.shapes import (
    linspace_weights,
    linspace_zero,
    meshgrid_axis,
    meshgrid_of,
    unarray,
    unatleast,
    unmeshgrid,
    vander_exponents,
)


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


# ---- vander: x ** k in column k, whose slope is k x ** (k - 1) --------------------------


@vjp_rule(np.vander)
def vander_x(g, ans, x, N=None, increasing=False):  # noqa: N803 (NumPy's parameter name)
    return np.sum(g * conj(vander_exponents(x, N, increasing) * np.reshape(x, (-1, 1))
                           ** np.maximum(vander_exponents(x, N, increasing) - 1, 0)), axis=-1)


@jvp_rule(np.vander)
def vander_x_dot(x_dot, ans, x, N=None, increasing=False):  # noqa: N803
    return (np.reshape(x_dot, (-1, 1)) * vander_exponents(x, N, increasing)
            * np.reshape(x, (-1, 1)) ** np.maximum(vander_exponents(x, N, increasing) - 1, 0))


constant(np.vander, vander_x, "N", "increasing")


# ---- linspace: start * (1 - t) + stop * t, jointly linear in its end points -----------


@vjp_rule(np.linspace, "start")
def linspace_start(g, ans, start, stop, num=50, endpoint=True, retstep=False, dtype=None,
                   axis=0, *, device=None):
    return unbroadcast(np.sum(g * (1.0 - linspace_weights(ans, num, endpoint, axis, retstep)),
                              axis=axis), start)


@vjp_rule(np.linspace, "stop")
def linspace_stop(g, ans, start, stop, num=50, endpoint=True, retstep=False, dtype=None,
                  axis=0, *, device=None):
    return unbroadcast(np.sum(g * linspace_weights(ans, num, endpoint, axis, retstep),
                              axis=axis), stop)


@jvp_rule(np.linspace, "start")
def linspace_start_dot(start_dot, ans, start, stop, num=50, endpoint=True, retstep=False,
                       dtype=None, axis=0, *, device=None):
    return np.linspace(start_dot, linspace_zero(stop, ans, retstep), num, endpoint, False,
                       dtype, axis)


@jvp_rule(np.linspace, "stop")
def linspace_stop_dot(stop_dot, ans, start, stop, num=50, endpoint=True, retstep=False,
                      dtype=None, axis=0, *, device=None):
    return np.linspace(linspace_zero(start, ans, retstep), stop_dot, num, endpoint, False,
                       dtype, axis)


constant(np.linspace, linspace_start, "num", "endpoint", "retstep", "dtype", "axis")


# ---- meshgrid: each grid repeats one coordinate array along the other axes ----------


@vjp_rule(np.meshgrid)
def meshgrid_xi(g, ans, *xi, copy=True, sparse=False, indexing="xy"):
    return unmeshgrid(g, xi, sparse, indexing)


@vjp_rule(unmeshgrid, "g")
def unmeshgrid_g(c, ans, g, xi, sparse=False, indexing="xy"):
    return meshgrid_of(c, xi, sparse, indexing)


@vjp_rule(meshgrid_of, "c")
def meshgrid_of_c(h, ans, c, xi, sparse=False, indexing="xy"):
    return unmeshgrid(h, xi, sparse, indexing)


linear(np.meshgrid, meshgrid_xi, "xi")
linear(unmeshgrid, unmeshgrid_g, "g")
constant(unmeshgrid, unmeshgrid_g, "xi", "sparse", "indexing")
linear(meshgrid_of, meshgrid_of_c, "c")
constant(meshgrid_of, meshgrid_of_c, "xi", "sparse", "indexing")
nondifferentiable(vander_exponents, linspace_weights, linspace_zero, meshgrid_axis)
