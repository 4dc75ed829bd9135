"""Spec rows for the small helpers first-order rules call (s2sad/rules/helper_rules.py)."""

import numpy as np

from s2sad.runtime.elementwise import angle_slope
from s2sad.runtime.pieces import reshaped_like, split_like
from s2sad.runtime.shapes import fill_zeros, unatleast, unsplit
from s2sad.runtime.special import safe_ratio
from tests.rules.harness import Fixed, Seq, Spec

_rng = np.random.default_rng(20261207)
_z = Fixed(_rng.normal(size=(2, 3)) + 1j * _rng.normal(size=(2, 3)))
_pieces = Fixed([np.zeros((2, 3)), np.zeros((1, 3))])

SPECS = [
    Spec(safe_ratio, ((3,), (3,)), domain="positive"),
    Spec(safe_ratio, ((2, 3), (3,)), domain="positive", id="safe_ratio_broadcast"),
    Spec(safe_ratio, (Fixed(np.array([0.0, 1.5, -2.0])), (3,)), domain="positive", wrt=(1,),
         id="safe_ratio_zero_x"),
    Spec(angle_slope, (_z,), wrt=(0,), id="angle_slope_complex"),
    Spec(angle_slope, (_z, Fixed(True)), wrt=(0,), id="angle_slope_degrees"),
    Spec(angle_slope, ((2, 3),), id="angle_slope_real"),
    Spec(fill_zeros, (Seq(((2,), (3,))), Fixed((np.zeros(2), np.zeros(3)))), wrt=(0,)),
    Spec(unsplit, (Seq(((2, 3), (1, 3))), _pieces), wrt=(0,)),
    Spec(unsplit, (Seq(((3, 2), (3, 1))), Fixed([np.zeros((3, 2)), np.zeros((3, 1))]),
                   Fixed(1)), wrt=(0,), id="unsplit_axis_1"),
    Spec(split_like, ((3, 3), _pieces), wrt=(0,)),
    Spec(unatleast, ((1, 3), Fixed((np.zeros(3),))), wrt=(0,)),
    Spec(unatleast, (Seq(((1, 3), (2, 2))), Fixed((np.zeros(3), np.zeros((2, 2))))),
         wrt=(0,), id="unatleast_two"),
    Spec(reshaped_like, (Seq(((3,),)), Fixed(np.zeros((1, 3))), Fixed((np.zeros(3),))),
         wrt=(0,)),
    Spec(reshaped_like, (Seq(((3,), (2, 2))), Fixed([np.zeros((1, 3)), np.zeros((2, 2))]),
                         Fixed((np.zeros(3), np.zeros((2, 2))))), wrt=(0,),
         id="reshaped_like_two"),
]
