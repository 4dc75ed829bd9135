"""Derivative rules for NumPy's shape and assembly functions.

All of these are linear in their array arguments, so most are declared ``linear`` (the
JVP is the function applied to the tangent) and given a VJP that maps the output's
adjoint back to the input's shape. reshape and ravel have explicit JVPs instead: with
order 'A' or 'K' the element order depends on the memory layout of the primal input,
which the tangent need not share. Functions taking a sequence of arrays (concatenate,
stack, the *stack family, atleast_*d) return a tuple of adjoints; the splitting
functions return a list, so their adjoint is a list (None entries count as zeros).

np.pad supports the modes 'constant' (the constant is not differentiated), 'edge',
'reflect', 'symmetric' and 'wrap'.

One module per kind of function; importing the package registers them all.
"""

from s2sad.rules.numpy_shapes import (  # noqa: F401  (imported for their registrations)
    construction,
    diagonals,
    helpers,
    joining,
    reshaping,
    tiling,
)
