"""What generated code needs at run time besides NumPy.

Generated source (including what the ``s2sad`` command writes to a file) imports its
helpers from here and nowhere else in s2sad.
"""

from s2sad.runtime.core import (
    add,
    add_at,
    all_real,
    broadcast_like,
    check_scalar,
    conj,
    match,
    unbroadcast,
    unreduce,
    zeros_like,
)
from s2sad.runtime.indexing import (
    accumulate_at,
    owned,
    restore_part,
    setitem_adjoint,
    written_part,
)
from s2sad.runtime.tape import RecordingTape

__all__ = [
    "RecordingTape",
    "accumulate_at",
    "add",
    "add_at",
    "all_real",
    "broadcast_like",
    "check_scalar",
    "conj",
    "match",
    "owned",
    "restore_part",
    "setitem_adjoint",
    "unbroadcast",
    "unreduce",
    "written_part",
    "zeros_like",
]
