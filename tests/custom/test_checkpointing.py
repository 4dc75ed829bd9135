"""Checkpointed loops give the same gradients as plain ones, to the last bit, while the tape
holds one segment."""

import math

import numpy as np
import pytest

import s2sad
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


def both(source, name):
    """The function with its loop checkpointed, and the same function without."""
    scope = {"np": np, "math": math, "s2sad": s2sad}
    return tuple(function_from_source(source.format(loop=loop).lstrip(), scope,
                                      filename=f"<{name} {i}>")
                 for i, loop in enumerate(("s2sad.checkpointed(range(T), snapshots)",
                                           "range(T)")))


scalar_recurrence, scalar_recurrence_plain = both(SCALAR, "scalar")
rnn_with_writes, rnn_with_writes_plain = both(ARRAYS, "arrays")


@pytest.mark.parametrize("snapshots", [1, 3, 7, 50])
def test_checkpointed_gradients_equal_plain_ones_to_the_last_bit(snapshots):
    args = (0.7, 0.53, 0.65, 40, snapshots)
    wrt = (0, 1, 2)
    assert s2sad.grad(scalar_recurrence, wrt)(*args) == \
        s2sad.grad(scalar_recurrence_plain, wrt)(*args)
    rng = np.random.default_rng(0)
    x, W = rng.normal(size=4), rng.normal(size=(4, 4)) / 2
    mine = s2sad.grad(rnn_with_writes, (0, 1))(x, W, 23, snapshots)
    theirs = s2sad.grad(rnn_with_writes_plain, (0, 1))(x, W, 23, snapshots)
    for a, b in zip(mine, theirs):
        np.testing.assert_array_equal(a, b)


def test_the_tape_holds_one_segment():
    args = (0.7, 0.53, 0.65, 1000, 10)
    plain = s2sad.tape_size(scalar_recurrence_plain, *args, wrt=(0, 1, 2))
    checkpointed = s2sad.tape_size(scalar_recurrence, *args, wrt=(0, 1, 2))
    assert checkpointed["peak"] * 10 == plain["peak"]


def test_a_checkpointed_loop_inside_another_loop_is_an_error():
    def nested(x):
        for _ in range(2):
            for _ in s2sad.checkpointed(range(3), 2):
                x = x * x
        return x

    with pytest.raises(UnsupportedSyntaxError, match="checkpointed"):
        s2sad.grad(nested)(0.9)
