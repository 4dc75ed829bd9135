"""Rules for joining arrays (``concatenate``, ``stack`` and the ``*stack`` family) and
splitting them (the primal returns a list, and so does its adjoint)."""

import numpy as np

from s2sad.rules.registry import linear, vjp_rule
from s2sad.runtime.shapes import (
    fill_zeros,
    uncolumn_stack,
    unconcatenate,
    undstack,
    unhstack,
    unsplit,
    unvstack,
)

# ---- joining -----------------------------------------------------------------------


@vjp_rule(np.concatenate)
def concatenate_arrays(g, ans, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return unconcatenate(g, arrays, axis)


@vjp_rule(np.stack)
def stack_arrays(g, ans, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return np.unstack(g, axis=axis)


@vjp_rule(np.hstack)
def hstack_tup(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unhstack(g, tup)


@vjp_rule(np.vstack)
def vstack_tup(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unvstack(g, tup)


@vjp_rule(np.dstack)
def dstack_tup(g, ans, tup):
    return undstack(g, tup)


@vjp_rule(np.column_stack)
def column_stack_tup(g, ans, tup):
    return uncolumn_stack(g, tup)


linear(np.concatenate, concatenate_arrays, "arrays")
linear(np.stack, stack_arrays, "arrays")
linear(np.hstack, hstack_tup, "tup")
linear(np.vstack, vstack_tup, "tup")
linear(np.dstack, dstack_tup, "tup")
linear(np.column_stack, column_stack_tup, "tup")

# ---- splitting (the primal returns a list) -----------------------------------------


@vjp_rule(np.split)
@vjp_rule(np.array_split)
def split_ary(g, ans, ary, indices_or_sections, axis=0):
    return unsplit(g, ans, axis)


@vjp_rule(np.hsplit)
def hsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 1 if np.ndim(ary) > 1 else 0)


@vjp_rule(np.vsplit)
def vsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 0)


@vjp_rule(np.dsplit)
def dsplit_ary(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, 2)


@vjp_rule(np.unstack)
def unstack_x(g, ans, x, *, axis=0):
    return np.stack(fill_zeros(g, ans), axis=axis)


linear(np.split, split_ary, "ary")
linear(np.array_split, split_ary, "ary")
linear(np.hsplit, hsplit_ary, "ary")
linear(np.vsplit, vsplit_ary, "ary")
linear(np.dsplit, dsplit_ary, "ary")
linear(np.unstack, unstack_x, "x")
