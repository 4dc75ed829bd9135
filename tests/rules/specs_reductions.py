"""Spec rows for reductions and cumulative functions."""

import numpy as np

from tests.rules.harness import Fixed, Seq, Spec

SHAPE = (3, 4, 2)

#: (axis, keepdims) combinations every reduction is checked with
AXES = [
    {},
    {"axis": 0},
    {"axis": -1},
    {"axis": (0, 2)},
    {"axis": None, "keepdims": True},
    {"axis": 1, "keepdims": True},
    {"axis": (-1, 0), "keepdims": True},
    {"axis": (0, 1, 2)},
]

MASK = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])


def over_axes(fn, domain="real", shape=SHAPE, extra=None, **options):
    extra = extra or {}
    return [Spec(fn, (shape,), {**kw, **extra}, domain=domain, **options) for kw in AXES]


SPECS = [
    # sums and means
    *over_axes(np.sum),
    Spec(np.sum, ((3, 4),), {"where": MASK}),
    Spec(np.sum, ((3, 4),), {"axis": 1, "where": MASK, "keepdims": True}),
    Spec(np.sum, ((3, 4),), {"axis": 0, "initial": 2.0}),
    Spec(np.sum, ((),)),
    Spec(np.nansum, ((3, 4),), {"axis": 1, "initial": -0.5}),
    Spec(np.sum, ((4,), Fixed(0))),
    *over_axes(np.mean),
    Spec(np.mean, ((3, 4),), {"axis": 0, "where": MASK}),
    Spec(np.mean, ((3, 4),), {"where": MASK}),
    *over_axes(np.nansum),
    Spec(np.nansum, ((3, 4),), {"axis": 1, "where": MASK}),
    *over_axes(np.nanmean),
    Spec(np.nanmean, ((3, 4),), {"axis": 1, "where": MASK}),
    # average, with and without weights
    *over_axes(np.average),
    Spec(np.average, ((3, 4), Fixed(None), (3, 4)), domain="positive"),
    Spec(np.average, ((3, 4), Fixed(1), (3, 4)), domain="positive"),
    Spec(np.average, ((3, 4), Fixed(1), (4,)), domain="positive"),
    Spec(np.average, ((3, 4), Fixed(-2), (3,)), {"keepdims": True}, domain="positive"),
    Spec(np.average, ((3, 4, 2), Fixed((2, 0)), (2, 3)), domain="positive"),
    Spec(np.average, ((3, 4, 2), Fixed((0, 2)), (3, 2)), {"keepdims": True}, domain="positive"),
    Spec(np.average, ((3, 4), Fixed(0), (3,), Fixed(True)), domain="positive"),
    Spec(np.average, ((3, 4), Fixed(None), (3, 4), Fixed(True)), domain="positive"),
    Spec(np.average, ((3, 4), Fixed(1), Fixed(None), Fixed(True))),
    # extrema (distinct values: no ties)
    *over_axes(np.max, "distinct"),
    *over_axes(np.min, "distinct"),
    *over_axes(np.amax, "distinct"),
    *over_axes(np.amin, "distinct"),
    *over_axes(np.nanmax, "distinct"),
    *over_axes(np.nanmin, "distinct"),
    Spec(np.max, ((3, 4),), {"axis": 1, "where": MASK, "initial": -100.0}, domain="distinct"),
    Spec(np.min, ((3, 4),), {"axis": 0, "initial": 0.2}, domain="distinct"),
    Spec(np.max, ((),), domain="distinct"),
    Spec(np.amax, ((3, 4),), {"axis": 0, "initial": 0.7}, domain="distinct"),
    Spec(np.amin, ((3, 4),), {"axis": -1, "initial": 0.3, "keepdims": True}, domain="distinct"),
    Spec(np.nanmax, ((3, 4),), {"axis": 1, "initial": 2.6}, domain="distinct"),
    Spec(np.nanmin, ((3, 4),), {"initial": -1.0}, domain="distinct"),
    Spec(np.ptp, ((3, 4, 2),), domain="distinct"),
    Spec(np.ptp, ((3, 4, 2),), {"axis": 1}, domain="distinct"),
    Spec(np.ptp, ((3, 4, 2),), {"axis": (0, -1), "keepdims": True}, domain="distinct"),
    Spec(np.ptp, ((3, 4, 2),), {"axis": -2, "keepdims": True}, domain="distinct"),
    # products
    *over_axes(np.prod, shape=(2, 3, 2)),
    Spec(np.prod, ((3, 4),), {"axis": 1, "where": MASK}),
    Spec(np.prod, ((3, 4),), {"axis": 0, "initial": 1.5}),
    *over_axes(np.nanprod, shape=(2, 3, 2)),
    Spec(np.nanprod, ((3, 4),), {"axis": 0, "initial": 0.5, "where": MASK}),
    Spec(np.prod, ((),)),
    Spec(np.cumprod, ((),)),
    Spec(np.median, ((),)),
    # spread
    *over_axes(np.var),
    *over_axes(np.std),
    *over_axes(np.nanvar),
    *over_axes(np.nanstd),
    Spec(np.var, ((3, 4),), {"axis": 1, "ddof": 1}),
    Spec(np.std, ((3, 4),), {"axis": 0, "ddof": 1, "keepdims": True}),
    Spec(np.var, ((3, 4),), {"correction": 1}),
    Spec(np.std, ((3, 4),), {"axis": 1, "where": MASK}),
    Spec(np.var, ((3, 4),), {"axis": 0, "where": MASK, "ddof": 1}),
    Spec(np.nanstd, ((3, 4),), {"axis": 1, "ddof": 1}),
    Spec(np.nanvar, ((3, 4),), {"axis": 1, "where": MASK}),
    # median (odd and even counts)
    *over_axes(np.median, "distinct"),
    Spec(np.median, ((5,),), domain="distinct"),
    Spec(np.median, ((3, 5),), {"axis": 1}, domain="distinct"),
    # cumulative
    Spec(np.cumsum, ((3, 4),)),
    Spec(np.cumsum, ((3, 4),), {"axis": 0}),
    Spec(np.cumsum, ((3, 4, 2),), {"axis": -1}),
    Spec(np.cumsum, ((5,),)),
    Spec(np.cumprod, ((3, 4),)),
    Spec(np.cumprod, ((3, 4),), {"axis": 0}),
    Spec(np.cumprod, ((3, 4, 2),), {"axis": -2}),
    Spec(np.cumprod, ((5,),), domain="positive"),
]

