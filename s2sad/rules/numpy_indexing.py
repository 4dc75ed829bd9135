"""Derivative rules for indexing and selection: ``x[index]`` (operator.getitem), take,
take_along_axis, choose, compress, select, sort and partition.

Reading elements is linear in the array read from, so these are declared ``linear``;
the VJPs scatter the adjoint back, accumulating over repeated indices. sort and
partition route derivatives through the permutation that orders the input (for tied
values any permutation is a valid choice; the same input always gets the same one).
"""

import operator

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.indexing import (
    choose_adjoint,
    compress_adjoint,
    getitem_adjoint,
    item_adjoint,
    item_tangent,
    masked,
    partition_permutation,
    permute,
    select_adjoint,
    select_none,
    select_tangent,
    sort_permutation,
    take_adjoint,
    take_along_axis_adjoint,
    unpermute,
)

# ---- x[index] ----------------------------------------------------------------------


@vjp_rule(operator.getitem, "a")
def getitem_a(g, ans, a, b):
    return getitem_adjoint(g, a, b)


linear(operator.getitem, getitem_a, "a")
constant(operator.getitem, getitem_a, "b")  # indices are integers or masks

# ---- gathering along axes ----------------------------------------------------------


@vjp_rule(np.take, "a")
def take_a(g, ans, a, indices, axis=None, out=None, mode="raise"):
    return take_adjoint(g, a, indices, axis, mode)


@vjp_rule(np.take_along_axis, "arr")
def take_along_axis_arr(g, ans, arr, indices, axis=-1):
    return take_along_axis_adjoint(g, arr, indices, axis)


@vjp_rule(np.compress, "a")
def compress_a(g, ans, condition, a, axis=None, out=None):
    return compress_adjoint(g, condition, a, axis)


@vjp_rule(np.choose, "choices")
def choose_choices(g, ans, a, choices, out=None, mode="raise"):
    return choose_adjoint(g, a, choices, mode)


linear(np.take, take_a, "a")
linear(np.take_along_axis, take_along_axis_arr, "arr")
linear(np.compress, compress_a, "a")
linear(np.choose, choose_choices, "choices")

# ---- select (affine in the choices when the default is not zero) -------------------


@vjp_rule(np.select, "choicelist")
def select_choicelist(g, ans, condlist, choicelist, default=0):
    return select_adjoint(g, condlist, choicelist)


@vjp_rule(np.select, "default")
def select_default(g, ans, condlist, choicelist, default=0):
    return unbroadcast(np.where(select_none(condlist), g, 0.0), default)


@jvp_rule(np.select, "choicelist")
def select_choicelist_dot(choicelist_dot, ans, condlist, choicelist, default=0):
    return select_tangent(choicelist_dot, ans, condlist)


@jvp_rule(np.select, "default")
def select_default_dot(default_dot, ans, condlist, choicelist, default=0):
    return masked(select_none(condlist), default_dot, ans)


# ---- sort and partition ------------------------------------------------------------


@vjp_rule(np.sort)
def sort_a(g, ans, a, axis=-1, kind=None, order=None, *, stable=None):
    return unpermute(g, a, sort_permutation(a, axis, kind), axis)


@jvp_rule(np.sort)
def sort_a_dot(a_dot, ans, a, axis=-1, kind=None, order=None, *, stable=None):
    return permute(a_dot, sort_permutation(a, axis, kind), axis)


@vjp_rule(np.partition)
def partition_a(g, ans, a, kth, axis=-1, kind="introselect", order=None):
    return unpermute(g, a, partition_permutation(ans, a, axis), axis)


@jvp_rule(np.partition)
def partition_a_dot(a_dot, ans, a, kth, axis=-1, kind="introselect", order=None):
    return permute(a_dot, partition_permutation(ans, a, axis), axis)


# ---- the helpers the rules above call, so that derivatives differentiate again -------

