"""Checkpointed loops give the same gradients as plain ones, to the last bit, while the tape
holds one segment (uniform schedule) or one iteration (binomial schedule); the schedules
reverse every iteration once, in order, within their snapshots."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.checkpointing import schedule
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing.source import function_from_source

SCALAR = """
def scalar_recurrence(x, a, b, T, snapshots):
    for _ in {loop}:
        x = x * a + math.sin(x) * b
    return x
"""

ARRAYS = """
def rnn_with_writes(x, W, T, snapshots):
    trace = np.zeros(T)
    for t in {loop}:
        if t % 3 == 0:
            x = np.tanh(W @ x)
        else:
            x = x * 0.9 + np.sin(x) * 0.1
        trace[t] = np.sum(x)
    return np.sum(trace ** 2) + np.sum(x)
"""


LOOPS = {"binomial": "s2sad.checkpointed(range(T), snapshots)",
         "uniform": "s2sad.checkpointed(range(T), snapshots, schedule='uniform')",
         "plain": "range(T)"}


def versions(source, name):
    """The function with its loop checkpointed by each schedule, and without."""
    scope = {"np": np, "math": math, "s2sad": s2sad}
    return {kind: function_from_source(source.format(loop=loop).lstrip(), scope,
                                       filename=f"<{name} {kind}>")
            for kind, loop in LOOPS.items()}


scalar_recurrence = versions(SCALAR, "scalar")
rnn_with_writes = versions(ARRAYS, "arrays")


@pytest.mark.parametrize("kind", ["binomial", "uniform"])
@pytest.mark.parametrize("snapshots", [1, 2, 3, 7, 50])
def test_checkpointed_gradients_equal_plain_ones_to_the_last_bit(snapshots, kind):
    args = (0.7, 0.53, 0.65, 40, snapshots)
    wrt = (0, 1, 2)
    assert s2sad.grad(scalar_recurrence[kind], wrt)(*args) == \
        s2sad.grad(scalar_recurrence["plain"], wrt)(*args)
    rng = np.random.default_rng(0)
    x, W = rng.normal(size=4), rng.normal(size=(4, 4)) / 2
    mine = s2sad.value_and_grad(rnn_with_writes[kind], (0, 1))(x, W, 23, snapshots)
    theirs = s2sad.value_and_grad(rnn_with_writes["plain"], (0, 1))(x, W, 23, snapshots)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1], theirs[1]):
        np.testing.assert_array_equal(a, b)


def test_the_uniform_tape_holds_one_segment_and_the_binomial_one_iteration():
    args = (0.7, 0.53, 0.65, 1000, 10)
    plain = s2sad.tape_size(scalar_recurrence["plain"], *args, wrt=(0, 1, 2))["peak"]
    uniform = s2sad.tape_size(scalar_recurrence["uniform"], *args, wrt=(0, 1, 2))["peak"]
    binomial = s2sad.tape_size(scalar_recurrence["binomial"], *args, wrt=(0, 1, 2))["peak"]
    assert uniform * 10 == plain
    assert binomial * 1000 == plain


def test_the_emitted_source_shows_the_schedule():
    text = s2sad.source(scalar_recurrence["binomial"], wrt=(0, 1, 2))
    assert "checkpoint_schedule(range(T), snapshots, 'binomial')" in text
    for action in ("restore", "advance", "keep"):
        assert f"_action == '{action}'" in text


def run(plan):
    """Carry out a schedule on positions: the iterations reversed, in order, and the
    iterations run (both sweeps, the plain forward included)."""
    slots = {slot: start for start, slot in plan.kept.items()}
    position, reversed_, runs = plan.steps, [], plan.steps
    for action, start, stop, slot in plan.actions:
        assert 0 <= slot < plan.snapshots
        if action == "restore":
            assert slots[slot] == start
            position = start
        elif action == "keep":
            assert position == start
            slots[slot] = start
        else:
            assert position == start < stop
            runs += stop - start
            if action == "advance":
                position = stop
            else:
                reversed_ += reversed(range(start, stop))
    return reversed_, runs


@pytest.mark.parametrize("steps, snapshots", [(1, 1), (2, 1), (9, 1), (10, 3), (100, 4),
                                              (1000, 10), (10000, 100), (37, 37), (5, 50)])
@pytest.mark.parametrize("kind", ["binomial", "uniform"])
def test_a_schedule_reverses_every_iteration_once_in_order(steps, snapshots, kind):
    plan = schedule(range(steps), snapshots, kind)
    reversed_, runs = run(plan)
    assert reversed_ == list(reversed(range(steps)))
    assert runs == plan.runs()
    if kind == "binomial" and snapshots > 1:
        repeats = 0  # the binomial bound: C(S + r, S) >= T
        while math.comb(snapshots + repeats, snapshots) < steps:
            repeats += 1
        assert runs <= steps * (2 + repeats)


def test_binomial_schedules_run_the_fewest_iterations():
    """Against a dynamic program over every first split (iterations run in advances)."""
    steps, snapshots = 60, 4
    least = [[0] * (snapshots + 1) for _ in range(steps + 1)]
    for t in range(2, steps + 1):
        least[t][1] = t * (t - 1) // 2
        for s in range(2, snapshots + 1):
            least[t][s] = min(k + least[k][s] + least[t - k][s - 1] for k in range(1, t))
    for t in range(1, steps + 1):
        for s in range(1, snapshots + 1):
            plan = schedule(range(t), s)
            advanced = max(plan.kept) + sum(stop - start for action, start, stop, _
                                            in plan.actions if action == "advance")
            assert advanced == least[t][s], (t, s)


def test_an_unknown_schedule_is_an_error():
    with pytest.raises(ValueError, match="binomial, uniform"):
        s2sad.checkpointed(range(3), 2, schedule="revolve")


def test_a_checkpointed_loop_inside_another_loop_is_an_error():
    def nested(x):
        for _ in range(2):
            for _ in s2sad.checkpointed(range(3), 2):
                x = x * x
        return x

    with pytest.raises(UnsupportedSyntaxError, match="checkpointed"):
        s2sad.grad(nested)(0.9)


@pytest.mark.parametrize("kind", ["binomial", "uniform"])
def test_second_derivatives_through_a_checkpointed_loop(kind):
    """Forward over reverse and reverse over reverse, against finite differences of the
    gradient."""
    f = scalar_recurrence[kind]
    args = (0.7, 0.53, 0.65, 12, 3)
    gradient = s2sad.grad(f)
    step = 1e-6
    expected = (gradient(args[0] + step, *args[1:]) - gradient(args[0] - step, *args[1:])) \
        / (2 * step)
    assert s2sad.hessian(f)(*args) == pytest.approx(expected, rel=1e-6)
    assert s2sad.grad(gradient)(*args) == pytest.approx(expected, rel=1e-6)


@s2sad.checkpoint
def block(x, W):
    h = np.tanh(W @ x)
    g = np.sin(h) * h
    return np.cos(g) + x


def blocks_marked(x, W, T):
    for _ in range(T):
        x = s2sad.checkpoint(block)(x, W)
    return np.sum(x ** 2)


def blocks_inline(x, W, T):
    for _ in range(T):
        h = np.tanh(W @ x)
        g = np.sin(h) * h
        x = np.cos(g) + x
    return np.sum(x ** 2)


def test_a_checkpointed_call_keeps_none_of_its_intermediates():
    rng = np.random.default_rng(5)
    x, W, T = rng.normal(size=6), rng.normal(size=(6, 6)) / 3, 20
    marked = s2sad.grad(blocks_marked, (0, 1))(x, W, T)
    inline = s2sad.grad(blocks_inline, (0, 1))(x, W, T)
    for a, b in zip(marked, inline):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # per iteration: the call's input x alone, against x, h and g when inlined
    assert s2sad.tape_size(blocks_marked, x, W, T, wrt=(0, 1))["peak"] == T
    assert s2sad.tape_size(blocks_inline, x, W, T, wrt=(0, 1))["peak"] > 2 * T
    assert "block_adjoint" in s2sad.source(blocks_marked, wrt=(0, 1))
