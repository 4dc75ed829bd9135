"""Spec rows for the np.linalg rules."""

import numpy as np

from tests.rules.harness import Fixed, Seq, Spec, Symmetric

_rng = np.random.default_rng(20240611)


def _normal(*shape):
    return _rng.standard_normal(shape)


la = np.linalg
inf = np.inf
_X = ("x",)  # ord may be a float: differentiate in x only

SPECS = [
    # solve, inv, det, slogdet
    Spec(la.solve, ((3, 3), (3,)), domain="wellconditioned"),
    Spec(la.solve, ((3, 3), Fixed(_normal(3, 2))), domain="wellconditioned"),
    Spec(la.solve, ((2, 3, 3), Fixed(_normal(2, 3, 2))), domain="wellconditioned"),
    Spec(la.solve, ((2, 3, 3), (3,)), domain="wellconditioned", id="solve_batched_vector"),
    Spec(la.solve, ((3, 3), Fixed(_normal(2, 3, 4))), domain="wellconditioned",
         id="solve_broadcast_a"),
    Spec(la.inv, ((3, 3),), domain="wellconditioned"),
    Spec(la.inv, ((2, 3, 3),), domain="wellconditioned"),
    Spec(la.det, ((3, 3),), domain="wellconditioned"),
    Spec(la.det, ((2, 3, 3),), domain="wellconditioned"),
    Spec(la.slogdet, ((3, 3),), domain="wellconditioned"),
    Spec(la.slogdet, ((2, 3, 3),), domain="real"),
    # decompositions
    Spec(la.cholesky, ((3, 3),), domain="spd", wrt=(Symmetric("a"),)),
    Spec(la.cholesky, ((2, 4, 4),), domain="spd", wrt=(Symmetric("a"),)),
    Spec(la.cholesky, ((3, 3),), {"upper": True}, domain="spd", wrt=(Symmetric("a"),)),
    Spec(la.eigh, ((3, 3),), domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigh, ((2, 4, 4),), domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigh, ((3, 3),), {"UPLO": "U"}, domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigvalsh, ((4, 4),), domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigvals, ((4, 4),), domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigvals, ((2, 3, 3),), domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.eigvalsh, ((2, 3, 3),), {"UPLO": "U"}, domain="symmetric", wrt=(Symmetric("a"),)),
    Spec(la.svd, ((4, 3),), {"full_matrices": False}),
    Spec(la.svd, ((3, 5),), {"full_matrices": False}),
    Spec(la.svd, ((3, 3),)),
    Spec(la.svd, ((2, 4, 3),), {"full_matrices": False}),
    Spec(la.svd, ((4, 3),), {"compute_uv": False}),
    Spec(la.svd, ((2, 3, 5),), {"compute_uv": False}),
    Spec(la.svdvals, ((4, 3),)),
    Spec(la.qr, ((4, 3),)),
    Spec(la.qr, ((3, 3),)),
    Spec(la.qr, ((3, 5),)),
    Spec(la.qr, ((3, 5),), {"mode": "complete"}),
    Spec(la.qr, ((2, 4, 3),)),
    Spec(la.qr, ((4, 3),), {"mode": "r"}),
    Spec(la.qr, ((3, 5),), {"mode": "r"}),
    Spec(la.qr, ((2, 3, 4),)),
    # least squares, pseudo-inverse
    Spec(la.lstsq, ((5, 3), (5,))),
    Spec(la.lstsq, ((5, 3), Fixed(_normal(5, 2)))),
    Spec(la.lstsq, ((3, 5), (3,)), id="lstsq_underdetermined"),
    Spec(la.lstsq, ((4, 4), (4,)), {"rcond": 1e-12}, domain="wellconditioned", wrt=("a", "b")),
    Spec(la.pinv, ((4, 3),)),
    Spec(la.pinv, ((3, 5),)),
    Spec(la.pinv, ((2, 3, 3),), domain="wellconditioned"),
    Spec(la.pinv, ((3, 3),), {"hermitian": True}, domain="symmetric", wrt=(Symmetric("a"),)),
    # norms: vectors
    Spec(la.norm, ((5,),), wrt=_X),
    Spec(la.norm, ((5,),), {"ord": 1}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": 2}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": inf}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": -inf}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": 0}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": 3}, wrt=_X),
    Spec(la.norm, ((5,),), {"ord": 0.5}, domain="nonzero", wrt=_X),
    Spec(la.norm, ((5,),), {"ord": -1.5}, domain="nonzero", wrt=_X),
    Spec(la.norm, ((2, 3, 4),), wrt=_X),
    Spec(la.norm, ((2, 3, 4),), {"keepdims": True}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"axis": 1}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": 3, "axis": 0, "keepdims": True}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": inf, "axis": -1}, wrt=_X),
    # norms: matrices
    Spec(la.norm, ((3, 4),), {"ord": "fro"}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": "nuc"}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": 2}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": -2}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": 1}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": -1}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": inf}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": -inf}, wrt=_X),
    Spec(la.norm, ((3, 4),), {"ord": 1, "keepdims": True}, wrt=_X),
    Spec(la.norm, ((3, 2, 4),), {"ord": "nuc", "axis": (0, 2)}, wrt=_X),
    Spec(la.norm, ((3, 2, 4),), {"ord": 1, "axis": (2, 0)}, wrt=_X),
    Spec(la.norm, ((3, 2, 4),), {"ord": -inf, "axis": (2, 0), "keepdims": True}, wrt=_X),
    Spec(la.norm, ((2, 3, 4),), {"ord": 2, "axis": (1, 2)}, wrt=_X),
    Spec(la.vector_norm, ((2, 3),), wrt=_X),
    Spec(la.vector_norm, ((2, 3),), {"ord": 3, "axis": (0, 1), "keepdims": True}, wrt=_X),
    Spec(la.vector_norm, ((2, 3),), {"ord": inf, "axis": 1}, wrt=_X),
    Spec(la.vector_norm, ((2, 3),), {"ord": 1, "axis": 0}, wrt=_X),
    Spec(la.matrix_norm, ((2, 3, 3),), wrt=_X),
    Spec(la.matrix_norm, ((2, 3, 4),), {"ord": "nuc"}, wrt=_X),
    Spec(la.matrix_norm, ((2, 3, 4),), {"ord": 2, "keepdims": True}, wrt=_X),
    Spec(la.matrix_norm, ((2, 3, 4),), {"ord": -inf}, wrt=_X),
    # powers and products
    Spec(la.matrix_power, ((3, 3), Fixed(3))),
    Spec(la.matrix_power, ((3, 3), Fixed(1))),
    Spec(la.matrix_power, ((3, 3), Fixed(0))),
    Spec(la.matrix_power, ((3, 3), Fixed(-2)), domain="wellconditioned"),
    Spec(la.matrix_power, ((2, 3, 3), Fixed(2))),
    Spec(la.multi_dot, (Seq(((2, 3), (3, 4), (4, 2))),)),
    Spec(la.multi_dot, (Seq(((3,), (3, 4), (4, 2), (2,))),)),
    Spec(la.multi_dot, (Seq(((3,), (3, 4))),)),
    Spec(la.matmul, ((2, 3), (3, 4))),
    Spec(la.matmul, ((3,), (2, 3, 4))),
    Spec(la.matmul, ((2, 3, 4), (4,))),
    Spec(la.matmul, ((1, 3, 4), (2, 4, 2))),
    Spec(la.outer, ((3,), (4,))),
    Spec(la.vecdot, ((2, 3), (3,))),
    Spec(la.vecdot, ((3, 2), (3, 2)), {"axis": 0}),
    Spec(la.cross, ((2, 3), (3,))),
    Spec(la.cross, ((3, 2), (3, 2)), {"axis": 0}),
    Spec(la.matrix_transpose, ((2, 3, 4),)),
    Spec(la.trace, ((3, 4),)),
    Spec(la.trace, ((2, 3, 4),), {"offset": 1}),
    Spec(la.diagonal, ((2, 3, 4),), {"offset": -1}),
    Spec(la.diagonal, ((3, 4),), {"offset": 2}),
]

