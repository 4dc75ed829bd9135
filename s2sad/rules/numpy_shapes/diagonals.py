"""Rules for NumPy's diagonals, traces and triangles."""

import numpy as np

from s2sad.rules.registry import linear, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.shapes import undiag, undiagonal


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