# the orders np.sort and np.partition read their input in: no derivative
nondifferentiable(sort_permutation, partition_permutation)


# unpermute writes g back where each element came from; permute reads it in that order
@vjp_rule(unpermute, "g")
def unpermute_g(c, ans, g, a, permutation, axis=-1):
    return np.reshape(permute(c, permutation, axis), np.shape(g))


@vjp_rule(permute, "a_dot")
def permute_a_dot(b, ans, a_dot, permutation, axis=-1):
    return unpermute(b, a_dot, permutation, axis)


linear(unpermute, unpermute_g, "g")
constant(unpermute, unpermute_g, "a", "permutation")
linear(permute, permute_a_dot, "a_dot")
constant(permute, permute_a_dot, "permutation")


# the gathers' adjoints scatter g back; their transposes gather it again
@vjp_rule(take_adjoint, "g")
def take_adjoint_g(c, ans, g, a, indices, axis=None, mode="raise"):
    return np.reshape(np.take(c, indices, axis, mode=mode), np.shape(g))


@vjp_rule(take_along_axis_adjoint, "g")
def take_along_axis_adjoint_g(c, ans, g, arr, indices, axis=-1):
    return np.reshape(np.take_along_axis(c, indices, axis), np.shape(g))


@vjp_rule(compress_adjoint, "g")
def compress_adjoint_g(c, ans, g, condition, a, axis=None):
    return np.reshape(np.compress(condition, c, axis), np.shape(g))


linear(take_adjoint, take_adjoint_g, "g")
constant(take_adjoint, take_adjoint_g, "a")
linear(take_along_axis_adjoint, take_along_axis_adjoint_g, "g")
constant(take_along_axis_adjoint, take_along_axis_adjoint_g, "arr")
linear(compress_adjoint, compress_adjoint_g, "g")
constant(compress_adjoint, compress_adjoint_g, "a")


# a.item(*args): item_adjoint writes g at the element, item_tangent reads it
@vjp_rule(item_adjoint, "g")
def item_adjoint_g(c, ans, g, a, args):
    return item_tangent(c, args)


@vjp_rule(item_tangent, "a_dot")
def item_tangent_a_dot(b, ans, a_dot, args):
    return item_adjoint(b, a_dot, args)


linear(item_adjoint, item_adjoint_g, "g")
constant(item_adjoint, item_adjoint_g, "a")
linear(item_tangent, item_tangent_a_dot, "a_dot")


# np.select's helpers: where no condition holds is a mask; select_adjoint hands g to the
# choice each position takes, select_tangent reads it back (each the other's transpose);
# masked keeps a value where a mask holds
nondifferentiable(select_none)


@vjp_rule(select_adjoint, "g")
def select_adjoint_g(c, ans, g, condlist, choicelist):
    return select_tangent(c, g, condlist)


@vjp_rule(select_tangent, "choicelist_dot")
def select_tangent_choicelist_dot(b, ans_, choicelist_dot, ans, condlist):
    return select_adjoint(b, condlist, choicelist_dot)


linear(select_adjoint, select_adjoint_g, "g")
constant(select_adjoint, select_adjoint_g, "choicelist")
linear(select_tangent, select_tangent_choicelist_dot, "choicelist_dot")
constant(select_tangent, select_tangent_choicelist_dot, "ans")


@vjp_rule(masked, "value")
def masked_value(c, ans, mask, value, like):
    return unbroadcast(masked(mask, c, c), value)


linear(masked, masked_value, "value")
constant(masked, masked_value, "like")


# choose_adjoint hands g to the choice a picks; np.choose reads it back
@vjp_rule(choose_adjoint, "g")
def choose_adjoint_g(c, ans, g, a, choices, mode="raise"):
    return unbroadcast(np.choose(a, c, mode=mode), g)


linear(choose_adjoint, choose_adjoint_g, "g")
constant(choose_adjoint, choose_adjoint_g, "choices")
