"""Run-time helpers for the rules of Python operators, the ``math`` module and NumPy's
elementwise functions.

Each helper is what a one-expression rule template cannot say by itself: a conjugate
that does not copy real arrays, a derivative with a removable singularity, a special
function NumPy lacks, or a loop over the elements of a sequence argument.

One module per job: kinks and removable singularities (``slopes``), functions of sequences
(``sequences``), ``np.interp`` (``interpolation``), elementwise extrema and ``np.clip``
(``extrema``), special functions (``special``); their names are importable from here.
"""

from s2sad.runtime.elementwise.extrema import (
    clip_at_max,
    clip_at_min,
    clip_passes,
    extremum_share,
    nan_at,
)
from s2sad.runtime.elementwise.interpolation import (
    interp_fp_adjoint,
    interp_fp_tangent,
    interp_slope,
    interp_slope_adjoint,
)
from s2sad.runtime.elementwise.sequences import (
    dist_jvp,
    dist_vjp,
    each,
    hypot_jvp,
    hypot_vjp,
    scale_each,
    stacked_like,
    unstacked_items,
)
from s2sad.runtime.elementwise.slopes import (
    angle_slope,
    over_norm,
    pow_log,
    pow_slope,
    sign,
    sign_adjoint,
    sign_second_adjoint,
    sign_second_tangent,
    sign_tangent,
)
from s2sad.runtime.elementwise.special import (
    digamma,
    i1,
    i1_slope,
    polygamma,
    sinc_curvature,
    sinc_slope,
)

#: the helpers are named after this package (``s2sad.runtime.elementwise.pow_slope``),
#: wherever their module is
NAMES_ITS_MEMBERS = True

__all__ = [
    "angle_slope",
    "clip_at_max",
    "clip_at_min",
    "clip_passes",
    "digamma",
    "dist_jvp",
    "dist_vjp",
    "each",
    "extremum_share",
    "hypot_jvp",
    "hypot_vjp",
    "i1",
    "i1_slope",
    "interp_fp_adjoint",
    "interp_fp_tangent",
    "interp_slope",
    "interp_slope_adjoint",
    "nan_at",
    "over_norm",
    "polygamma",
    "pow_log",
    "pow_slope",
    "scale_each",
    "sign",
    "sign_adjoint",
    "sign_second_adjoint",
    "sign_second_tangent",
    "sign_tangent",
    "sinc_curvature",
    "sinc_slope",
    "stacked_like",
    "unstacked_items",
]
