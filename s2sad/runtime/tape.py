"""A tape that measures itself: what the forward sweep keeps for the reverse sweep.

Generated code records on a plain list. ``s2sad.tape_size`` builds the same code with a
``RecordingTape`` instead, which counts the values pushed and their bytes (an array's
``nbytes``, one element for a stand-in kept for its shape only, 8 for a number; a value
is counted each time it is pushed).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def value_bytes(value: Any) -> int:
    """The bytes a value pushed on the tape keeps alive (an array's data, 8 per number)."""
    if value is None:
        return 0
    if isinstance(value, np.ndarray):
        if value.ndim and not any(value.strides):  # shape_only's stand-in: one element
            return value.itemsize
        return value.nbytes
    if isinstance(value, (list, tuple)):
        return sum(value_bytes(v) for v in value)
    return np.asarray(value).nbytes if isinstance(value, (int, float, complex, np.generic)) \
        else 8


class RecordingTape(list):
    """A list used as the tape that also counts pushes, bytes and its largest length.

    >>> tape = RecordingTape()
    >>> tape.append(np.zeros(4)); tape.append(1.5); tape.pop() and None
    >>> tape.pushes, tape.bytes, tape.peak
    (2, 40, 2)
    """

    def __init__(self) -> None:
        super().__init__()
        self.pushes = 0
        self.bytes = 0
        self.peak = 0

    def append(self, value: Any) -> None:
        super().append(value)
        self.pushes += 1
        self.bytes += value_bytes(value)
        self.peak = max(self.peak, len(self))
