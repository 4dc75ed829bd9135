"""Transposes of the joining helpers' adjoints (``unsplit``, ``unatleast``): what their
own rules are written with, so that derivatives through ``np.split`` and
``np.atleast_*d`` differentiate again."""

from __future__ import annotations

from typing import Any

import numpy as np


def split_like(c: Any, pieces: Any, axis: int = 0) -> list:
    """``c`` split along ``axis`` into parts as long as ``pieces`` are (the transpose of
    joining them).

    >>> [p.tolist() for p in split_like(np.arange(3.0), [np.zeros(2), np.zeros(1)])]
    [[0.0, 1.0], [2.0]]
    """
    lengths = [np.shape(piece)[axis] for piece in pieces]
    return np.split(np.asarray(c), np.cumsum(lengths)[:-1], axis=axis)


def reshaped_like(c: Any, g: Any, arys: tuple) -> Any:
    """The parts of ``c`` (one per argument of ``np.atleast_*d``) in the shapes of ``g``'s:
    a single array for a single argument, as the primal returns."""
    if len(arys) == 1:
        return np.reshape(c[0], np.shape(g))
    return [np.reshape(part, np.shape(like)) for part, like in zip(c, g)]
