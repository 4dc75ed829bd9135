"""Derivative rules for ``+`` and ``*`` on lists, tuples and strings (``concat``,
``repeat``: the kind analysis maps the operators to them), for ``sorted`` and ``list``
(and ``ordered``, which the lowering makes of ``sorted`` with a ``key``), and for the
helpers their derivatives call, so these differentiate again."""

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.sequences import (
    check_list,
    check_same_keys,
    concat,
    concat_adjoint,
    concat_tangent,
    dict_keys,
    entry_removed_tangent,
    entry_restored,
    extremum_position,
    insert_position,
    is_dict,
    item_position,
    items_adjoint,
    items_tangent,
    ordered,
    ordered_adjoint,
    ordered_tangent,
    removed_entry,
    repeat,
    repeat_adjoint,
    repeat_tangent,
    sort_keys,
    sorted_positions,
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


# ---- sorted, list(...) and ordered: the items moved, each keeping its derivative ------


@vjp_rule(sorted, "iterable")
def sorted_iterable(g, ans, iterable, key=None, reverse=False):
    return ordered_adjoint(g, iterable, sort_keys(iterable, key), reverse)


@jvp_rule(sorted, "iterable")
def sorted_iterable_dot(iterable_dot, ans, iterable, key=None, reverse=False):
    return ordered_tangent(iterable_dot, iterable, sort_keys(iterable, key), reverse)


constant(sorted, sorted_iterable, "key", "reverse")


@vjp_rule(ordered, "seq")
def ordered_seq(g, ans, seq, keys, reverse=False):
    return ordered_adjoint(g, seq, keys, reverse)


@jvp_rule(ordered, "seq")
def ordered_seq_dot(seq_dot, ans, seq, keys, reverse=False):
    return ordered_tangent(seq_dot, seq, keys, reverse)


constant(ordered, ordered_seq, "keys", "reverse")


@vjp_rule(list, "iterable")
def list_iterable(g, ans, iterable=()):
    return items_adjoint(g, iterable)


@jvp_rule(list, "iterable")
def list_iterable_dot(iterable_dot, ans, iterable=()):
    return items_tangent(iterable_dot, iterable)


nondifferentiable(sorted_positions, extremum_position, sort_keys, check_list, insert_position,
                  item_position, dict_keys, check_same_keys)


# ---- their helpers, each the other's transpose --------------------------------------


@vjp_rule(ordered_adjoint, "g")
def ordered_adjoint_g(h, ans, g, seq, keys, reverse=False):
    return ordered_tangent(h, seq, keys, reverse)


linear(ordered_adjoint, ordered_adjoint_g, "g")
constant(ordered_adjoint, ordered_adjoint_g, "seq", "keys", "reverse")


@vjp_rule(ordered_tangent, "seq_dot")
def ordered_tangent_seq_dot(h, ans, seq_dot, seq, keys, reverse=False):
    return ordered_adjoint(h, seq, keys, reverse)


linear(ordered_tangent, ordered_tangent_seq_dot, "seq_dot")
constant(ordered_tangent, ordered_tangent_seq_dot, "seq", "keys", "reverse")


@vjp_rule(items_adjoint, "g")
def items_adjoint_g(h, ans, g, iterable):
    return items_tangent(h, iterable)


linear(items_adjoint, items_adjoint_g, "g")
constant(items_adjoint, items_adjoint_g, "iterable")


@vjp_rule(items_tangent, "iterable_dot")
def items_tangent_iterable_dot(h, ans, iterable_dot, iterable):
    return items_adjoint(h, iterable)


linear(items_tangent, items_tangent_iterable_dot, "iterable_dot")
constant(items_tangent, items_tangent_iterable_dot, "iterable")


# ---- del d[k]: a new dict without the entry ----------------------------------------


@vjp_rule(removed_entry, "d")
def removed_entry_d(g, ans, d, key):
    return entry_restored(g, d, key)


@jvp_rule(removed_entry, "d")
def removed_entry_d_dot(d_dot, ans, d, key):
    return entry_removed_tangent(d_dot, d, key)


constant(removed_entry, removed_entry_d, "key")
nondifferentiable(is_dict)


@vjp_rule(entry_restored, "g")
def entry_restored_g(h, ans, g, d, key):
    return entry_removed_tangent(h, d, key)


linear(entry_restored, entry_restored_g, "g")
constant(entry_restored, entry_restored_g, "d", "key")


@vjp_rule(entry_removed_tangent, "d_dot")
def entry_removed_tangent_d_dot(h, ans, d_dot, d, key):
    return entry_restored(h, d, key)


linear(entry_removed_tangent, entry_removed_tangent_d_dot, "d_dot")
constant(entry_removed_tangent, entry_removed_tangent_d_dot, "d", "key")
