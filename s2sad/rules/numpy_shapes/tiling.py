"""Rules for tiling, repeating, flipping, rolling and padding arrays."""

import numpy as np

from s2sad.rules.registry import jvp_rule, linear, vjp_rule
from s2sad.runtime.shapes import pad_constant_adjoint, pad_tangent, unpad, unrepeat, untile

# ---- tiling, repeating, flipping, rolling ------------------------------------------


@vjp_rule(np.tile)
def tile_A(g, ans, A, reps):
    return untile(g, A, reps)


@vjp_rule(np.repeat)
def repeat_a(g, ans, a, repeats, axis=None):
    return unrepeat(g, a, repeats, axis)


@vjp_rule(np.flip)
def flip_m(g, ans, m, axis=None):
    return np.flip(g, axis)


@vjp_rule(np.fliplr)
def fliplr_m(g, ans, m):
    return np.fliplr(g)


@vjp_rule(np.flipud)
def flipud_m(g, ans, m):
    return np.flipud(g)


@vjp_rule(np.roll)
def roll_a(g, ans, a, shift, axis=None):
    return np.roll(g, np.negative(shift), axis)


@vjp_rule(np.rot90)
def rot90_m(g, ans, m, k=1, axes=(0, 1)):
    return np.rot90(g, -k, axes)


linear(np.tile, tile_A, "A")
linear(np.repeat, repeat_a, "a")
linear(np.flip, flip_m, "m")
linear(np.fliplr, fliplr_m, "m")
linear(np.flipud, flipud_m, "m")
linear(np.roll, roll_a, "a")
linear(np.rot90, rot90_m, "m")

# ---- padding (affine for constant padding: a JVP rule drops the constant) ----------


@vjp_rule(np.pad)
def pad_array(g, ans, array, pad_width, mode="constant", *, constant_values=0,
              reflect_type="even"):
    return unpad(g, array, pad_width, mode, reflect_type)


@jvp_rule(np.pad)
def pad_array_dot(array_dot, ans, array, pad_width, mode="constant", *, constant_values=0,
                  reflect_type="even"):
    return pad_tangent(array_dot, pad_width, mode, reflect_type)


@vjp_rule(np.pad, "constant_values")
def pad_constant_values(g, ans, array, pad_width, mode="constant", *, constant_values=0,
                        reflect_type="even"):
    return pad_constant_adjoint(g, array, pad_width, constant_values)


@jvp_rule(np.pad, "constant_values")
def pad_constant_values_dot(constant_values_dot, ans, array, pad_width, mode="constant", *,
                            constant_values=0, reflect_type="even"):
    return np.pad(np.zeros_like(array), pad_width, constant_values=constant_values_dot)
