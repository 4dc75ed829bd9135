"""Spec rows for NumPy's elementwise functions."""

import numpy as np

from tests.rules.harness import Fixed, Spec

#: Argument shapes for binary functions: equal, broadcast either way, and scalars.
BROADCAST = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((4,), (3, 4)),
    ((3, 4), (3, 1)),
    ((3, 1), (1, 4)),
    ((3, 4), ()),
    ((), (3, 4)),
    ((), ()),
]

_rng = np.random.default_rng(11)


def _complex(*shape, scale=1.0):
    """A fixed complex array (off the real axis, so off every branch cut)."""
    re = _rng.standard_normal(shape)
    im = _rng.uniform(0.3, 1.0, shape) * _rng.choice([-1.0, 1.0], shape)
    return Fixed(scale * (re + 1j * im))


def _unary(fn, domain="real", **options):
    return [Spec(fn, shape, domain=domain, **options) for shape in (((3, 4),), ((),))]


def _binary(fn, domain="real", **options):
    return [Spec(fn, shapes, domain=domain, **options) for shapes in BROADCAST]


#: Unary functions and the domain they are tested on.
UNARY = [
    (np.sin, "real"),
    (np.cos, "real"),
    (np.tan, "unit"),
    (np.arcsin, "unit"),
    (np.arccos, "unit"),
    (np.arctan, "real"),
    (np.sinh, "real"),
    (np.cosh, "real"),
    (np.tanh, "real"),
    (np.arcsinh, "real"),
    (np.arccosh, "above1"),
    (np.arctanh, "unit"),
    (np.exp, "real"),
    (np.exp2, "real"),
    (np.expm1, "real"),
    (np.log, "positive"),
    (np.log2, "positive"),
    (np.log10, "positive"),
    (np.log1p, "positive"),
    (np.sqrt, "positive"),
    (np.cbrt, "nonzero"),
    (np.square, "real"),
    (np.reciprocal, "nonzero"),
    (np.abs, "nonzero"),
    (np.fabs, "nonzero"),
    (np.negative, "real"),
    (np.positive, "real"),
    (np.sinc, "real"),
    (np.deg2rad, "real"),
    (np.rad2deg, "real"),
    (np.degrees, "real"),
    (np.radians, "real"),
    (np.i0, "real"),
    (np.nan_to_num, "real"),
    (np.real, "real"),
    (np.imag, "real"),
    (np.conj, "real"),
]

#: Holomorphic functions (and complex-aware ones) checked on complex arguments.
COMPLEX = [
    np.sin,
    np.cos,
    np.tan,
    np.arcsin,
    np.arccos,
    np.arctan,
    np.sinh,
    np.cosh,
    np.tanh,
    np.arcsinh,
    np.arccosh,
    np.arctanh,
    np.exp,
    np.exp2,
    np.expm1,
    np.log,
    np.log2,
    np.log10,
    np.log1p,
    np.sqrt,
    np.square,
    np.reciprocal,
    np.abs,
    np.negative,
    np.positive,
    np.sinc,
    np.real,
    np.imag,
    np.conj,
    np.angle,
]

_condition = Fixed(np.array([[True, False, True, False]] * 3))

