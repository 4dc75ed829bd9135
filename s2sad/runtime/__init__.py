"""What generated code needs at run time besides NumPy.

Generated source (including what the ``s2sad`` command writes to a file) imports its
helpers from here and nowhere else in s2sad.
"""

from s2sad.runtime.arguments import check_arguments
from s2sad.runtime.batched import (
    align,
    batch_accumulate_at,
    batch_broadcast_like,
    batch_getitem,
    batch_items,
    batch_matmul,
    batch_owned,
    batch_reduce,
    batch_reshape,
    batch_setitem,
    batch_transpose,
    batch_zeros,
    directions,
    fit,
    split_directions,
    stack_directions,
)
from s2sad.runtime.core import (
    add,
    add_at,
    all_real,
    broadcast_like,
    check_scalar,
    conj,
    match,
    shape_only,
    unbroadcast,
    unreduce,
    zeros_like,
)
from s2sad.runtime.indexing import (
    accumulate_at,
    owned,
    restore_part,
    setitem_adjoint,
    spread_at,
    written_part,
)
from s2sad.runtime.pairwise import (
    pairwise_sq_distances,
    pairwise_sq_distances_adjoint,
    pairwise_sq_distances_tangent,
    self_sq_distances,
    self_sq_distances_adjoint,
    self_sq_distances_tangent,
    swap_pairs,
)
from s2sad.runtime.rank_one import RankOne, formed, outer_columns
from s2sad.runtime.softmax import log_softmax, logsumexp, softmax
from s2sad.runtime.tape import RecordingTape

__all__ = [
    "RankOne",
    "RecordingTape",
    "accumulate_at",
    "add",
    "add_at",
    "align",
    "all_real",
    "batch_accumulate_at",
    "batch_broadcast_like",
    "batch_getitem",
    "batch_items",
    "batch_matmul",
    "batch_owned",
    "batch_reduce",
    "batch_reshape",
    "batch_setitem",
    "batch_transpose",
    "batch_zeros",
    "broadcast_like",
    "check_arguments",
    "check_scalar",
    "conj",
    "directions",
    "fit",
    "formed",
    "log_softmax",
    "logsumexp",
    "match",
    "outer_columns",
    "owned",
    "pairwise_sq_distances",
    "pairwise_sq_distances_adjoint",
    "pairwise_sq_distances_tangent",
    "restore_part",
    "self_sq_distances",
    "self_sq_distances_adjoint",
    "self_sq_distances_tangent",
    "setitem_adjoint",
    "shape_only",
    "softmax",
    "split_directions",
    "spread_at",
    "stack_directions",
    "swap_pairs",
    "unbroadcast",
    "unreduce",
    "written_part",
    "zeros_like",
]
