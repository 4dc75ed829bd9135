"""Checkpointed loops: trade recomputation for memory in the reverse sweep.

``for t in s2sad.checkpointed(range(T), snapshots=S):`` runs like ``for t in range(T)``.
Its gradient does not record every iteration on the tape. The forward sweep keeps the
loop's state (the variables an iteration carries to the next) at a few iterations, each in
one of S slots; the reverse sweep follows a :class:`Schedule` of actions: restore a kept
state, advance (run iterations without recording), keep the state in a slot, and reverse
(run iterations recording them, then reverse them). Two schedules:

- ``"binomial"`` (the default; Griewank's revolve): at most S states kept at once and one
  iteration on the tape; each iteration is run again at most r times, r the least with
  ``C(S + r, S) >= T`` (r = 3 for T = 10,000 and S = 100), and the total is the least
  any schedule with S states achieves.
- ``"uniform"``: the state every ``ceil(T / S)`` iterations; the reverse sweep runs each
  segment again, recording it: one more forward sweep, a tape of one segment.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["Schedule", "checkpoint", "checkpointed", "schedule"]

SCHEDULES = ("binomial", "uniform")


F = TypeVar("F", bound=Callable[..., Any])


def checkpoint(function: F) -> F:
    """``function`` itself, marked as a checkpoint: in a gradient, a call of it keeps none of
    its intermediates; its adjoint runs its forward sweep again in the reverse sweep.

    That is how s2sad differentiates every call of a Python function already (no tape
    crosses a call), so the mark documents the trade rather than changes the code: use it
    as a decorator, or as ``s2sad.checkpoint(block)(x)`` at a call.
    """
    return function


def checkpointed(values: Any, snapshots: int = 100, schedule: str = "binomial") -> Any:
    """``values`` themselves, to loop over; marks the loop for checkpointing."""
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule={schedule!r}: use one of {', '.join(SCHEDULES)}")
    return values


@dataclass(frozen=True)
class Schedule:
    """What a checkpointed loop's sweeps do.

    ``kept``: the iterations before which the forward sweep keeps the state, each with the
    slot (of ``snapshots``) it goes to. ``actions``: what the reverse sweep does, in order,
    as ``(action, start, stop, slot)``: ``restore`` the state before iteration ``start``
    from ``slot``, ``keep`` it there, ``advance`` (run iterations ``start`` to ``stop - 1``)
    or ``reverse`` them (run them recording, then reverse them).
    """

    kind: str
    steps: int
    snapshots: int
    kept: dict[int, int]
    actions: tuple[tuple[str, int, int, int], ...]

    def runs(self) -> int:
        """Iterations run by both sweeps together (the plain forward sweep runs
        ``steps``, the plain reverse sweep ``steps`` more)."""
        return self.steps + sum(stop - start for action, start, stop, _ in self.actions
                                if action in ("advance", "reverse"))


def schedule(values: Any, snapshots: Any, kind: str = "binomial") -> Schedule:
    """The schedule for a loop over ``values`` keeping at most ``snapshots`` states.

    >>> s = schedule(range(3), 2)
    >>> s.kept
    {0: 0, 1: 1}
    >>> for action in s.actions: print(action)
    ('restore', 1, 1, 1)
    ('advance', 1, 2, 1)
    ('reverse', 2, 3, 1)
    ('restore', 1, 1, 1)
    ('reverse', 1, 2, 1)
    ('restore', 0, 0, 0)
    ('reverse', 0, 1, 0)
    >>> schedule(range(5), 2, "uniform").actions
    (('restore', 3, 3, 1), ('reverse', 3, 5, 1), ('restore', 0, 0, 0), ('reverse', 0, 3, 0))
    """
    return _schedule(len(values), max(1, int(snapshots)), kind)


@functools.lru_cache(maxsize=64)
def _schedule(steps: int, snapshots: int, kind: str) -> Schedule:
    if kind == "uniform":
        actions = _uniform(steps, snapshots)
    elif kind == "binomial":
        actions = _binomial(steps, snapshots)
    else:
        raise ValueError(f"schedule={kind!r}: use one of {', '.join(SCHEDULES)}")
    kept, actions = _forward_part(actions)
    return Schedule(kind, steps, snapshots, kept, tuple(actions))


Action = tuple[str, int, int, int]


def _uniform(steps: int, snapshots: int) -> list[Action]:
    segment = max(1, math.ceil(steps / snapshots))
    starts = range(0, steps, segment)
    actions = [("keep", start, start, slot) for slot, start in enumerate(starts)]
    for slot, start in reversed(list(enumerate(starts))):
        actions += [("restore", start, start, slot),
                    ("reverse", start, min(steps, start + segment), slot)]
    return actions


def _binomial(steps: int, snapshots: int) -> list[Action]:
    """Revolve: reverse iterations ``[a, b)`` with ``s`` states keepable, the one before
    ``a`` among them and kept. Advance to ``m``, keep it, reverse ``[m, b)`` with one state
    fewer, free ``m``'s slot, reverse ``[a, m)``. The split lets each part be reversed
    running no iteration more often than the binomial bound allows."""
    if not steps:
        return []
    free = list(reversed(range(1, snapshots)))
    slot_of = {0: 0}
    actions: list[Action] = [("keep", 0, 0, 0)]
    work: list[tuple[int, int, int]] = [(0, steps, snapshots)]
    while work:
        a, b, s = work.pop()
        if s == 0:  # (m, _, 0): reversing [m, ...) is done; m's slot is free again
            free.append(slot_of.pop(a))
            continue
        slot = slot_of[a]
        if b - a == 1:
            actions += [("restore", a, a, slot), ("reverse", a, b, slot)]
        elif s == 1:  # one state, the first: run forward from it to each iteration in turn
            for i in reversed(range(a, b)):
                actions.append(("restore", a, a, slot))
                if i > a:
                    actions.append(("advance", a, i, slot))
                actions.append(("reverse", i, i + 1, slot))
        else:
            m = a + _split(b - a, s)
            slot_of[m] = free.pop()
            actions += [("restore", a, a, slot), ("advance", a, m, slot),
                        ("keep", m, m, slot_of[m])]
            work += [(a, m, s), (m, b, 0), (m, b, s - 1)]
    return actions


def _split(steps: int, snapshots: int) -> int:
    """Iterations to run before keeping the next state, when ``steps`` iterations are
    reversed with ``snapshots`` states (``steps >= 2``, ``snapshots >= 2``).

    With s states and each iteration run at most r more times, C(s + r, s) iterations can be
    reversed: at most C(s + r - 1, s) before the next kept state (one run fewer left) and
    C(s - 1 + r, s - 1) after it (one state fewer). Of the splits that fit, the shortest
    first part not under C(s + r - 2, s) runs the fewest iterations (checked against a
    dynamic program for T <= 300, S <= 6).

    >>> _split(10, 2), _split(10, 3), _split(3, 5)
    (6, 4, 1)
    """
    runs = 1
    while math.comb(snapshots + runs, snapshots) < steps:
        runs += 1
    after = math.comb(snapshots - 1 + runs, snapshots - 1)
    shortest = math.comb(snapshots + runs - 2, snapshots) if runs >= 2 else 1
    return min(steps - 1, max(1, steps - after, shortest))


def _forward_part(actions: list[Action]) -> tuple[dict[int, int], list[Action]]:
    """The states kept by the forward sweep (iteration: slot), and what is left to the
    reverse sweep.

    The schedule starts by running forward from the first iteration keeping states; the
    forward sweep does that as it runs the loop, up to the last state restored before the
    first reversal."""
    first_reverse = next((i for i, a in enumerate(actions) if a[0] == "reverse"), 0)
    last_restore = max((i for i in range(first_reverse) if actions[i][0] == "restore"),
                       default=first_reverse)
    kept = {start: slot for action, start, _, slot in actions[:last_restore]
            if action == "keep"}
    return kept, actions[last_restore:]
