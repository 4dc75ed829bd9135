"""What generated code needs at run time besides NumPy.

Generated source (including what the ``s2sad`` command writes to a file) imports its
helpers from here and nowhere else in s2sad.
"""

from s2sad.runtime.core import (
    add,
    add_at,
    broadcast_like,
    check_scalar,
    conj,
    match,
    unbroadcast,
    unreduce,
    zeros_like,
)

__all__ = [
    "add",
    "add_at",
    "broadcast_like",
    "check_scalar",
    "conj",
    "match",
    "unbroadcast",
    "unreduce",
    "zeros_like",
]
