"""Run-time helpers for the derivatives of reductions and cumulative functions, one module
per family (sums, extrema, products and their jets, statistics, differences, Python's own
reductions); their names are importable from here.

Conventions:

* Ties in max/min (and nanmax/nanmin, ptp): the derivative is split equally among the
  elements equal to the extremum, so ``d max([1, 3, 3]) = [0, 1/2, 1/2]``. An extremum
  (or a median) that is NaN has the derivative NaN at the NaN elements, 0 elsewhere.
* ``where=`` masks: masked-out elements get a zero derivative. The NaN-ignoring
  reductions are the plain ones with NaN entries added to the mask.
* prod: the derivative with respect to an element is the product of the other elements,
  computed without dividing, so zeros are handled exactly. cumprod divides only by
  elements before a lane's first zero and treats the zero itself separately.
* std at a point of zero spread has no derivative; its adjoint there is taken as zero.
"""

from s2sad.runtime.reductions.accumulations import (
    logaddexp_accumulate_adjoint,
    logaddexp_accumulate_tangent,
    outer_operand,
    reduceat_adjoint,
    running_extremum_adjoint,
    running_extremum_tangent,
)
from s2sad.runtime.reductions.builtin_reductions import (
    extremum_args_adjoint,
    extremum_args_tangent,
    sum_items_adjoint,
    sum_items_tangent,
    sum_start_adjoint,
    sum_start_tangent,
)
from s2sad.runtime.reductions.differences import (
    diff_after,
    diff_end,
    diff_padded,
    diff_part,
    diff_rest,
    diff_transposed,
    ediff1d_count,
    ediff1d_zeros,
    trapezoid_weights,
    trapezoid_x_adjoint,
)
from s2sad.runtime.reductions.extrema import (
    extremum_weights,
    initial_weight,
    ptp_weights,
)
from s2sad.runtime.reductions.jets import (
    cumprod_jet,
    cumprod_jet_adjoint,
    prod_others_jet,
)
from s2sad.runtime.reductions.lanes import (
    nan_mask,
)
from s2sad.runtime.reductions.products import (
    cumprod_adjoint,
    cumprod_tangent,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    reverse_cumsum,
)
from s2sad.runtime.reductions.statistics import (
    cov_centered,
    cov_scale,
    cov_size,
    cov_uncentered,
    gradient_adjoint,
    gradient_of,
    half_over,
    median_weights,
    quantile_adjoint,
    quantile_tangent,
    quantile_weights,
    std_adjoint,
    std_tangent,
    var_adjoint,
    var_tangent,
)
from s2sad.runtime.reductions.sums import (
    average_layout,
    average_unlayout,
    mean_weights,
    sum_adjoint,
    total,
)

#: the helpers are named after this package (``s2sad.runtime.reductions.prod_adjoint``),
#: wherever their family module is
NAMES_ITS_MEMBERS = True

__all__ = [
    "cov_centered",
    "cov_scale",
    "cov_size",
    "cov_uncentered",
    "gradient_adjoint",
    "gradient_of",
    "quantile_adjoint",
    "quantile_tangent",
    "quantile_weights",
    "average_layout",
    "average_unlayout",
    "cumprod_adjoint",
    "cumprod_jet",
    "cumprod_jet_adjoint",
    "cumprod_tangent",
    "diff_after",
    "diff_end",
    "diff_padded",
    "diff_part",
    "diff_rest",
    "diff_transposed",
    "ediff1d_count",
    "ediff1d_zeros",
    "extremum_args_adjoint",
    "extremum_args_tangent",
    "extremum_weights",
    "half_over",
    "initial_weight",
    "logaddexp_accumulate_adjoint",
    "logaddexp_accumulate_tangent",
    "mean_weights",
    "median_weights",
    "nan_mask",
    "outer_operand",
    "prod_adjoint",
    "prod_initial_factor",
    "prod_others",
    "prod_others_jet",
    "ptp_weights",
    "reduceat_adjoint",
    "reverse_cumsum",
    "running_extremum_adjoint",
    "running_extremum_tangent",
    "std_adjoint",
    "std_tangent",
    "sum_adjoint",
    "sum_items_adjoint",
    "sum_items_tangent",
    "sum_start_adjoint",
    "sum_start_tangent",
    "total",
    "trapezoid_weights",
    "trapezoid_x_adjoint",
    "var_adjoint",
    "var_tangent",
]
