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


CASES = [
    (scalar_trace, "reverse", (0, 1)),
    (scalar_trace, "forward", (0, 1)),
    (tanh_layer, "reverse", (0, 1)),
    (tanh_layer, "forward", (0, 1)),
    (mds_stress, "reverse", 0),
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
