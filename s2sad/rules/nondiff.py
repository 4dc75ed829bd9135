"""Functions whose outputs carry no derivative.

Their results are integers, booleans, indices, shapes, piecewise constants or fresh
constants (``np.zeros``), so no derivative flows through them and the compiler treats
their calls as constants. Random sampling is treated the same way: a sample is a
constant draw, even when its distribution's parameters are active.

Not declared here, on purpose: ``np.full``/``np.full_like`` (differentiable in
``fill_value``, see ``numpy_elementwise``) and the samplers that return elements of
their input (``choice``, ``permutation``, ``permuted``, ``shuffle``), so that an active
input to them is reported as a missing rule instead of silently losing its derivative.
"""

import builtins

import numpy as np

from s2sad.rules.registry import nondifferentiable, zero_for_real
from s2sad.runtime import elementwise, messages

# ---- rounding and sign -------------------------------------------------------------

nondifferentiable(
    np.floor,
    np.ceil,
    np.round,
    np.around,
    np.rint,
    np.trunc,
    np.fix,
    np.sign,  # for real values; see below
    np.signbit,
    np.heaviside,
    np.spacing,
    np.floor_divide,
    np.divmod,
)

# NumPy 2 gives a complex x the sign x / |x|, whose derivative is not zero: code that may
# see complex values differentiates np.sign as s2sad's sign (the same values, with rules)
if np.lib.NumpyVersion(np.__version__) >= "2.0.0":
    zero_for_real(np.sign, elementwise.sign)

# ---- indices, searching and counting -----------------------------------------------

nondifferentiable(
    np.argmax,
    np.argmin,
    np.nanargmax,
    np.nanargmin,
    np.argsort,
    np.lexsort,
    np.argwhere,
    np.nonzero,
    np.flatnonzero,
    np.searchsorted,
    np.digitize,
    np.count_nonzero,
    np.unravel_index,
    np.ravel_multi_index,
    np.indices,
    np.tril_indices,
    np.triu_indices,
    np.diag_indices,
)

# ---- comparisons, logic and predicates ---------------------------------------------

nondifferentiable(
    np.greater,
    np.greater_equal,
    np.less,
    np.less_equal,
    np.equal,
    np.not_equal,
    np.logical_and,
    np.logical_or,
    np.logical_not,
    np.logical_xor,
    np.isnan,
    np.isinf,
    np.isfinite,
    np.isneginf,
    np.isposinf,
    np.isreal,
    np.iscomplex,
    np.isrealobj,
    np.iscomplexobj,
    np.isclose,
    np.allclose,
    np.array_equal,
    np.array_equiv,
    np.all,
    np.any,
)

# ---- bitwise operations ------------------------------------------------------------

nondifferentiable(
    np.bitwise_and,
    np.bitwise_or,
    np.bitwise_xor,
    np.invert,  # also np.bitwise_not and np.bitwise_invert
    np.left_shift,  # also np.bitwise_left_shift
    np.right_shift,  # also np.bitwise_right_shift
    np.gcd,
    np.lcm,
)
if hasattr(np, "bitwise_count"):  # NumPy 2.0+
    nondifferentiable(np.bitwise_count)

# ---- constant arrays and shape queries ---------------------------------------------

nondifferentiable(
    np.zeros,
    np.ones,
    np.empty,
    np.zeros_like,
    np.ones_like,
    np.empty_like,
    np.eye,
    np.identity,
    np.arange,
    np.shape,
    np.ndim,
    np.size,
)

# ---- Python built-ins --------------------------------------------------------------

nondifferentiable(
    builtins.len,
    builtins.round,
    builtins.int,
    builtins.bool,
    builtins.isinstance,
    builtins.issubclass,
    builtins.range,
    builtins.type,
    builtins.id,
    builtins.hash,
    builtins.callable,
    builtins.hasattr,
    builtins.str,
    builtins.repr,
    builtins.print,
)

# ---- random sampling ---------------------------------------------------------------

#: Samplers that return (permuted) elements of an array argument: a derivative could
#: flow through them, so they are left without rules.
_SELECTING = {"choice", "permutation", "permuted", "shuffle"}


def _public_callables(owner):
    for name in dir(owner):
        if name.startswith("_") or name in _SELECTING:
            continue
        value = getattr(owner, name)
        if callable(value) and not isinstance(value, type):
            yield value


nondifferentiable(*_public_callables(np.random))
nondifferentiable(*_public_callables(np.random.Generator))
nondifferentiable(*_public_callables(np.random.RandomState))

# ---- what lowered raise statements and f-strings call --------------------------------------

nondifferentiable(messages.raise_error, messages.formatted)
