"""Hessian-vector products without a Hessian: Newton's method by conjugate gradients on
L2-regularized logistic regression with 10,000 parameters, and Hutchinson's estimate of a
Hessian's trace against the exact trace.

``s2sad.hvp(loss)(w, X, y, v)`` is the tangent of the generated gradient in direction v
(forward over reverse): a few gradients' cost, no d x d matrix.

Run: python examples/hessian_vector_products.py [--fast]
"""

from __future__ import annotations

import sys
import time

import numpy as np

import s2sad


def loss(w, X, y):
    z = y * (X @ w)
    return np.sum(np.logaddexp(0.0, -z)) / X.shape[0] + 0.5e-2 * (w @ w)


def conjugate_gradients(apply, b, iterations):
    """Solve ``apply(x) = b`` for a symmetric positive definite operator."""
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rr = r @ r
    for _ in range(iterations):
        ap = apply(p)
        alpha = rr / (p @ ap)
        x += alpha * p
        r -= alpha * ap
        rr_new = r @ r
        if np.sqrt(rr_new) < 1e-10 * np.linalg.norm(b):
            break
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x


def newton_cg(n, d, steps, rng):
    X = rng.normal(size=(n, d)) / np.sqrt(d)
    y = np.sign(X @ rng.normal(size=d) + 0.5 * rng.normal(size=n))
    w = np.zeros(d)
    gradient, hvp = s2sad.grad(loss), s2sad.hvp(loss)
    print(f"Newton-CG, logistic regression, {n} examples, {d} parameters")
    start = time.perf_counter()
    for step in range(steps):
        g = gradient(w, X, y)
        direction = conjugate_gradients(lambda v, w=w: hvp(w, X, y, v), -g, iterations=20)
        w = w + direction
        print(f"  step {step}: loss {loss(w, X, y):.8f}, |gradient| {np.linalg.norm(g):.2e}")
    print(f"  {time.perf_counter() - start:.2f} s, no Hessian formed")
    return np.linalg.norm(gradient(w, X, y))


def hutchinson(d, samples, rng):
    X = rng.normal(size=(4 * d, d)) / np.sqrt(d)
    y = np.sign(rng.normal(size=4 * d))
    w = 0.1 * rng.normal(size=d)
    hvp = s2sad.hvp(loss)
    probes = rng.choice([-1.0, 1.0], size=(samples, d))  # Rademacher vectors
    estimate = np.mean([v @ hvp(w, X, y, v) for v in probes])
    exact = np.trace(s2sad.hessian(loss)(w, X, y))
    print(f"Hutchinson's trace estimate with {samples} probes: {estimate:.4f}; "
          f"exact trace of the {d}x{d} Hessian: {exact:.4f}")
    return estimate, exact


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    final = newton_cg(n=500 if fast else 1000, d=1000 if fast else 10_000,
                      steps=3 if fast else 5, rng=rng)
    assert final < 1e-6, final
    estimate, exact = hutchinson(d=40, samples=200 if fast else 2000, rng=rng)
    assert abs(estimate - exact) < 0.1 * abs(exact)
    print("converged, and the trace estimate is within 10% of the exact trace: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
