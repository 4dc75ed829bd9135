"""Derivative rules for Python's own ``sum``, ``min``, ``max`` and ``float``.

``min`` and ``max`` take the derivative of the item they return (the first of equal
items, as they do); ``sum`` spreads its adjoint to every item and to ``start``.
"""

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime.core import broadcast_like, unbroadcast
from s2sad.runtime.reductions import (
    extremum_args_adjoint,
    extremum_args_tangent,
    sum_items_adjoint,
    sum_items_tangent,
)


@vjp_rule(sum, "iterable")
def sum_iterable(g, ans, iterable, start=0):
    return sum_items_adjoint(g, iterable)


@jvp_rule(sum, "iterable")
def sum_iterable_dot(iterable_dot, ans, iterable, start=0):
    return broadcast_like(sum_items_tangent(iterable_dot), ans)


@vjp_rule(sum, "start")
def sum_start(g, ans, iterable, start=0):
    return unbroadcast(g, start)


@jvp_rule(sum, "start")
def sum_start_dot(start_dot, ans, iterable, start=0):
    return broadcast_like(start_dot, ans)


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
