"""The rules of the run-time helpers the rules of ``math``'s functions of sequences
call (``s2sad.runtime.elementwise``), so their derivatives can be differentiated again.
"""

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime.core import broadcast_like, unbroadcast
from s2sad.runtime.elementwise import (
    dist_jvp,
    dist_vjp,
    each,
    hypot_jvp,
    hypot_vjp,
    over_norm,
    stacked_like,
    unstacked_items,
)
from s2sad.runtime.reductions import sum_items_tangent


# each(g, items) hands g to every item of a sum (math.fsum): its transpose sums them
@vjp_rule(each, "g")
def each_g(c, ans, g, items):
    return broadcast_like(sum_items_tangent(c, items, g), g)


linear(each, each_g, "g")
constant(each, each_g, "items")


# math.hypot's helpers: hypot_vjp(g, ans, c) = (g c_i / ans)_i and hypot_jvp(d, ans, c) =
# sum d_i c_i / ans, each bilinear (for a fixed ans) and the other's transpose; in ans
# both scale by 1 / ans, whose slope is -1 / ans ** 2
@vjp_rule(hypot_vjp, "g")
def hypot_vjp_g(b, ans_, g, ans, coordinates):
    return hypot_jvp(b, ans, coordinates)


@vjp_rule(hypot_vjp, "coordinates")
def hypot_vjp_coordinates(b, ans_, g, ans, coordinates):
    return hypot_vjp(g, ans, b)


@vjp_rule(hypot_vjp, "ans")
def hypot_vjp_ans(b, ans_, g, ans, coordinates):
    return -g * over_norm(hypot_jvp(b, ans, coordinates), ans)


@jvp_rule(hypot_vjp, "ans")
def hypot_vjp_ans_dot(ans_dot, ans_, g, ans, coordinates):
    return hypot_vjp(-g * ans_dot * over_norm(1.0, ans), ans, coordinates)


linear(hypot_vjp, hypot_vjp_g, "g", "coordinates")


@vjp_rule(hypot_jvp, "coordinates_dot")
def hypot_jvp_coordinates_dot(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates)


@vjp_rule(hypot_jvp, "coordinates")
def hypot_jvp_coordinates(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates_dot)


@vjp_rule(hypot_jvp, "ans")
def hypot_jvp_ans(b, ans_, coordinates_dot, ans, coordinates):
    return -b * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


@jvp_rule(hypot_jvp, "ans")
def hypot_jvp_ans_dot(ans_dot, ans_, coordinates_dot, ans, coordinates):
    return -ans_dot * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


linear(hypot_jvp, hypot_jvp_coordinates, "coordinates_dot", "coordinates")


# math.prod's helpers: stacked_like(c, items) stacks the pieces c in the items' common
# shape and unstacked_items(g, items) sums each row back to its item's shape, each the
# other's transpose; the items are read for their shapes only
@vjp_rule(stacked_like, "c")
def stacked_like_c(b, ans, c, items):
    return unstacked_items(b, items)


@vjp_rule(unstacked_items, "g")
def unstacked_items_g(b, ans, g, items):
    return unbroadcast(stacked_like(b, items), g)


linear(stacked_like, stacked_like_c, "c")
constant(stacked_like, stacked_like_c, "items")
linear(unstacked_items, unstacked_items_g, "g")
constant(unstacked_items, unstacked_items_g, "items")


# math.dist's helpers are hypot's on the differences p - q: dist_vjp(g, ans, p, q) =
# (g (p_i - q_i) / ans)_i and dist_jvp(d, ans, p, q) = sum d_i (p_i - q_i) / ans, each
# the other's transpose in g and d, linear in p and q for a fixed ans (hypot's helpers
# on the tangents), and scaled by 1 / ans, whose slope is -1 / ans ** 2
@vjp_rule(dist_vjp, "g")
def dist_vjp_g(b, ans_, g, ans, p, q):
    return dist_jvp(b, ans, p, q)


@vjp_rule(dist_vjp, "p")
def dist_vjp_p(b, ans_, g, ans, p, q):
    return hypot_vjp(g, ans, b)


@jvp_rule(dist_vjp, "p")
def dist_vjp_p_dot(p_dot, ans_, g, ans, p, q):
    return hypot_vjp(g, ans, p_dot)


@vjp_rule(dist_vjp, "q")
def dist_vjp_q(b, ans_, g, ans, p, q):
    return hypot_vjp(-g, ans, b)


@jvp_rule(dist_vjp, "q")
def dist_vjp_q_dot(q_dot, ans_, g, ans, p, q):
    return hypot_vjp(-g, ans, q_dot)


@vjp_rule(dist_vjp, "ans")
def dist_vjp_ans(b, ans_, g, ans, p, q):
    return -g * over_norm(dist_jvp(b, ans, p, q), ans)


@jvp_rule(dist_vjp, "ans")
def dist_vjp_ans_dot(ans_dot, ans_, g, ans, p, q):
    return dist_vjp(-g * ans_dot * over_norm(1.0, ans), ans, p, q)


linear(dist_vjp, dist_vjp_g, "g")


@vjp_rule(dist_jvp, "p_dot")
def dist_jvp_p_dot(b, ans_, p_dot, ans, p, q):
    return dist_vjp(b, ans, p, q)


@vjp_rule(dist_jvp, "p")
def dist_jvp_p(b, ans_, p_dot, ans, p, q):
    return hypot_vjp(b, ans, p_dot)


@jvp_rule(dist_jvp, "p")
def dist_jvp_p_dot2(e, ans_, p_dot, ans, p, q):
    return hypot_jvp(e, ans, p_dot)


@vjp_rule(dist_jvp, "q")
def dist_jvp_q(b, ans_, p_dot, ans, p, q):
    return hypot_vjp(-b, ans, p_dot)


@jvp_rule(dist_jvp, "q")
def dist_jvp_q_dot(e, ans_, p_dot, ans, p, q):
    return -hypot_jvp(e, ans, p_dot)


@vjp_rule(dist_jvp, "ans")
def dist_jvp_ans(b, ans_, p_dot, ans, p, q):
    return -b * over_norm(dist_jvp(p_dot, ans, p, q), ans)


@jvp_rule(dist_jvp, "ans")
def dist_jvp_ans_dot(ans_dot, ans_, p_dot, ans, p, q):
    return -ans_dot * over_norm(dist_jvp(p_dot, ans, p, q), ans)


linear(dist_jvp, dist_jvp_p_dot, "p_dot")
