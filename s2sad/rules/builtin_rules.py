"""Derivative rules for Python's own ``sum``, ``min``, ``max`` and ``float``.

``min`` and ``max`` take the derivative of the item they return (the first of equal
items, as they do); ``sum`` spreads its adjoint to every item and to ``start``.
"""

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime.core import broadcast_like
from s2sad.runtime.reductions import (
    extremum_args_adjoint,
    extremum_args_tangent,
    sum_items_adjoint,
    sum_items_tangent,
    sum_start_adjoint,
    sum_start_tangent,
)


@vjp_rule(sum, "iterable")
def sum_iterable(g, ans, iterable, start=0):
    return sum_items_adjoint(g, iterable)


@jvp_rule(sum, "iterable")
def sum_iterable_dot(iterable_dot, ans, iterable, start=0):
    return broadcast_like(sum_items_tangent(iterable_dot, iterable, ans), ans)


@vjp_rule(sum, "start")
def sum_start(g, ans, iterable, start=0):
    return sum_start_adjoint(g, start)


@jvp_rule(sum, "start")
def sum_start_dot(start_dot, ans, iterable, start=0):
    return sum_start_tangent(start_dot, ans)


def _extremum_args(g, ans, *args):
    return extremum_args_adjoint(g, ans, args)


def _extremum_args_dot(args_dot, ans, *args):
    return extremum_args_tangent(args_dot, ans, args)


for _extremum in (max, min):  # the same rules: the item returned takes the derivative
    vjp_rule(_extremum, "args")(_extremum_args)
    jvp_rule(_extremum, "args")(_extremum_args_dot)


@vjp_rule(float, "x")
def float_x(g, ans, x=0.0):
    return g


linear(float, float_x, "x")


# ---- sum's helpers, linear in the derivative they take: so sum differentiates again ----


@vjp_rule(sum_items_adjoint, "g")
def sum_items_adjoint_g(h, ans, g, iterable):
    return broadcast_like(sum_items_tangent(h, iterable, g), g)


linear(sum_items_adjoint, sum_items_adjoint_g, "g")
constant(sum_items_adjoint, sum_items_adjoint_g, "iterable")


@vjp_rule(sum_items_tangent, "iterable_dot")
def sum_items_tangent_iterable_dot(h, ans, iterable_dot, iterable=None, ans_=None):
    return sum_items_adjoint(h, iterable)


linear(sum_items_tangent, sum_items_tangent_iterable_dot, "iterable_dot")
constant(sum_items_tangent, sum_items_tangent_iterable_dot, "iterable", "ans_")


@vjp_rule(sum_start_adjoint, "g")
def sum_start_adjoint_g(h, ans, g, start):
    return sum_start_tangent(h, g)


linear(sum_start_adjoint, sum_start_adjoint_g, "g")
constant(sum_start_adjoint, sum_start_adjoint_g, "start")


@vjp_rule(sum_start_tangent, "start_dot")
def sum_start_tangent_start_dot(h, ans, start_dot, ans_):
    return sum_start_adjoint(h, start_dot)


linear(sum_start_tangent, sum_start_tangent_start_dot, "start_dot")
constant(sum_start_tangent, sum_start_tangent_start_dot, "ans_")


# The helpers above, linear in the derivative they pass on and each the other's
# transpose, so that derivatives of these functions differentiate again.
@vjp_rule(extremum_args_adjoint, "g")
def extremum_args_adjoint_g(c, ans_, g, ans, args):
    return extremum_args_tangent(c, ans, args)


@vjp_rule(extremum_args_tangent, "args_dot")
def extremum_args_tangent_args_dot(b, ans_, args_dot, ans, args):
    return extremum_args_adjoint(b, ans, args)


linear(extremum_args_adjoint, extremum_args_adjoint_g, "g")
constant(extremum_args_adjoint, extremum_args_adjoint_g, "ans", "args")
linear(extremum_args_tangent, extremum_args_tangent_args_dot, "args_dot")
constant(extremum_args_tangent, extremum_args_tangent_args_dot, "ans", "args")

