"""Logistic regression fitted by gradient descent on a Dask cluster, over a data set that
the workers make chunk by chunk and that no process ever holds whole.

The loss is plain NumPy. Given Dask arrays, the gradient s2sad generates for it is plain
NumPy code too, so each of its operations adds to a task graph instead of computing; the
gradient with respect to the weights (a NumPy array) is that graph's small result,
computed by the cluster's workers. The client only holds the weights and the graph.

In fast mode (the tests) the data are small enough to fetch, and the weights found on the
cluster are compared with gradient descent run by NumPy on the same data.

Run: python examples/dask_gradient_descent.py [--fast] [--rows N] [--steps K] [--workers W]
"""

from __future__ import annotations

import argparse
import resource
import time

import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

import s2sad

FEATURES = 10


def loss(w, X, y):
    """The mean logistic loss, log(1 + exp(-y Xw)), of labels y in {-1, +1}."""
    return np.mean(np.log1p(np.exp(-y * (X @ w))))


def dataset(rows: int, chunk: int, seed: int = 0):
    """Features and labels of a noisy linear model, as lazy Dask arrays (chunks of
    ``chunk`` rows, made where they are used)."""
    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, FEATURES), chunks=(chunk, FEATURES))
    w_true = np.linspace(-2.0, 2.0, FEATURES)
    noise = rng.standard_normal(rows, chunks=chunk)
    return X, da.sign(X @ w_true + noise)


def descend(gradient, w, X, y, steps: int, rate: float) -> np.ndarray:
    for _ in range(steps):
        w = w - rate * gradient(w, X, y)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="a small data set, checked")
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    rows = 20_000 if options.fast else options.rows
    chunk = min(rows, 1_000_000) if not options.fast else 5_000
    X, y = dataset(rows, chunk)
    gradient = s2sad.grad(loss)
    w0 = np.zeros(FEATURES)
    with LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        start = time.perf_counter()
        w = descend(gradient, w0, X, y, options.steps, rate=2.0)
        seconds = time.perf_counter() - start
        print(f"{rows:,} rows x {FEATURES} features ({X.nbytes / 1e9:.2f} GB), "
              f"{options.steps} gradient steps on {options.workers} worker processes: "
              f"{seconds:.1f} s, {seconds / options.steps:.2f} s per gradient")
        print(f"loss {float(loss(w0, X, y)):.4f} -> {float(loss(w, X, y)):.4f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this (the client's) process: {peak:.0f} MB")
        if options.fast:
            X_np, y_np = client.compute([X, y], sync=True)
            expected = descend(gradient, w0, X_np, y_np, options.steps, rate=2.0)
            print("gradient descent on the cluster matches NumPy's on the same data: "
                  f"{bool(np.allclose(w, expected, rtol=1e-10, atol=1e-12))}")


if __name__ == "__main__":
    main()
