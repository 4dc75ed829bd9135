"""Correctness checks the runner does before timing anything.

* ``check_hand``: the hand-written gradient against central finite differences of ``f``,
  entry by entry for small arguments, on sampled entries and random directions for large
  ones.
* ``compare``: another gradient (s2sad's, a framework's) against the hand-written one, in
  max-norm relative error per argument.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

FD_RTOL = 1e-5  # hand gradient vs central differences
AD_RTOL = 1e-6  # s2sad (or a framework) vs the hand gradient
FULL_FD_MAX_SIZE = 400  # arguments up to this many entries get every entry checked
SAMPLED_ENTRIES = 40
RANDOM_DIRECTIONS = 3
ROUNDING_SLACK = 64  # ulps of f that a difference of two evaluations may be off by


@dataclass
class FdReport:
    ok: bool
    max_rel_error: float
    evaluations: int


def _with(args: Sequence, position: int, value) -> list:
    changed = list(args)
    changed[position] = value
    return changed


def _central(f: Callable, args: Sequence, position: int, direction: np.ndarray,
             step: float) -> float:
    base = args[position]
    if isinstance(base, float):
        plus, minus = base + step * float(direction), base - step * float(direction)
    else:
        plus, minus = base + step * direction, base - step * direction
    return (float(f(*_with(args, position, plus))) -
            float(f(*_with(args, position, minus)))) / (2.0 * step)


def check_hand(f: Callable, hand: Callable, args: Sequence, wrt: Sequence[int],
               seed: int = 0) -> FdReport:
    """Compare ``hand(*args)`` with central differences of ``f`` at ``args``.

    The error of each estimate is relative to the max-norm of that argument's gradient, so
    tiny entries of a large gradient are not held to an impossible standard, plus the
    rounding floor of a difference quotient at this step.
    """
    rng = np.random.default_rng(seed)
    grads = hand(*args)
    value = abs(float(f(*args)))
    if len(grads) != len(wrt):
        raise ValueError(f"hand gradient has {len(grads)} entries for wrt={tuple(wrt)}")
    worst = 0.0
    evaluations = 0
    for position, g in zip(wrt, grads):
        x = np.asarray(args[position], dtype=float)
        g = np.asarray(g, dtype=float)
        if g.shape != x.shape:
            raise ValueError(f"hand gradient for argument {position} has shape {g.shape}, "
                             f"argument has {x.shape}")
        scale = max(float(np.max(np.abs(g))) if g.size else 0.0, 1e-12)
        step = 1e-5 * max(1.0, float(np.max(np.abs(x))) if x.size else 1.0)
        # Rounding in f(x + h) - f(x - h) limits what a difference quotient can resolve;
        # a gradient entry far below that (a 1e-9 derivative of an O(1) value) is checked
        # to that resolution, not relative to itself.
        resolution = ROUNDING_SLACK * np.finfo(float).eps * max(value, 1.0) / step
        directions: list[tuple[np.ndarray, float]] = []
        if x.size <= FULL_FD_MAX_SIZE:
            entries = range(x.size)
        else:
            entries = rng.choice(x.size, size=SAMPLED_ENTRIES, replace=False)
            for _ in range(RANDOM_DIRECTIONS):
                v = rng.standard_normal(x.shape)
                v /= np.linalg.norm(v)
                directions.append((v, float(np.sum(g * v))))
        for index in entries:
            e = np.zeros(x.shape)
            e.flat[index] = 1.0
            directions.append((e, float(g.flat[index])))
        for v, expected in directions:
            if not x.shape:
                v = float(v)
            estimate = _central(f, args, position, v, step)
            evaluations += 2
            # A direction's derivative can be as large as |g| * |v|_1; scale accordingly.
            bound = scale * max(1.0, float(np.sum(np.abs(v)))) + resolution / FD_RTOL
            worst = max(worst, abs(estimate - expected) / bound)
    return FdReport(worst <= FD_RTOL, worst, evaluations)


def compare(candidate: Sequence, reference: Sequence) -> float:
    """Largest per-argument ``max|candidate - reference| / max|reference|``; inf on shape or
    arity mismatch."""
    if not isinstance(candidate, (tuple, list)) or len(candidate) != len(reference):
        return float("inf")
    worst = 0.0
    for c, r in zip(candidate, reference):
        c = np.asarray(c, dtype=float)
        r = np.asarray(r, dtype=float)
        if c.shape != r.shape:
            return float("inf")
        if not np.all(np.isfinite(c)):
            return float("inf")
        scale = max(float(np.max(np.abs(r))) if r.size else 0.0, 1e-300)
        error = float(np.max(np.abs(c - r))) / scale if r.size else 0.0
        worst = max(worst, error)
    return worst