# ---- the rules' own sum of an adjoint or tangent, differentiated again ------------------
from s2sad.runtime.reductions import total  # noqa: E402

SPECS += [
    *over_axes(total),
    Spec(total, ((),)),
]

# ---- the adjoints of sums and maxima, differentiated again --------------------------
from s2sad.runtime.reductions import (  # noqa: E402
    extremum_args_adjoint,
    extremum_args_tangent,
    reverse_cumsum,
    sum_adjoint,
)

SPECS += [
    Spec(sum_adjoint, ((4,), Fixed(np.zeros((3, 4))), Fixed(0)), wrt=(0,)),
    Spec(sum_adjoint, ((), Fixed(np.zeros((3, 4)))), wrt=(0,)),
    Spec(sum_adjoint, ((3, 1), Fixed(np.zeros((3, 4))), Fixed(1), Fixed(True),
                       Fixed(np.array([[True, False, True, True]] * 3))), wrt=(0,)),
    Spec(reverse_cumsum, ((12,), Fixed(np.zeros((3, 4)))), wrt=(0,)),
    Spec(reverse_cumsum, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(0)), wrt=(0,)),
    Spec(reverse_cumsum, ((3, 4, 2), Fixed(np.zeros((3, 4, 2))), Fixed(-1)), wrt=(0,)),
    Spec(extremum_args_adjoint, ((), Fixed(3.0), Fixed((1.0, 3.0, 2.0))), wrt=(0,)),
    Spec(extremum_args_adjoint, ((3,), Fixed(3.0), Fixed((np.array([1.0, 3.0, 2.0]),))),
         wrt=(0,), id="extremum_args_adjoint_items"),
    Spec(extremum_args_tangent, (Seq(((), (), ())), Fixed(3.0), Fixed((1.0, 3.0, 2.0))),
         wrt=(0,)),
]