# ---- helpers of the linalg rules, differentiated again for second derivatives ----------
from s2sad.runtime.linalg import col, mT, uncol  # noqa: E402
from s2sad.runtime.rank_one import outer_columns  # noqa: E402

SPECS += [
    Spec(mT, ((3, 4),)),
    Spec(mT, ((2, 3, 4),)),
    Spec(col, ((3,), Fixed(np.zeros(3))), wrt=(0,)),
    Spec(col, ((3, 2), Fixed(np.zeros((3, 2)))), wrt=(0,)),
    Spec(uncol, ((3, 1), Fixed(np.zeros(3))), wrt=(0,)),
    Spec(outer_columns, ((3, 1), (4, 1))),
    Spec(outer_columns, ((2, 3, 1), (2, 4, 1))),
    Spec(outer_columns, ((3, 2), (4, 2))),
]

from s2sad.runtime.linalg import matrix_scale, trace_adjoint  # noqa: E402

SPECS += [
    Spec(matrix_scale, ((),)),
    Spec(matrix_scale, ((2,),)),
    Spec(trace_adjoint, ((), Fixed(np.zeros((3, 4)))), wrt=(0,)),
    Spec(trace_adjoint, ((2,), Fixed(np.zeros((2, 3, 4))), Fixed(1)), wrt=(0,)),
]

