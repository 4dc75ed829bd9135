"""Derivative rules for ``+`` and ``*`` on lists, tuples and strings (``concat``,
``repeat``: the kind analysis maps the operators to them), and for the helpers their
derivatives call, so these differentiate again."""

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime.sequences import (
    concat,
    concat_adjoint,
    concat_tangent,
    repeat,
    repeat_adjoint,
    repeat_tangent,
)


@vjp_rule(concat, "a")
def concat_a(g, ans, a, b):
    return concat_adjoint(g, a, b, 0)


@vjp_rule(concat, "b")
def concat_b(g, ans, a, b):
    return concat_adjoint(g, a, b, 1)


@jvp_rule(concat, "a")
def concat_a_dot(a_dot, ans, a, b):
    return concat_tangent(a_dot, None, a, b)


@jvp_rule(concat, "b")
def concat_b_dot(b_dot, ans, a, b):
    return concat_tangent(None, b_dot, a, b)


@vjp_rule(repeat, "seq")
def repeat_seq(g, ans, seq, count):
    return repeat_adjoint(g, seq, count)


@jvp_rule(repeat, "seq")
def repeat_seq_dot(seq_dot, ans, seq, count):
    return repeat_tangent(seq_dot, seq, count)


constant(repeat, repeat_seq, "count")


# ---- the helpers: linear in the derivative they take -------------------------------


@vjp_rule(concat_adjoint, "g")
def concat_adjoint_g(h, ans, g, a, b, part):
    return concat_tangent(h, None, a, b) if part == 0 else concat_tangent(None, h, a, b)


linear(concat_adjoint, concat_adjoint_g, "g")
constant(concat_adjoint, concat_adjoint_g, "a", "b", "part")


@vjp_rule(concat_tangent, "a_dot")
def concat_tangent_a_dot(h, ans, a_dot, b_dot, a, b):
    return concat_adjoint(h, a, b, 0)


@vjp_rule(concat_tangent, "b_dot")
def concat_tangent_b_dot(h, ans, a_dot, b_dot, a, b):
    return concat_adjoint(h, a, b, 1)


@jvp_rule(concat_tangent, "a_dot")
def concat_tangent_a_dot_dot(a_dot_dot, ans, a_dot, b_dot, a, b):
    return concat_tangent(a_dot_dot, None, a, b)


@jvp_rule(concat_tangent, "b_dot")
def concat_tangent_b_dot_dot(b_dot_dot, ans, a_dot, b_dot, a, b):
    return concat_tangent(None, b_dot_dot, a, b)


constant(concat_tangent, concat_tangent_a_dot, "a", "b")


@vjp_rule(repeat_adjoint, "g")
def repeat_adjoint_g(h, ans, g, seq, count):
    return repeat_tangent(h, seq, count)


linear(repeat_adjoint, repeat_adjoint_g, "g")
constant(repeat_adjoint, repeat_adjoint_g, "seq", "count")


@vjp_rule(repeat_tangent, "seq_dot")
def repeat_tangent_seq_dot(h, ans, seq_dot, seq, count):
    return repeat_adjoint(h, seq, count)


linear(repeat_tangent, repeat_tangent_seq_dot, "seq_dot")
constant(repeat_tangent, repeat_tangent_seq_dot, "seq", "count")