# ---- var's and std's adjoints and tangents, differentiated again ------------------
from s2sad.runtime.reductions import (  # noqa: E402
    half_over,
    std_adjoint,
    std_tangent,
    var_adjoint,
    var_tangent,
)

_MASK = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])
SPECS += [
    Spec(var_adjoint, ((), (3, 4))),
    Spec(var_adjoint, ((3,), (3, 4), Fixed(1), Fixed(1))),
    Spec(var_adjoint, ((3, 1), (3, 4), Fixed(1), Fixed(0), Fixed(True), Fixed(_MASK))),
    Spec(var_tangent, ((3, 4), (3, 4))),
    Spec(var_tangent, ((3, 4), (3, 4), Fixed(0), Fixed(1), Fixed(True))),
    Spec(half_over, ((3,),), domain="positive"),
    Spec(std_adjoint, ((), (), (3, 4)), domain="positive"),
    Spec(std_adjoint, ((3,), (3,), (3, 4), Fixed(1), Fixed(1)), domain="positive"),
    Spec(std_tangent, ((3, 4), (), (3, 4)), domain="positive"),
    Spec(std_tangent, ((3, 4), (4,), (3, 4), Fixed(0)), domain="positive"),
]

# ---- the derivatives of products, differentiated again ------------------------------
from s2sad.runtime.reductions import (  # noqa: E402
    cumprod_adjoint,
    cumprod_jet,
    cumprod_jet_adjoint,
    cumprod_tangent,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    prod_others_jet,
)

_A = np.array([[0.5, -1.2, 0.8, 1.5], [1.1, 0.7, -0.9, 1.3], [-0.6, 1.4, 0.9, 1.2]])
_WITH_ZEROS = np.array([[0.5, 0.0, 0.8, 0.0], [1.1, 0.7, 0.0, 1.3], [-0.6, 1.4, 0.9, 1.2]])

SPECS += [
    Spec(prod_others, ((3, 4),)),
    Spec(prod_others, ((3, 4), Fixed(1), Fixed(MASK))),
    Spec(prod_others, ((3, 4, 2), Fixed((0, 2)), Fixed(True), ())),
    Spec(prod_others_jet, ((2, 3, 4),), wrt=(0,)),
    Spec(prod_others_jet, ((4, 3, 4), Fixed(0), Fixed(MASK), ())),
    Spec(prod_others_jet, ((2, 3, 4, 2), Fixed((-1, 1)))),
    Spec(prod_adjoint, ((), (3, 4))),
    Spec(prod_adjoint, ((3,), (3, 4), Fixed(1), Fixed(False), (), Fixed(MASK))),
    Spec(prod_adjoint, ((1, 4), (3, 4), Fixed(0), Fixed(True))),
    Spec(prod_adjoint, ((4,), Fixed(_WITH_ZEROS), Fixed(0)), wrt=(0,)),
    Spec(prod_initial_factor, ((3, 4), Fixed(1))),
    Spec(prod_initial_factor, ((3, 4), Fixed(0), Fixed(True), Fixed(MASK))),
    Spec(cumprod_tangent, ((3, 4), Fixed(np.cumprod(_A, 1)), Fixed(_A), Fixed(1)), wrt=(0,)),
    Spec(cumprod_tangent, ((3, 4), Fixed(np.cumprod(_WITH_ZEROS)), Fixed(_WITH_ZEROS)),
         wrt=(0,)),
    Spec(cumprod_adjoint, ((3, 4), Fixed(np.cumprod(_A, 0)), Fixed(_A), Fixed(0)), wrt=(0,)),
    Spec(cumprod_adjoint, ((12,), Fixed(np.cumprod(_WITH_ZEROS)), Fixed(_WITH_ZEROS)),
         wrt=(0,)),
    Spec(cumprod_jet, ((2, 3, 4),)),
    Spec(cumprod_jet, ((4, 3, 4), Fixed(0))),
    Spec(cumprod_jet, ((2, 3, 4, 2), Fixed(-2))),
    Spec(cumprod_jet_adjoint, ((2, 12), (2, 3, 4))),
    Spec(cumprod_jet_adjoint, ((4, 3, 4), (4, 3, 4), Fixed(1))),
    Spec(cumprod_jet_adjoint, ((2, 3, 4, 2), (2, 3, 4, 2), Fixed(-3))),
]