from s2sad.runtime.linalg import diagonal_adjoint  # noqa: E402

SPECS += [
    Spec(diagonal_adjoint, ((3,), Fixed(np.zeros((3, 4)))), wrt=(0,)),
    Spec(diagonal_adjoint, ((2, 2), Fixed(np.zeros((2, 3, 4))), Fixed(-1)), wrt=(0,)),
    Spec(diagonal_adjoint, ((2,), Fixed(np.zeros((3, 4))), Fixed(2)), wrt=(0,)),
]

# ---- the helpers the decompositions' rules are written with --------------------------
from s2sad.runtime.linalg import (  # noqa: E402
    copy_lower,
    diag_embed,
    diagonal_blocks_sum,
    first_columns,
    gap_inverse,
    lower_half,
    lower_onto_upper,
    other_columns,
    solve_right,
    sym,
    sym_if,
    upper_block,
    upper_right,
    zero_if_none,
)

SPECS += [
    Spec(sym, ((3, 3),)),
    Spec(sym, ((2, 3, 3),)),
    Spec(lower_half, ((3, 3),)),
    Spec(lower_half, ((2, 4, 4),)),
    Spec(diag_embed, ((3,),)),
    Spec(diag_embed, ((2, 3),)),
    Spec(zero_if_none, ((3, 2), Fixed(np.zeros((3, 2)))), wrt=(0,)),
    Spec(upper_block, ((3, 3), (3, 3))),
    Spec(upper_block, ((2, 3, 3), (3, 3))),
    Spec(upper_block, ((3, 3), (2, 3, 3)), id="upper_block_broadcast_e"),
    Spec(upper_right, ((6, 6),)),
    Spec(upper_right, ((2, 4, 4),)),
    Spec(diagonal_blocks_sum, ((6, 6),)),
    Spec(diagonal_blocks_sum, ((2, 4, 4),)),
    Spec(gap_inverse, (Fixed(np.array([0.3, -1.2, 2.0, 0.9])),), wrt=(0,)),
    Spec(gap_inverse, ((4,),)),
    Spec(gap_inverse, ((2, 3),)),
    Spec(lower_onto_upper, ((3, 3),)),
    Spec(copy_lower, ((3, 3),)),
    Spec(copy_lower, ((2, 4, 4),)),
    Spec(solve_right, ((3, 3), (3, 3)), domain="wellconditioned"),
    Spec(solve_right, ((2, 4, 3), Fixed(_normal(3, 3) + 3 * np.eye(3))), wrt=(0,),
         id="solve_right_broadcast_r"),
    Spec(lower_onto_upper, ((2, 4, 4),)),
    Spec(sym_if, ((3, 3), Fixed(True)), wrt=(0,)),
    Spec(sym_if, ((2, 3, 3), Fixed(False)), wrt=(0,)),
    Spec(first_columns, ((4, 4), Fixed(np.zeros(2))), wrt=(0,)),
    Spec(first_columns, ((2, 3, 3), Fixed(np.zeros(3))), wrt=(0,)),
    Spec(other_columns, ((4, 4), Fixed(np.zeros(2))), wrt=(0,)),
    Spec(other_columns, ((2, 5, 5), Fixed(np.zeros(3))), wrt=(0,)),
]

from s2sad.runtime.linalg_inverses import rank_pinv  # noqa: E402

SPECS += [
    Spec(rank_pinv, ((5, 3), Fixed(3)), wrt=(0,)),
    Spec(rank_pinv, ((3, 4), Fixed(3)), wrt=(0,)),
]
