"""Rules for NumPy's products, exact at zeros, and its cumulative sums and products."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    linear,
    vjp_rule,
)
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import (
    cumprod_adjoint,
    cumprod_tangent,
    nan_mask,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    reverse_cumsum,
)
from s2sad.runtime.shapes import cast_tangent

# ---- products (exact at zeros) -----------------------------------------------------


@vjp_rule(np.prod)
def prod_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
           where=True):
    return prod_adjoint(g, a, axis, keepdims, initial, where)


@jvp_rule(np.prod)
def prod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
               where=True):
    return (
        np.sum(a_dot * prod_others(a, axis, where, initial), axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(a_dot * prod_others(a, axis, where, initial),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


@vjp_rule(np.prod, "initial")
def prod_initial(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
                 where=True):
    return np.sum(g * conj(prod_initial_factor(a, axis, keepdims, where)))


@jvp_rule(np.prod, "initial")
def prod_initial_dot(initial_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                     initial=None, where=True):
    return initial_dot * prod_initial_factor(a, axis, keepdims, where)


@vjp_rule(np.nanprod, "initial")
def nanprod_initial(g, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                    initial=None, where=True):
    return np.sum(g * conj(prod_initial_factor(a, axis, keepdims, nan_mask(a, where))))


@jvp_rule(np.nanprod, "initial")
def nanprod_initial_dot(initial_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                        initial=None, where=True):
    return initial_dot * prod_initial_factor(a, axis, keepdims, nan_mask(a, where))


@vjp_rule(np.nanprod)
def nanprod_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
              where=True):
    return prod_adjoint(g, a, axis, keepdims, initial, nan_mask(a, where))


@jvp_rule(np.nanprod)
def nanprod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                  initial=None, where=True):
    return (
        np.sum(a_dot * prod_others(a, axis, nan_mask(a, where), initial),
               axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(a_dot * prod_others(a, axis, nan_mask(a, where), initial),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


# ---- cumulative sums and products --------------------------------------------------


@vjp_rule(np.cumsum)
def cumsum_a(g, ans, a, axis=None, dtype=None, out=None):
    return reverse_cumsum(g, a, axis)


linear(np.cumsum, cumsum_a, "a")


@vjp_rule(np.cumprod)
def cumprod_a(g, ans, a, axis=None, dtype=None, out=None):
    return cumprod_adjoint(g, ans, a, axis)


@jvp_rule(np.cumprod)
def cumprod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None):
    return (
        cumprod_tangent(a_dot, ans, a, axis)
        if dtype is None
        else cast_tangent(cumprod_tangent(a_dot, ans, a, axis), dtype)
    )
