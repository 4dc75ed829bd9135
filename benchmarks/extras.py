"""Benchmarks of the trade-offs that are not per-workload ratios (``make bench`` runs them
after the workload table).

- Checkpointing: the gradient of a 10,000-step loop (a 32-vector tanh recurrence) plain and
  with ``s2sad.checkpointed`` under the binomial and the uniform schedule: gradient time
  (median), values on the tape at its peak, and traced memory at its peak.
- Jacobians of f: R^100 -> R^100 (``tanh(W @ x) * x + sin(x)``): ``jacfwd`` in one sweep of
  vector forward mode, ``jacfwd`` column by column, ``jacrev`` row by row, and a hand-written
  Jacobian.

Usage::

    python benchmarks/extras.py            # markdown
    python benchmarks/extras.py --quick    # fewer repeats and steps
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import s2sad  # noqa: E402


def recurrence_plain(x, W, T, snapshots):
    for _ in range(T):
        x = np.tanh(W @ x) * 0.5 + x * 0.5
    return np.sum(x ** 2)


def recurrence_binomial(x, W, T, snapshots):
    for _ in s2sad.checkpointed(range(T), snapshots):
        x = np.tanh(W @ x) * 0.5 + x * 0.5
    return np.sum(x ** 2)


def recurrence_uniform(x, W, T, snapshots):
    for _ in s2sad.checkpointed(range(T), snapshots, schedule="uniform"):
        x = np.tanh(W @ x) * 0.5 + x * 0.5
    return np.sum(x ** 2)


def median_seconds(fn, args, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def checkpointing(steps: int, snapshots: int, repeats: int) -> str:
    rng = np.random.default_rng(0)
    args = (rng.normal(size=32), rng.normal(size=(32, 32)) / 6, steps, snapshots)
    rows, reference, plain_time = [], None, None
    for name, fn in (("plain", recurrence_plain), ("binomial", recurrence_binomial),
                     ("uniform", recurrence_uniform)):
        gradient = s2sad.grad(fn, wrt=(0, 1))
        result = gradient(*args)
        seconds = median_seconds(gradient, args, repeats)
        tracemalloc.start()
        gradient(*args)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        tape = s2sad.tape_size(fn, *args, wrt=(0, 1))["peak"]
        if reference is None:
            reference, plain_time = result, seconds
        same = all(np.array_equal(a, b) for a, b in zip(reference, result))
        rows.append(f"| {name} | {seconds * 1e3:.0f} ms | {seconds / plain_time:.2f}x | "
                    f"{tape:,} | {peak / 1e6:.2f} MB | {'yes' if same else 'NO'} |")
    head = [f"Checkpointing: gradient of a {steps:,}-step loop (32-vector tanh recurrence), "
            f"{snapshots} snapshots, median of {repeats}", "",
            "| loop | gradient time | / plain | tape peak (values) | traced memory peak "
            "| same bits as plain |", "|---|---|---|---|---|---|"]
    return "\n".join(head + rows)


W = np.random.default_rng(1).normal(size=(100, 100)) / 10


def layer(x):
    return np.tanh(W @ x) * x + np.sin(x)


def layer_jacobian(x):
    h = np.tanh(W @ x)
    return ((1.0 - h * h) * x)[:, None] * W + np.diag(h + np.cos(x))


def jacobians(repeats: int) -> str:
    x = np.random.default_rng(2).normal(size=100)
    ways = {"jacfwd, vectorized (one sweep)": s2sad.jacfwd(layer),
            "jacfwd, column by column": s2sad.jacfwd(layer, vectorized=False),
            "jacrev, row by row": s2sad.jacrev(layer),
            "hand-written": layer_jacobian}
    expected = layer_jacobian(x)
    rows = []
    times = {}
    for name, way in ways.items():
        assert np.allclose(way(x), expected, rtol=1e-10, atol=1e-12), name
        times[name] = median_seconds(way, (x,), repeats * 5)
    for name, seconds in times.items():
        ratio = seconds / times["hand-written"]
        rows.append(f"| {name} | {seconds * 1e6:,.0f} us | {ratio:.1f}x |")
    head = [f"Jacobian of f: R^100 -> R^100, f(x) = tanh(W @ x) * x + sin(x), median of "
            f"{repeats * 5}", "", "| how | time | / hand-written |", "|---|---|---|"]
    return "\n".join(head + rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and steps")
    options = parser.parse_args(argv)
    repeats = 3 if options.quick else 7
    print(checkpointing(1000 if options.quick else 10_000, 100, repeats))
    print()
    print(jacobians(repeats))


if __name__ == "__main__":
    main()
