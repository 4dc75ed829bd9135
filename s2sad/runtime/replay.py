"""A callee's adjoint runs its forward sweep again: what makes that second run see what
the first one saw, and the check that it did.

Before the forward sweep calls a callee that may draw random numbers,
``random_states(plan, *arguments)`` keeps the states it may draw from (NumPy's and
Python's global ones, the generators among the call's arguments and their attributes,
those its source reaches by name). The reverse sweep puts them back for the callee's
adjoint, ``replay_states(kept)``, then sets them as they were, ``put_back_states``.
``check_recomputed`` compares the adjoint's recomputed result with the forward sweep's,
exactly, and raises where they differ.
"""

from __future__ import annotations

import functools
import random
import types
import weakref
from typing import Any

import numpy as np

from s2sad.errors import S2sadError

_GENERATORS = (np.random.Generator, np.random.RandomState, np.random.BitGenerator,
               random.Random)
#: a function given as an argument -> what its second run may do differently
_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class RecomputedResultError(S2sadError):
    """A callee gave another result when its adjoint ran it again."""


def random_states(sources: str, held: tuple, *arguments: Any) -> list:
    """The states of the random generators a call may draw from, as ``(generator,
    state)``: ``sources`` names which (``"numpy"``, NumPy's global state; ``"python"``,
    the ``random`` module's; ``"arguments"``, the generators among the call's
    ``arguments``, their attributes, and those functions among them draw from), ``held``
    are more (those the callee reaches by name)."""
    found: list = []
    if "numpy" in sources:
        found.append(np.random.mtrand._rand)
    if "python" in sources:
        found.append(random._inst)
    found.extend(held)
    if "arguments" in sources:
        for argument in arguments:
            found.extend(_generators_in(argument))
            if callable(argument) and not isinstance(argument, type):
                found.extend(_drawn_by(argument))
    kept, seen = [], set()
    for generator in found:
        if id(generator) not in seen:
            seen.add(id(generator))
            kept.append((generator, _state(generator)))
    return kept


def replay_states(kept: list) -> list:
    """Give the generators the states ``kept``; return their states now, to put back."""
    now = [(generator, _state(generator)) for generator, _ in kept]
    for generator, state in kept:
        _set_state(generator, state)
    return now


def put_back_states(now: list) -> None:
    """Give the generators back the states ``replay_states`` found."""
    for generator, state in now:
        _set_state(generator, state)


def check_recomputed(value: Any, seen: Any, where: str) -> None:
    """Raise where ``value``, a callee's result computed again by its adjoint, is not
    exactly ``seen``, what the forward sweep got (NaN equal to NaN)."""
    if not _same(value, seen):
        raise RecomputedResultError(
            f"{where} gave a different result when s2sad ran it again to differentiate it "
            "(the reverse sweep runs a called function again): it draws random numbers "
            "s2sad cannot replay, advances an iterator, or reads other state that changed "
            "since. Pass the values drawn (or the items taken) in as arguments, or draw "
            "them outside the function; NumPy's and Python's global random states and "
            "generators given as arguments (or held in their attributes) are replayed")


def failing_as_recomputed(adjoint: Any, where: str) -> Any:
    """``adjoint``, a callee's adjoint checked for its recomputation, raising
    ``RecomputedResultError`` where its second run of the callee raises (``next`` of an
    iterator the first run exhausted): a run the forward sweep made without error."""

    @functools.wraps(adjoint)
    def checked(*args: Any, **keywords: Any) -> Any:
        try:
            return adjoint(*args, **keywords)
        except S2sadError:
            raise
        except Exception as error:
            raise RecomputedResultError(
                f"{where} raised {type(error).__name__} when s2sad ran it again to "
                "differentiate it (the reverse sweep runs a called function again), where "
                "its first run did not: it advances an iterator, draws random numbers "
                "s2sad cannot replay, or reads other state that changed since. Pass the "
                "items taken (or the values drawn) in as arguments") from error

    return checked


def _generators_in(argument: Any) -> list:
    """The generators an argument is or holds (in its attributes or items, one level)."""
    if isinstance(argument, _GENERATORS):
        return [argument]
    if isinstance(argument, (np.ndarray, float, int, complex, str, bytes)):
        return []
    if isinstance(argument, (list, tuple)):
        return [item for item in argument if isinstance(item, _GENERATORS)]
    if isinstance(argument, dict):
        return [item for item in argument.values() if isinstance(item, _GENERATORS)]
    attributes = getattr(argument, "__dict__", None)
    if not isinstance(attributes, dict):
        return []
    return [item for item in attributes.values() if isinstance(item, _GENERATORS)]


def _drawn_by(function: Any) -> list:
    """The generators a function given as an argument may draw from (its source says which:
    NumPy's or Python's global ones, those it reaches by name)."""
    if isinstance(function, functools.partial):
        return [g for part in (function.func, *function.args, *function.keywords.values())
                for g in (_drawn_by(part) if callable(part)
                          else _generators_in(part))]
    if isinstance(function, types.MethodType):
        return _generators_in(function.__self__) + _drawn_by(function.__func__)
    if not isinstance(function, types.FunctionType):
        return []
    plan = _PLANS.get(function)
    if plan is None:
        from s2sad.recomputation import recomputation

        plan = _PLANS[function] = recomputation(function)
    found = list(plan.held)
    if plan.numpy_global:
        found.append(np.random.mtrand._rand)
    if plan.python_global:
        found.append(random._inst)
    return found


def _state(generator: Any) -> Any:
    if isinstance(generator, np.random.Generator):
        return generator.bit_generator.state
    if isinstance(generator, np.random.RandomState):
        return generator.get_state()
    if isinstance(generator, random.Random):
        return generator.getstate()
    return generator.state


def _set_state(generator: Any, state: Any) -> None:
    if isinstance(generator, np.random.Generator):
        generator.bit_generator.state = state
    elif isinstance(generator, np.random.RandomState):
        generator.set_state(state)
    elif isinstance(generator, random.Random):
        generator.setstate(state)
    else:
        generator.state = state


def _same(value: Any, seen: Any) -> bool:
    """Exact equality of results: numbers (NaN equal to NaN), arrays, tuples, lists and
    dicts of them; a tuple ``seen`` is the items of an unpacked result."""
    if value is seen:
        return True
    if isinstance(seen, tuple) and not isinstance(value, tuple) and \
            isinstance(value, (list, np.ndarray)):
        return len(value) == len(seen) and all(_same(v, s) for v, s in zip(value, seen))
    if isinstance(value, (list, tuple)) or isinstance(seen, (list, tuple)):
        return type(value) is type(seen) and len(value) == len(seen) and all(
            _same(v, s) for v, s in zip(value, seen))
    if isinstance(value, dict) or isinstance(seen, dict):
        return type(value) is type(seen) and value.keys() == seen.keys() and all(
            _same(value[k], seen[k]) for k in value)
    if isinstance(value, np.ndarray) or isinstance(seen, np.ndarray):
        a, b = np.asarray(value), np.asarray(seen)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(value, (float, complex, np.number)) and isinstance(
            seen, (float, complex, int, np.number)):
        return bool(value == seen or (value != value and seen != seen))
    try:
        return bool(value == seen)
    except Exception:  # values without an exact comparison
        return True