# ---- differences and the trapezoidal rule, and their helpers -------------------------
from s2sad.runtime.reductions import (  # noqa: E402
    diff_padded,
    diff_transposed,
    trapezoid_weights,
    trapezoid_x_adjoint,
)

SPECS += [
    Spec(np.diff, ((5,),)),
    Spec(np.diff, ((6,), Fixed(2))),
    Spec(np.diff, ((3, 4), Fixed(1), Fixed(0))),
    Spec(np.diff, ((3, 4, 2), Fixed(3), Fixed(1))),
    Spec(np.diff, ((4, 3),), {"n": 2, "axis": -1}),
    Spec(np.diff, ((3, 4),), {"n": 0}),
    Spec(np.diff, ((3, 2),), {"n": 4}),
    Spec(np.diff, ((3, 4),), {"prepend": 1.5, "append": np.ones((3, 2))}, wrt=(0,)),
    Spec(np.diff, ((3, 4),), {"axis": 0, "n": 2, "prepend": np.zeros((1, 4))}, wrt=(0,)),
    Spec(diff_padded, ((3, 4), Fixed(2), Fixed(1), Fixed(1), Fixed(2)), wrt=(0,)),
    Spec(diff_transposed, ((3, 5), Fixed(np.zeros((3, 4))), Fixed(2), Fixed(1), Fixed(2)),
         wrt=(0,)),
    Spec(diff_transposed, ((3, 5), Fixed(np.zeros((3, 1))), Fixed(2), Fixed(1)), wrt=(0,)),
    Spec(diff_transposed, ((0,), Fixed(np.zeros(2)), Fixed(3)), wrt=(0,)),
    Spec(np.diff, ((3, 4), Fixed(2), Fixed(-1), (), (3, 2))),
    Spec(np.diff, ((3, 4), Fixed(1), Fixed(0), (1, 4), ())),
    Spec(np.diff, ((3, 4), Fixed(3), Fixed(1), (3, 1))),
    Spec(np.diff, ((3, 4), Fixed(0), Fixed(1), (3, 1)), wrt=(0,)),
    Spec(np.trapezoid, ((6,),)),
    Spec(np.trapezoid, ((5,), (5,))),
    Spec(np.trapezoid, ((3, 4), (4,))),
    Spec(np.trapezoid, ((3, 4), (3, 4), Fixed(1.0), Fixed(0))),
    Spec(np.trapezoid, ((3, 4, 2), Fixed(None), ()), {"axis": 1}),
    Spec(np.trapezoid, ((3, 4), (3,)), {"axis": 0}),
    Spec(trapezoid_weights, (Fixed(np.zeros((3, 4))), (4,)), wrt=(1,)),
    Spec(trapezoid_weights, (Fixed(np.zeros((3, 4))), (3, 4), Fixed(1.0), Fixed(0)), wrt=(1,)),
    Spec(trapezoid_weights, (Fixed(np.zeros((3, 4))), Fixed(None), ()), wrt=(2,)),
    Spec(trapezoid_x_adjoint, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(np.zeros(4))), wrt=(0,)),
    Spec(trapezoid_x_adjoint, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(np.zeros(3)), Fixed(0)),
         wrt=(0,)),
    Spec(trapezoid_x_adjoint, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(np.zeros((3, 4)))),
         wrt=(0,)),
]

# ---- the layout of np.average's weights, differentiated again -------------------------
from s2sad.runtime.reductions import average_layout, average_unlayout  # noqa: E402

