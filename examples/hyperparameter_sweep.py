"""A hyperparameter sweep across worker processes: ridge-regularized logistic regression
fitted by gradient descent once per regularization strength, each fit in its own process.

The gradient is made once, here, with ``s2sad.grad(objective)``; the process pool pickles
it for each task. What travels is a recipe (``grad`` of the function ``objective`` of this
module), and each worker, a fresh process, builds the derivative again on its first
task, so the workers run the same generated code as this process. Every fit is checked
against the same fit run here, and the gradient against central differences.

Run: python examples/hyperparameter_sweep.py [--fast] [--workers W]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

import s2sad


def objective(w, X, y, strength):
    """The mean logistic loss of labels y in {-1, +1}, plus ``strength`` |w|^2 / 2."""
    margins = y * (X @ w)
    return np.mean(np.logaddexp(0.0, -margins)) + 0.5 * strength * np.dot(w, w)


def data(rows: int, features: int, seed: int = 0):
    """Features and labels of a noisy linear model."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, features))
    w_true = np.linspace(-1.5, 1.5, features)
    return X, np.sign(X @ w_true + 0.5 * rng.standard_normal(rows))


def fit(gradient, X, y, strength: float, steps: int, rate: float = 0.5) -> np.ndarray:
    """Gradient descent from zero on the objective with ``strength``."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        w = w - rate * gradient(w, X, y, strength)
    return w


def central_differences(X, y, strength: float, h: float = 1e-6) -> np.ndarray:
    w = np.full(X.shape[1], 0.1)
    steps = np.eye(len(w)) * h
    return np.array([(objective(w + e, X, y, strength) - objective(w - e, X, y, strength))
                     / (2 * h) for e in steps])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="a small sweep (the tests)")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    rows, steps = (200, 40) if options.fast else (20_000, 300)
    strengths = [0.0, 0.01, 0.1, 1.0]
    X, y = data(rows, features=5)
    gradient = s2sad.grad(objective)

    started = time.perf_counter()
    spawned = multiprocessing.get_context("spawn")  # fresh processes: nothing inherited
    with ProcessPoolExecutor(options.workers, mp_context=spawned) as pool:
        fitted = list(pool.map(fit, [gradient] * len(strengths), [X] * len(strengths),
                               [y] * len(strengths), strengths, [steps] * len(strengths)))
    elapsed = time.perf_counter() - started
    for strength, w in zip(strengths, fitted):
        print(f"strength {strength:5.2f}: |w| = {np.linalg.norm(w):.4f}, "
              f"objective {objective(w, X, y, strength):.6f}")
    print(f"{len(strengths)} fits on {options.workers} worker processes in {elapsed:.2f} s")

    same = all(np.allclose(w, fit(gradient, X, y, s, steps), rtol=1e-12, atol=1e-12)
               for s, w in zip(strengths, fitted))
    w0 = np.full(X.shape[1], 0.1)
    checked = all(np.allclose(gradient(w0, X, y, s), central_differences(X, y, s),
                              rtol=1e-6, atol=1e-8) for s in strengths)
    shrinking = all(np.linalg.norm(a) > np.linalg.norm(b) for a, b in zip(fitted, fitted[1:]))
    print("the fits in worker processes match the same fits here, the gradient matches "
          f"central differences, and stronger regularization shrinks w: "
          f"{same and checked and shrinking}")


if __name__ == "__main__":
    main()