SPECS = [
    *[spec for fn, domain in UNARY for spec in _unary(fn, domain)],
    *[Spec(fn, (_complex(3, 4, scale=0.7),), id=f"{fn.__name__}_complex") for fn in COMPLEX],
    # removable singularity of sinc, and i0 across both of i1's methods
    Spec(np.angle, (_complex(3, 4, scale=0.7),), {"deg": True}, id="angle_degrees"),
    Spec(np.angle, ((3, 4),), id="angle_real"),
    Spec(np.sinc, (Fixed(np.array([0.0, 1e-9, -3e-3, 0.02, 1.5])),), id="sinc_near_0"),
    Spec(np.i0, (Fixed(np.array([0.0, 0.3, -19.5, 21.0, -35.0, 60.0])),), id="i0_wide"),
    Spec(
        np.nan_to_num,
        (Fixed(np.array([1.0, np.nan, np.inf, -np.inf, -2.0])),),
        id="nan_to_num_nonfinite",
    ),
    # arithmetic
    *_binary(np.add),
    *_binary(np.subtract),
    *_binary(np.multiply),
    *_binary(np.divide, "nonzero"),
    *_binary(np.fmod, "positive"),
    *_binary(np.remainder, "positive"),
    Spec(np.ldexp, ((3, 4), Fixed(np.array([1, -2, 3, 0])))),
    Spec(np.ldexp, ((), Fixed(3))),
    Spec(np.multiply, (_complex(3, 4), _complex(4)), id="multiply_complex"),
    Spec(np.divide, (_complex(3, 4), _complex(3, 1)), id="divide_complex"),
    Spec(np.add, (_complex(3, 4), (4,)), id="add_complex_real"),
    # powers
    *_binary(np.power, "positive"),
    *_binary(np.float_power, "positive"),
    Spec(np.power, ((3, 4), Fixed(3)), wrt=(0,), id="power_int"),
    Spec(
        np.power,
        (Fixed(np.array([0.0, 0.0, 2.0])), Fixed(np.array([0, 2, 3]))),
        wrt=(0,),
        id="power_zero_exponent",
    ),
    Spec(np.power, (Fixed(np.zeros(3)), Fixed(0.0)), wrt=(0,), id="power_zero_zero"),
    Spec(
        np.float_power,
        (Fixed(np.array([0.0, 1.0])), Fixed(0)),
        wrt=("x1",),
        id="float_power_zero_exponent",
    ),
    Spec(np.power, ((3, 4), Fixed(np.array([2, 3, 1, 0]))), wrt=(0,), id="power_int_array"),
    Spec(
        np.power,
        (Fixed(np.array([0.0, 0.5, 2.0])), (3,)),
        domain="positive",
        wrt=(1,),
        id="power_zero_base",
    ),
    Spec(
        np.float_power,
        (Fixed(np.array([0.0, 0.5, 2.0])), (3,)),
        domain="positive",
        wrt=("x2",),
        id="float_power_zero_base",
    ),
    Spec(np.power, (_complex(3, 4), Fixed(2.5)), wrt=(0,), id="power_complex"),
    Spec(np.power, (_complex(3, 4), _complex(4)), id="power_complex_both"),
    Spec(np.float_power, (_complex(3, 4), (4,)), id="float_power_complex"),
    # exponentials, trigonometry, norms
    *_binary(np.logaddexp),
    *_binary(np.logaddexp2),
    *_binary(np.arctan2),
    *_binary(np.hypot),
    Spec(
        np.hypot,
        (Fixed(np.array([0.0, 1.0])), Fixed(np.array([0.0, 2.0]))),
        wrt=("x1",),
        id="hypot_origin",
    ),
    *_binary(np.copysign, "nonzero"),
    # maxima and minima (continuous samples: no ties)
    *_binary(np.maximum),
    *_binary(np.minimum),
    *_binary(np.fmax),
    *_binary(np.fmin),
    Spec(np.fmax, ((3,), Fixed(np.array([np.nan, 0.2, np.nan]))), wrt=("x1",), id="fmax_nan"),
    Spec(np.fmin, (Fixed(np.array([np.nan, 0.2, -5.0])), (3,)), wrt=("x2",), id="fmin_nan"),
    # clip: every bound spelling, broadcasting bounds, one-sided, and crossed bounds
    Spec(np.clip, ((3, 4), (), ())),
    Spec(np.clip, ((3, 4), (4,), (3, 1))),
    Spec(np.clip, ((4,), (3, 1), ())),
    Spec(np.clip, ((), (), ())),
    Spec(np.clip, ((3, 4), Fixed(-0.3), Fixed(0.4)), id="clip_fixed_bounds"),
    Spec(np.clip, ((3, 4), Fixed(None), ()), id="clip_upper_only"),
    Spec(np.clip, ((3, 4), (), Fixed(None)), id="clip_lower_only"),
    Spec(np.clip, ((3, 4), Fixed(0.5), Fixed(-0.5)), id="clip_crossed"),
    Spec(np.clip, ((3, 4),), {"min": -0.5, "max": 0.5}, id="clip_min_max"),
    Spec(np.clip, ((3, 4),), {"max": 0.2}, id="clip_max_only"),
    # selection
    Spec(np.where, (_condition, (3, 4), (3, 4))),
    Spec(np.where, (_condition, (4,), ())),
    Spec(np.where, (_condition, (), (3, 1))),
    Spec(np.where, (Fixed(True), (), ()), id="where_scalar"),
    Spec(np.where, (_condition, _complex(3, 4), (4,)), id="where_complex"),
    # constant-filled arrays
    Spec(np.full, (Fixed((3, 4)), ())),
    Spec(np.full, (Fixed((3, 4)), (4,))),
    Spec(np.full_like, ((3, 4), ())),
    Spec(np.full_like, ((3, 4), (3, 1))),
]

# ---- the slope of hypot and dist, differentiated again ---------------------------
from s2sad.runtime.elementwise import over_norm  # noqa: E402

SPECS += [
    Spec(over_norm, ((), ()), domain="positive"),
    Spec(over_norm, ((3, 4), (3, 1)), domain="positive"),
]

from s2sad.runtime.elementwise import pow_log, pow_slope  # noqa: E402

SPECS += [
    Spec(pow_slope, ((3, 4), (3, 4)), domain="positive"),
    Spec(pow_slope, ((), ()), domain="positive"),
    Spec(pow_log, ((3, 4),), domain="positive"),
    Spec(pow_log, ((),), domain="positive"),
]

# ---- np.interp and its helpers ------------------------------------------------------
from s2sad.runtime.elementwise import (  # noqa: E402
    interp_fp_adjoint,
    interp_fp_tangent,
    interp_slope,
    interp_slope_adjoint,
)

_KNOTS = np.array([-1.5, -0.4, 0.3, 1.1, 2.0])
_POINTS = np.array([-2.1, -1.2, -0.1, 0.6, 1.4, 2.5])
SPECS += [
    Spec(np.interp, ((6,), Fixed(_KNOTS), (5,)), wrt=(0, 2)),
    Spec(np.interp, ((2, 3), Fixed(_KNOTS), (5,)), {"left": -3.0, "right": 4.0}, wrt=(0, 2)),
    Spec(np.interp, ((), Fixed(_KNOTS), (5,)), wrt=(0, 2)),
    Spec(np.interp, ((6,), Fixed(_KNOTS), (5,)), {"period": 2.5}, wrt=(0, 2)),
    Spec(interp_slope, (Fixed(_POINTS), Fixed(_KNOTS), (5,)), wrt=(2,)),
    Spec(interp_slope_adjoint, ((6,), Fixed(_POINTS), Fixed(_KNOTS), Fixed(np.zeros(5))),
         wrt=(0,)),
    Spec(interp_fp_tangent, ((5,), (6,), Fixed(_KNOTS), Fixed(np.zeros(5)), Fixed(1.0)),
         wrt=(0, 1)),
    Spec(interp_fp_adjoint, ((6,), (6,), Fixed(_KNOTS), Fixed(np.zeros(5))), wrt=(0, 1)),
    Spec(interp_fp_adjoint, ((6,), (6,), Fixed(_KNOTS), Fixed(np.zeros(5)), Fixed(None),
                             Fixed(None), Fixed(3.0)), wrt=(0, 1)),
]
