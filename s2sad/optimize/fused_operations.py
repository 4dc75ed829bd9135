"""The fused operations: NumPy idioms replaced by one call with rules of its own, in the
order they are tried (``pairwise_distances.py``, ``log_sum_exp.py``, on ``fusion.py``'s
matching)."""

from __future__ import annotations

import dataclasses

import gast

from s2sad.frontend import ParsedFunction
from s2sad.naming import Namer
from s2sad.optimize.fusion import core_names
from s2sad.optimize.log_sum_exp import fuse_log_sum_exp
from s2sad.optimize.pairwise_distances import fuse_pairwise_distances


def fuse_operations(core: gast.FunctionDef, parsed: ParsedFunction, namer: Namer) -> ParsedFunction:
    """Fused operations in place of the NumPy expressions they stand for; the functions
    they call are bound like lifted ones."""
    extra = dict(parsed.extra)

    def name_for(function) -> str:
        for name, value in extra.items():
            if value is function:
                return name
        name = namer.fresh(function.__name__)
        extra[name] = function
        return name

    names = core_names(core)
    changed = [fuse(core, parsed.resolve, name_for, names)
               for fuse in (fuse_pairwise_distances, fuse_log_sum_exp)]
    if not any(changed):
        return parsed
    return dataclasses.replace(parsed, extra=extra)
