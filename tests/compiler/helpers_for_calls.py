"""Helpers that ``corpus_calls`` imports from another module, both as ``helpers_for_calls.f``
and with ``from ... import``: their globals are this module's, not the caller's."""

import math

import numpy as np

SHARPNESS = 4.0  # a module constant the helpers read through their own globals


def smooth_abs(x, eps=0.01):
    """A smooth |x|."""
    return np.sqrt(x * x + eps)


def rbf(x, center, width=1.0):
    """A Gaussian bump, calling a helper of this module."""
    return np.exp(-_squared_distance(x, center) / (2.0 * width * width))


def _squared_distance(x, center):
    return np.sum((x - center) ** 2)


def soft_threshold(v, level):
    """A smooth step at ``level``, with a Python-float branch on the sharpness."""
    if SHARPNESS > 1.0:
        return 0.5 * (1.0 + np.tanh(SHARPNESS * (v - level)))
    return 1.0 / (1.0 + math.exp(-(v - level)))
