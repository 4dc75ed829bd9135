"""Spec rows for the math module's rules (Python float arguments)."""

import math

import numpy as np

from tests.rules.harness import Fixed, Seq, Spec

S = ((),)  # one Python float argument
SS = ((), ())  # two

SPECS = [
    # exponentials and logarithms
    Spec(math.exp, S),
    Spec(math.expm1, S),
    Spec(math.log, S, domain="positive"),
    Spec(math.log, SS, domain="above1", id="log_base"),
    Spec(math.log, ((), Fixed(10.0)), domain="positive", wrt=("x",), id="log_base10"),
    Spec(math.log1p, S, domain="positive"),
    Spec(math.log1p, (Fixed(-0.5),), id="log1p_negative"),
    Spec(math.log2, S, domain="positive"),
    Spec(math.log10, S, domain="positive"),
    # powers and roots
    Spec(math.sqrt, S, domain="positive"),
    Spec(math.pow, SS, domain="positive"),
    Spec(math.pow, ((), Fixed(3.0)), wrt=("x",), id="pow_negative_base"),
    Spec(math.pow, (Fixed(0.0), ()), domain="positive", wrt=("y",), id="pow_zero_base"),
    Spec(math.pow, (Fixed(0.0), Fixed(0.0)), wrt=("x",), id="pow_zero_exponent"),
    # trigonometric
    Spec(math.sin, S),
    Spec(math.cos, S),
    Spec(math.tan, S, domain="unit"),
    Spec(math.asin, S, domain="unit"),
    Spec(math.acos, S, domain="unit"),
    Spec(math.atan, S),
    Spec(math.atan2, SS),
    Spec(math.atan2, SS, domain="nonzero", id="atan2_nonzero"),
    Spec(math.degrees, S),
    Spec(math.radians, S),
    # hyperbolic
    Spec(math.sinh, S),
    Spec(math.cosh, S),
    Spec(math.tanh, S),
    Spec(math.asinh, S),
    Spec(math.acosh, S, domain="above1"),
    Spec(math.atanh, S, domain="unit"),
    # special functions
    Spec(math.erf, S),
    Spec(math.erfc, S),
    Spec(math.gamma, S, domain="positive"),
    Spec(math.gamma, (Fixed(4.7),), id="gamma_large"),
    Spec(math.gamma, (Fixed(-2.5),), id="gamma_negative"),
    Spec(math.gamma, (Fixed(0.01),), rtol=1e-4, id="gamma_small"),
    Spec(math.lgamma, S, domain="positive"),
    Spec(math.lgamma, (Fixed(-3.7),), id="lgamma_negative"),
    Spec(math.lgamma, (Fixed(35.5),), id="lgamma_large"),
    # sign, magnitude and remainders
    Spec(math.fabs, S, domain="nonzero"),
    Spec(math.copysign, SS, domain="nonzero"),
    Spec(math.fmod, (Fixed(7.3), Fixed(2.1)), id="fmod"),
    Spec(math.fmod, (Fixed(-7.3), Fixed(2.1)), id="fmod_negative"),
    Spec(math.remainder, (Fixed(7.3), Fixed(2.1)), id="remainder"),
    Spec(math.remainder, (Fixed(-6.1), Fixed(2.5)), id="remainder_negative"),
    Spec(math.ldexp, ((), Fixed(3))),
    Spec(math.ldexp, ((), Fixed(-2)), id="ldexp_negative"),
    # norms
    Spec(math.hypot, SS),
    Spec(math.hypot, ((), (), ()), id="hypot3"),
    Spec(math.hypot, S, domain="nonzero", id="hypot1"),
    Spec(math.dist, (Seq(((), (), ())), Seq(((), (), ())))),
    Spec(math.dist, (Seq(((),)), Seq(((),))), id="dist1"),
    # sums and products of sequences
    Spec(math.fsum, (Seq(((), (), (), ())),)),
    Spec(math.prod, (Seq(((), (), ())),)),
    Spec(math.prod, (Fixed((0.0, 2.0, 3.0)),), id="prod_with_zero"),
    Spec(math.prod, (Fixed((0.0, 0.0, 3.0)),), id="prod_with_zeros"),
    Spec(math.prod, (Seq(((), ())),), {"start": 1.5}, id="prod_start"),
]

if hasattr(math, "exp2"):
    SPECS.append(Spec(math.exp2, S))
if hasattr(math, "cbrt"):
    SPECS += [Spec(math.cbrt, S, domain="nonzero")]
if hasattr(math, "sumprod"):
    SPECS.append(Spec(math.sumprod, (Seq(((), (), ())), Seq(((), (), ())))))
if hasattr(math, "fma"):
    SPECS.append(Spec(math.fma, ((), (), ())))

from s2sad.runtime.elementwise import each  # noqa: E402

SPECS += [
    Spec(each, ((), Fixed((1.0, 2.0, 3.0))), wrt=(0,)),
]

from s2sad.runtime.elementwise import hypot_jvp, hypot_vjp  # noqa: E402

SPECS += [
    Spec(hypot_vjp, ((), (), Seq(((), ()))), domain="positive"),
    Spec(hypot_jvp, (Seq(((), (), ())), (), Seq(((), (), ()))), domain="positive"),
]

from s2sad.runtime.elementwise import dist_jvp, dist_vjp  # noqa: E402

SPECS += [
    Spec(dist_vjp, ((), (), Seq(((), ())), Seq(((), ()))), domain="positive"),
    Spec(dist_jvp, (Seq(((), (), ())), (), Seq(((), (), ())), Seq(((), (), ()))),
         domain="positive"),
]

# ---- math.prod's helpers, differentiated again ----------------------------------------
from s2sad.runtime.elementwise import stacked_like, unstacked_items  # noqa: E402

_ITEMS = (1.5, np.zeros(3), np.zeros((2, 1)))
SPECS += [
    Spec(stacked_like, (Seq(((), (3,), (2, 1))), Fixed(_ITEMS)), wrt=(0,)),
    Spec(stacked_like, (Seq(((), (), ())), Fixed((0.0, 0.0, 0.0))), wrt=(0,)),
    Spec(unstacked_items, ((3, 2, 3), Fixed(_ITEMS)), wrt=(0,)),
    Spec(math.prod, (Seq(((3,), (), (2, 1))),), id="prod_of_arrays"),
    Spec(math.prod, ((4,),), id="prod_of_an_array"),
    Spec(math.prod, ((3, 2),), {"start": 0.5}, id="prod_of_rows"),
    Spec(stacked_like, ((3, 2), Fixed(np.zeros((3, 2)))), wrt=(0,)),
]
