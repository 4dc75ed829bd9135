"""Derivative rules for the fused pairwise squared distances (``s2sad/runtime/pairwise.py``).

With ``P = pairwise_sq_distances_adjoint``, ``T = pairwise_sq_distances_tangent`` and
``swap`` the transpose of the first two axes, the distances ``d2 = D(a, b)`` have

- adjoints ``a_bar = P(g, a, b)`` and ``b_bar = P(swap(g), b, a)``,
- tangents ``T(a_dot, a, b)`` and ``swap(T(b_dot, b, a))``;

the distances within one set, ``D(a, a)``, have the adjoint ``S(g, a) = P(g + swap(g), a,
a)`` (``self_sq_distances_adjoint``, one function so the sum is never formed).

``P`` and ``T`` are real-linear in their first argument and jointly in ``(a, b)``, so the
tangent of each is the function itself with one argument replaced by its tangent and the
others of that pair by zeros, and each one's adjoints are ``P`` and ``T`` again: the
second and higher derivatives stay in closed form (complex values included, since ``P``
conjugates the differences).
"""

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime.core import zeros_like
from s2sad.runtime.pairwise import (
    pairwise_sq_distances,
    pairwise_sq_distances_adjoint,
    pairwise_sq_distances_tangent,
    self_sq_distances,
    self_sq_distances_adjoint,
    self_sq_distances_tangent,
    swap_pairs,
)

# ---- the distances ---------------------------------------------------------------------


@vjp_rule(pairwise_sq_distances, "a")
def distances_a(g, ans, a, b):
    return pairwise_sq_distances_adjoint(g, a, b)


@vjp_rule(pairwise_sq_distances, "b")
def distances_b(g, ans, a, b):
    return pairwise_sq_distances_adjoint(swap_pairs(g), b, a)


@jvp_rule(pairwise_sq_distances, "a")
def distances_a_dot(a_dot, ans, a, b):
    return pairwise_sq_distances_tangent(a_dot, a, b)


@jvp_rule(pairwise_sq_distances, "b")
def distances_b_dot(b_dot, ans, a, b):
    return swap_pairs(pairwise_sq_distances_tangent(b_dot, b, a))


@vjp_rule(self_sq_distances, "a")
def self_distances_a(g, ans, a):
    return self_sq_distances_adjoint(g, a)


@jvp_rule(self_sq_distances, "a")
def self_distances_a_dot(a_dot, ans, a):
    return self_sq_distances_tangent(a_dot, a)


@vjp_rule(self_sq_distances_tangent, "v")
def self_tangent_v(c, ans, v, a):
    return self_sq_distances_adjoint(c, a)


@vjp_rule(self_sq_distances_tangent, "a")
def self_tangent_a(c, ans, v, a):
    return pairwise_sq_distances_adjoint(c + swap_pairs(c), v, zeros_like(a)) + \
        pairwise_sq_distances_adjoint(c + swap_pairs(c), zeros_like(a), v)


@jvp_rule(self_sq_distances_tangent, "a")
def self_tangent_a_dot(a_dot, ans, v, a):
    return self_sq_distances_tangent(v, a_dot)


linear(self_sq_distances_tangent, self_tangent_v, "v")


@vjp_rule(swap_pairs, "x")
def swap_pairs_x(g, ans, x):
    return swap_pairs(g)


linear(swap_pairs, swap_pairs_x, "x")

# ---- S(g, a) = self_sq_distances_adjoint = P(g + swap(g), a, a) ---------------------


@vjp_rule(self_sq_distances_adjoint, "g")
def self_adjoint_g(c, ans, g, a):
    return self_sq_distances_tangent(c, a)


@vjp_rule(self_sq_distances_adjoint, "a")
def self_adjoint_a(c, ans, g, a):
    symmetric = g + swap_pairs(g)
    return pairwise_sq_distances_adjoint(symmetric, c, zeros_like(a)) + \
        pairwise_sq_distances_adjoint(symmetric, zeros_like(a), c)


@jvp_rule(self_sq_distances_adjoint, "a")
def self_adjoint_a_dot(a_dot, ans, g, a):
    symmetric = g + swap_pairs(g)
    return pairwise_sq_distances_adjoint(symmetric, a_dot, zeros_like(a)) + \
        pairwise_sq_distances_adjoint(symmetric, zeros_like(a), a_dot)


linear(self_sq_distances_adjoint, self_adjoint_g, "g")

# ---- P(g, a, b) = pairwise_sq_distances_adjoint: a's adjoint ------------------------


@vjp_rule(pairwise_sq_distances_adjoint, "g")
def adjoint_g(c, ans, g, a, b):
    return pairwise_sq_distances_tangent(c, a, b)


@vjp_rule(pairwise_sq_distances_adjoint, "a")
def adjoint_a(c, ans, g, a, b):
    return pairwise_sq_distances_adjoint(g, c, zeros_like(b))


@vjp_rule(pairwise_sq_distances_adjoint, "b")
def adjoint_b(c, ans, g, a, b):
    return pairwise_sq_distances_adjoint(swap_pairs(g), zeros_like(b), c)


@jvp_rule(pairwise_sq_distances_adjoint, "a")
def adjoint_a_dot(a_dot, ans, g, a, b):
    return pairwise_sq_distances_adjoint(g, a_dot, zeros_like(b))


@jvp_rule(pairwise_sq_distances_adjoint, "b")
def adjoint_b_dot(b_dot, ans, g, a, b):
    return pairwise_sq_distances_adjoint(g, zeros_like(a), b_dot)


linear(pairwise_sq_distances_adjoint, adjoint_g, "g")

# ---- T(v, a, b) = pairwise_sq_distances_tangent: the tangent along a ----------------


@vjp_rule(pairwise_sq_distances_tangent, "v")
def tangent_v(c, ans, v, a, b):
    return pairwise_sq_distances_adjoint(c, a, b)


@vjp_rule(pairwise_sq_distances_tangent, "a")
def tangent_a(c, ans, v, a, b):
    return pairwise_sq_distances_adjoint(c, v, zeros_like(b))


@vjp_rule(pairwise_sq_distances_tangent, "b")
def tangent_b(c, ans, v, a, b):
    return pairwise_sq_distances_adjoint(swap_pairs(c), zeros_like(b), v)


@jvp_rule(pairwise_sq_distances_tangent, "a")
def tangent_a_dot(a_dot, ans, v, a, b):
    return pairwise_sq_distances_tangent(v, a_dot, zeros_like(b))


@jvp_rule(pairwise_sq_distances_tangent, "b")
def tangent_b_dot(b_dot, ans, v, a, b):
    return pairwise_sq_distances_tangent(v, zeros_like(a), b_dot)


linear(pairwise_sq_distances_tangent, tangent_v, "v")