SPECS += [
    Spec(average_layout, ((4,), Fixed(np.zeros((3, 4))), Fixed(1)), wrt=(0,)),
    Spec(average_layout, ((2, 3), Fixed(np.zeros((3, 4, 2))), Fixed((2, 0))), wrt=(0,)),
    Spec(average_layout, ((3, 4), Fixed(np.zeros((3, 4)))), wrt=(0,)),
    Spec(average_unlayout, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(1), Fixed(np.zeros(4))),
         wrt=(0,)),
    Spec(average_unlayout, ((3, 1, 2), Fixed(np.zeros((3, 4, 2))), Fixed((2, 0)),
                            Fixed(np.zeros((2, 3)))), wrt=(0,)),
    Spec(average_unlayout, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(None),
                            Fixed(np.zeros((3, 4)))), wrt=(0,)),
]

# ---- ediff1d, with and without values before and after ------------------------------

SPECS += [
    Spec(np.ediff1d, ((5,),)),
    Spec(np.ediff1d, ((3, 2),)),
    Spec(np.ediff1d, ((4,), (2,), ())),
    Spec(np.ediff1d, ((4,),), {"to_begin": np.array([0.5, -1.0])}),
    Spec(np.ediff1d, ((1,), (), (3,))),
]

# ---- percentile and quantile (linear), cov and corrcoef, gradient; their helpers -------

from s2sad.runtime.reductions import (  # noqa: E402
    cov_centered,
    cov_uncentered,
    gradient_adjoint,
    gradient_of,
    quantile_adjoint,
    quantile_tangent,
)

SPECS += [
    Spec(np.quantile, ((7,), Fixed(0.3)), wrt=(0,)),
    Spec(np.quantile, ((4, 5), Fixed(np.array([0.1, 0.5, 0.95]))), {"axis": 1}, wrt=(0,)),
    Spec(np.quantile, ((3, 4), Fixed(1.0)), {"axis": 0}, wrt=(0,)),
    Spec(np.percentile, ((3, 4, 2), Fixed(40.0)), {"axis": (0, 2), "keepdims": True}, wrt=(0,)),
    Spec(np.percentile, ((6,), Fixed(np.array([[10.0, 90.0]]))), wrt=(0,)),
    Spec(np.cov, ((3, 5),)),
    Spec(np.cov, ((5, 3),), {"rowvar": False}),
    Spec(np.cov, ((6,),), {"ddof": 2}),
    Spec(np.cov, ((2, 4),), {"bias": True}),
    Spec(np.corrcoef, ((3, 5),)),
    Spec(np.corrcoef, ((5, 3),), {"rowvar": False}),
    Spec(np.gradient, ((6,),), wrt=(0,)),
    Spec(np.gradient, ((6,), Fixed(0.5)), {"edge_order": 2}, wrt=(0,)),
    Spec(np.gradient, ((4, 5),), wrt=(0,)),
    Spec(np.gradient, ((4, 5), Fixed(0.5), Fixed(2.0)), wrt=(0,)),
    Spec(np.gradient, ((4, 5, 3),), {"axis": (0, 2), "edge_order": 2}, wrt=(0,)),
    Spec(np.gradient, ((4, 5),), {"axis": -1}, wrt=(0,)),
    Spec(quantile_adjoint, ((3,), Fixed(np.zeros((3, 4))), Fixed(0.4), Fixed(1)), wrt=(0,)),
    Spec(quantile_tangent, ((3, 4), Fixed(np.arange(12.0).reshape(3, 4) % 5),
                            Fixed(np.array([20.0, 70.0])), Fixed(0), Fixed(False), Fixed(100.0)),
         wrt=(0,)),
    Spec(cov_centered, ((3, 4),), wrt=(0,)),
    Spec(cov_centered, ((4, 3), Fixed(False)), wrt=(0,)),
    Spec(cov_uncentered, ((3, 4), Fixed(np.zeros((4, 3))), Fixed(False)), wrt=(0,)),
    Spec(gradient_adjoint, (Seq(((4, 5), (4, 5))), Fixed(np.zeros((4, 5))), Fixed((0.5,))),
         wrt=(0,)),
    Spec(gradient_adjoint, ((6,), Fixed(np.zeros(6)), Fixed(()), Fixed(None), Fixed(2)),
         wrt=(0,)),
    Spec(gradient_of, ((4, 5), Fixed(np.zeros((4, 5))), Fixed((2.0, 0.5))), wrt=(0,)),
]
