"""Checkpointed loops: trade recomputation for memory in the reverse sweep.

``for t in s2sad.checkpointed(range(T), snapshots=S):`` runs like ``for t in range(T)``.
Its gradient does not record every iteration on the tape: the forward sweep keeps the
loop's state (the variables an iteration carries to the next) every ``ceil(T / S)``
iterations, and the reverse sweep, segment by segment from the last, restores that state,
runs the segment forward again recording it, and reverses it. The tape then holds one
segment, the snapshots S states: O(S + T / S) memory instead of O(T), for about one more
forward sweep of time. (The schedule is uniform, not binomial.)
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["checkpointed", "segment_length"]


def checkpointed(values: Any, snapshots: int = 100) -> Any:
    """``values`` themselves, to loop over; marks the loop for checkpointing."""
    return values


def segment_length(values: Any, snapshots: int) -> int:
    """Iterations per segment: ``ceil(len(values) / snapshots)``, at least 1.

    >>> segment_length(range(10), 3)
    4
    """
    return max(1, math.ceil(len(values) / max(1, int(snapshots))))
