"""The emitted source of representative functions, compared with reviewed golden files.

A change to the generated code shows up here as a diff to review. After reviewing, refresh
the files with ``S2SAD_UPDATE_GOLDEN=1 make test``.
"""

import math
import os
from pathlib import Path

import numpy as np
import pytest

import s2sad

GOLDEN = Path(__file__).parent.parent / "golden"


def scalar_trace(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def tanh_layer(x, W):
    h = np.tanh(W @ x)
    return np.sum(h**2)


def mds_stress(W, D):
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff**2, axis=-1)
    return np.sum((d2 - D) ** 2)


def rnn(xs, W, h):  # a loop: its adjoint is the loop run backwards
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h**2)


def huber(x, delta):  # a branch: replayed from its test
    if abs(x) <= delta:
        loss = 0.5 * x * x
    else:
        loss = delta * (abs(x) - 0.5 * delta)
    return loss


def halve_until_small(x, tol):  # while and break: the iterations are counted
    steps = 0
    while True:
        x = 0.5 * math.sin(x) + 0.25 * x
        steps = steps + 1
        if abs(x) < tol or steps >= 50:
            break
    return x * x


def affine(v, a, b=1.0):
    return a * v + b


def calls_helper(x, a):  # a call of the user's own function, with a keyword argument
    y = affine(x, a)
    return affine(y, a, b=a) ** 2


CASES = [
    (scalar_trace, "reverse", (0, 1)),
    (scalar_trace, "forward", (0, 1)),
    (tanh_layer, "reverse", (0, 1)),
    (tanh_layer, "forward", (0, 1)),
    (mds_stress, "reverse", 0),
    (rnn, "reverse", (0, 1)),
    (huber, "reverse", 0),
    (huber, "forward", 0),
    (halve_until_small, "reverse", 0),
    (calls_helper, "reverse", (0, 1)),
    (calls_helper, "forward", (0, 1)),
]


@pytest.mark.parametrize(
    "function, mode, wrt", CASES, ids=[f"{f.__name__}-{m}" for f, m, _ in CASES]
)
def test_golden_source(function, mode, wrt):
    text = s2sad.source(function, mode=mode, wrt=wrt)
    path = GOLDEN / f"{function.__name__}_{mode}.txt"
    if os.environ.get("S2SAD_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()
