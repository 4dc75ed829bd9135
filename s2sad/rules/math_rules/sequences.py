"""The rules of ``math``'s functions of sequences: the norms ``hypot`` and ``dist``, the
sums and products ``fsum``, ``prod`` and ``sumprod``.
"""

import math

import numpy as np

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime.elementwise import (
    dist_jvp,
    dist_vjp,
    each,
    hypot_jvp,
    hypot_vjp,
    scale_each,
    stacked_like,
    unstacked_items,
)
from s2sad.runtime.reductions import prod_adjoint, prod_others

# ---- norms -----------------------------------------------------------------------


@vjp_rule(math.hypot, "coordinates")
def hypot_coordinates(g, ans, *coordinates):
    return hypot_vjp(g, ans, coordinates)


@jvp_rule(math.hypot, "coordinates")
def hypot_coordinates_dot(coordinates_dot, ans, *coordinates):
    return hypot_jvp(coordinates_dot, ans, coordinates)


@vjp_rule(math.dist, "p")
def dist_p(g, ans, p, q):
    return dist_vjp(g, ans, p, q)


@vjp_rule(math.dist, "q")
def dist_q(g, ans, p, q):
    return dist_vjp(g, ans, q, p)


@jvp_rule(math.dist, "p")
def dist_p_dot(p_dot, ans, p, q):
    return dist_jvp(p_dot, ans, p, q)


@jvp_rule(math.dist, "q")
def dist_q_dot(q_dot, ans, p, q):
    return dist_jvp(q_dot, ans, q, p)


# ---- sums and products of sequences ----------------------------------------------


@vjp_rule(math.fsum, "seq")
def fsum_seq(g, ans, seq):
    return each(g, seq)


linear(math.fsum, fsum_seq, "seq")


# the elements broadcast and stacked, reduced as np.prod reduces (exact at zeros)
@vjp_rule(math.prod, "iterable")
def prod_iterable(g, ans, iterable, *, start=1):
    return unstacked_items(prod_adjoint(g, stacked_like(iterable, iterable), 0, False, start),
                           iterable)


@jvp_rule(math.prod, "iterable")
def prod_iterable_dot(iterable_dot, ans, iterable, *, start=1):
    return np.sum(stacked_like(iterable_dot, iterable)
                  * prod_others(stacked_like(iterable, iterable), 0, True, start), axis=0)


@real_derivative(math.prod, "start", unbroadcast=True)
def prod_start(ans, iterable, *, start=1):
    return math.prod(iterable)


if hasattr(math, "sumprod"):  # Python 3.12+

    @vjp_rule(math.sumprod, "p")
    def sumprod_p(g, ans, p, q):
        return scale_each(g, q)

    @vjp_rule(math.sumprod, "q")
    def sumprod_q(g, ans, p, q):
        return scale_each(g, p)

    linear(math.sumprod, sumprod_p, "p", "q")
