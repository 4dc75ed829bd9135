"""Derivative rules for Python's ``math`` module.

Each rule is a template: ``g`` (or ``x_dot``) is the incoming adjoint (or tangent),
``ans`` the primal result, then the primal's own parameters.
"""

import math

from s2sad.rules.registry import jvp_rule, vjp_rule

# ---- exponentials and logarithms -------------------------------------------------


@vjp_rule(math.exp)
def exp_x(g, ans, x):
    return g * ans


@jvp_rule(math.exp)
def exp_x_dot(x_dot, ans, x):
    return x_dot * ans


@vjp_rule(math.sin)
def sin_x(g, ans, x):
    return g * math.cos(x)


@jvp_rule(math.sin)
def sin_x_dot(x_dot, ans, x):
    return x_dot * math.cos(x)


@vjp_rule(math.log)
def log_x(g, ans, x, base=math.e):
    return g / (x * math.log(base))


@jvp_rule(math.log)
def log_x_dot(x_dot, ans, x, base=math.e):
    return x_dot / (x * math.log(base))
