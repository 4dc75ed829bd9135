"""Gradients through linear algebra, checked against their closed forms.

1. L(A, b) = sum(x**2) with x = solve(A, b). With b_bar = solve(A.T, 2 x), the gradient
   is dL/db = b_bar and dL/dA = -outer(b_bar, x).
2. Functions of the singular values s = svd(W, compute_uv=False): for L(W) = sum(g(s)),
   dL/dW = U diag(g'(s)) V^T with W = U diag(s) V^T (reduced SVD). The nuclear norm
   sum(s) has the gradient U V^T; the sum of squares sum(s**2) = ||W||_F^2 has 2 W.

Each reverse-mode gradient (s2sad.grad) is also checked along a random direction d:
<grad L, d> must equal forward mode's directional derivative (s2sad.jvp) and a central
finite difference.

Run: python examples/matrix_gradients.py [--fast]
"""

from __future__ import annotations

import sys

import numpy as np

import s2sad


def solve_loss(A, b):
    x = np.linalg.solve(A, b)
    return np.sum(x**2)


def nuclear_norm(W):
    return np.sum(np.linalg.svd(W, compute_uv=False))


def singular_energy(W):
    return np.sum(np.linalg.svd(W, compute_uv=False) ** 2)


def relative_error(got, expected) -> float:
    return float(np.linalg.norm(got - expected) / np.linalg.norm(expected))


def directional_errors(function, args, gradients, rng) -> tuple[float, float]:
    """<gradient, direction>, summed over the arguments, against forward mode's
    directional derivative (s2sad.jvp) and against central finite differences: both
    relative errors."""
    directions = tuple(rng.standard_normal(np.shape(a)) for a in args)
    expected = sum(np.sum(g * d) for g, d in zip(gradients, directions))
    _, tangent = s2sad.jvp(function, args, directions)
    eps = 1e-5
    plus = function(*(a + eps * d for a, d in zip(args, directions)))
    minus = function(*(a - eps * d for a, d in zip(args, directions)))
    numeric = (plus - minus) / (2 * eps)
    return abs(tangent - expected) / abs(expected), abs(numeric - expected) / abs(expected)


def check(name: str, function, args, gradient, closed_form, rng) -> None:
    closed = max(relative_error(g, c) for g, c in zip(gradient, closed_form))
    forward, numeric = directional_errors(function, args, gradient, rng)
    print(f"  {name:34} {closed:8.1e} {forward:8.1e} {numeric:8.1e}")
    assert closed < 1e-10 and forward < 1e-10 and numeric < 1e-5, (closed, forward, numeric)


def check_solve(n: int, rng) -> None:
    A = rng.standard_normal((n, n)) + n**0.5 * np.eye(n)  # well conditioned
    b = rng.standard_normal(n)
    A_bar, b_bar = s2sad.grad(solve_loss, wrt=(0, 1))(A, b)
    x = np.linalg.solve(A, b)
    b_closed = np.linalg.solve(A.T, 2 * x)
    A_closed = -np.outer(b_closed, x)
    check(f"sum(solve(A, b)**2), n = {n}", solve_loss, (A, b), (A_bar, b_bar),
          (A_closed, b_closed), rng)


def check_singular_values(shape: tuple[int, int], rng) -> None:
    W = rng.standard_normal(shape)
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    for function, g_prime in ((nuclear_norm, np.ones_like(s)), (singular_energy, 2 * s)):
        gradient = s2sad.grad(function)(W)
        check(f"{function.__name__}(W), W {shape[0]} x {shape[1]}", function, (W,),
              (gradient,), (U @ np.diag(g_prime) @ Vt,), rng)
    assert np.allclose(s2sad.grad(singular_energy)(W), 2 * W)


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    sizes = [3, 10] if fast else [3, 10, 100, 300]
    print("relative errors of s2sad.grad against the closed form, and of <grad, d> against\n"
          "forward mode (s2sad.jvp) and central differences along a random direction d")
    print(f"  {'':34} {'closed':>8} {'jvp':>8} {'numeric':>8}")
    for n in sizes:
        check_solve(n, rng)
    for n in sizes:
        for shape in ((n, n), (2 * n, n), (n, 2 * n)):
            check_singular_values(shape, rng)
    print("the gradients match the closed forms, forward mode and finite differences: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
