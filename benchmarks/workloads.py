"""Benchmark workloads: a function, its hand-written gradient, and its arguments.

Each workload pairs a function ``f`` that s2sad differentiates (defined at module level so
its source can be read) with the gradient an expert would write by hand in NumPy, and a
seeded argument factory. The hand gradients are checked against central finite differences
by ``benchmarks/checks.py`` before anything is timed.

``WORKLOADS`` holds the workloads s2sad handles today (straight-line code);
``LOOP_WORKLOADS`` holds the ones that need loops, which the runner benchmarks the same way
and which report "unsupported" until s2sad differentiates ``for`` and ``while``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    """One benchmark: ``hand(*make_args())`` returns the gradient of ``f`` w.r.t. ``wrt``.

    ``hand`` always returns a tuple with one entry per position in ``wrt``.
    """

    name: str
    description: str
    f: Callable
    wrt: tuple[int, ...]
    hand: Callable
    make_args: Callable[[], tuple]
    needs_loops: bool = False

    def args(self) -> tuple:
        return self.make_args()


# --- (a) scalar function on Python floats -------------------------------------------------


def scalar(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def scalar_grad(x1, x2):
    return 1.0 / x1 + x2, x1 - math.cos(x2)


def scalar_args():
    rng = np.random.default_rng(1)
    return float(rng.uniform(1.0, 3.0)), float(rng.uniform(-2.0, 2.0))


# --- (b) two-layer tanh MLP with softmax cross-entropy ------------------------------------


def mlp_loss(W1, W2, X, labels):
    h = np.tanh(X @ W1)
    z = h @ W2
    zmax = np.max(z, axis=1, keepdims=True)
    shifted = z - zmax
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    n = X.shape[0]
    return -np.mean(logp[np.arange(n), labels])


def mlp_loss_grad(W1, W2, X, labels):
    n = X.shape[0]
    h = np.tanh(X @ W1)
    z = h @ W2
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    # d loss / d z = (softmax - onehot) / n, built in place in p.
    p[np.arange(n), labels] -= 1.0
    p *= 1.0 / n
    dW2 = h.T @ p
    dpre = p @ W2.T
    dpre *= 1.0 - h * h
    dW1 = X.T @ dpre
    return dW1, dW2


def _mlp_args(seed, batch, n_in, n_hidden, n_out):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_in, n_hidden)) / math.sqrt(n_in)
    W2 = rng.standard_normal((n_hidden, n_out)) / math.sqrt(n_hidden)
    X = rng.standard_normal((batch, n_in))
    labels = rng.integers(0, n_out, size=batch)
    return W1, W2, X, labels


def mlp_args():
    return _mlp_args(2, batch=64, n_in=784, n_hidden=128, n_out=10)


def mlp_small_args():
    return _mlp_args(3, batch=64, n_in=10, n_hidden=16, n_out=2)


# --- (c) MDS stress ------------------------------------------------------------------------


def mds_stress(W, D):
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff ** 2, axis=-1)
    return np.sum((d2 - D) ** 2)


def mds_stress_grad(W, D):
    # Squared distances through the Gram matrix: O(N^2) memory instead of O(N^2 d).
    sq = np.einsum("ij,ij->i", W, W)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (W @ W.T)
    r = d2 - D
    s = r + r.T
    # dL/dW_k = 4 sum_j s_kj (W_k - W_j)
    return (4.0 * (s.sum(axis=1)[:, None] * W - s @ W),)


def mds_args():
    rng = np.random.default_rng(4)
    n, d = 100, 3
    W = rng.standard_normal((n, d))
    Y = rng.standard_normal((n, d))
    D = np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=-1)
    return W, D


# --- (d) 1000-step scalar loop (needs loops) ----------------------------------------------


def scalar_loop(x, a, b):
    for _ in range(1000):
        x = x * a + math.sin(x) * b
    return x


def scalar_loop_grad(x, a, b):
    sin = math.sin
    cos = math.cos
    xs = [0.0] * 1000
    for i in range(1000):
        xs[i] = x
        x = x * a + sin(x) * b
    # Recomputing sin in the reverse loop is cheaper than storing a second list.
    x_bar = 1.0
    a_bar = 0.0
    b_bar = 0.0
    for xi in reversed(xs):
        a_bar += x_bar * xi
        b_bar += x_bar * sin(xi)
        x_bar *= a + b * cos(xi)
    return x_bar, a_bar, b_bar


def scalar_loop_args():
    # a + b > 1: x settles on the stable fixed point x* = b sin(x*) / (1 - a) ~ 1.36, where
    # a + b cos x* ~ 0.67, so d/da and d/db are O(1) and d/dx has decayed to ~1e-175.
    # With a + b < 1, x would decay to 0 and every derivative with it.
    rng = np.random.default_rng(5)
    return (float(rng.uniform(0.5, 1.5)), float(rng.uniform(0.45, 0.55)),
            float(rng.uniform(0.6, 0.7)))


# --- (e) vanilla RNN, T = 50 (needs loops) ------------------------------------------------


def rnn_loss(Wx, Wh, xs, target):
    h = np.zeros((xs.shape[1], Wh.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh)
    return np.sum((h - target) ** 2)


def rnn_loss_grad(Wx, Wh, xs, target):
    T, B, _ = xs.shape
    H = Wh.shape[0]
    hs = np.empty((T + 1, B, H))
    hs[0] = 0.0
    for t in range(T):
        hs[t + 1] = np.tanh(xs[t] @ Wx + hs[t] @ Wh)
    das = np.empty((T, B, H))
    dh = 2.0 * (hs[T] - target)
    WhT = Wh.T
    for t in range(T - 1, -1, -1):
        da = dh * (1.0 - hs[t + 1] * hs[t + 1])
        das[t] = da
        dh = da @ WhT
    # One big product per weight instead of T small ones.
    dWx = xs.reshape(T * B, -1).T @ das.reshape(T * B, H)
    dWh = hs[:T].reshape(T * B, H).T @ das.reshape(T * B, H)
    return dWx, dWh


def rnn_args():
    rng = np.random.default_rng(6)
    T, B, n_in, H = 50, 16, 10, 32
    Wx = rng.standard_normal((n_in, H)) / math.sqrt(n_in)
    Wh = 0.5 * rng.standard_normal((H, H)) / math.sqrt(H)
    xs = rng.standard_normal((T, B, n_in))
    target = rng.uniform(-0.5, 0.5, size=(B, H))
    return Wx, Wh, xs, target


# --- (f) Newton's method in a while loop (needs loops) ------------------------------------


def newton_lse(theta0, X, c):
    # Minimizes g(theta) = logsumexp(X theta) + lam/2 |theta|^2 - c.theta by Newton's method.
    lam = 1.0
    eye = np.eye(X.shape[1])
    theta = theta0
    size = 1.0
    k = 0
    while size > 1e-10 and k < 50:
        z = X @ theta
        m = np.max(z)
        lse = m + np.log(np.sum(np.exp(z - m)))
        p = np.exp(z - lse)
        q = X.T @ p
        grad = q + lam * theta - c
        hess = X.T @ (p[:, None] * X) - np.outer(q, q) + lam * eye
        step = np.linalg.solve(hess, grad)
        theta = theta - step
        size = np.linalg.norm(step)
        k = k + 1
    return np.sum(theta ** 2)


def newton_lse_grad(theta0, X, c):
    # Reverse mode through every Newton step. At convergence this equals the implicit
    # function theorem's H^-1 (2 theta*) to rounding (quadratic convergence).
    lam = 1.0
    eye = np.eye(X.shape[1])
    XT = X.T
    theta = theta0
    tape = []
    size = 1.0
    k = 0
    while size > 1e-10 and k < 50:
        z = X @ theta
        p = np.exp(z - z.max())
        p /= p.sum()
        q = XT @ p
        hess = (XT * p) @ X
        hess -= np.outer(q, q)
        hess += lam * eye
        step = np.linalg.solve(hess, q + lam * theta - c)
        tape.append((z, p, q, hess, step))
        theta = theta - step
        size = np.linalg.norm(step)
        k += 1
    theta_bar = 2.0 * theta
    c_bar = np.zeros_like(c)
    z_next = X @ theta
    for z, p, q, hess, step in reversed(tape):
        # step = H^-1 grad: u is grad's adjoint (H is symmetric), H's adjoint is -u step'.
        u = np.linalg.solve(hess, -theta_bar)
        c_bar -= u
        Xu = X @ u
        Xs = z - z_next  # X @ step
        z_next = z
        # Through H = X' diag(p) X - q q' + lam I and q = X' p onto p, then the softmax.
        p_bar = Xu * (1.0 + step @ q) + Xs * (q @ u) - Xu * Xs
        z_bar = p * (p_bar - p @ p_bar)
        theta_bar = theta_bar + lam * u + XT @ z_bar
    return (c_bar,)


def newton_lse_args():
    rng = np.random.default_rng(7)
    n, d = 1000, 10
    X = rng.standard_normal((n, d))
    c = 3.0 * rng.standard_normal(d)
    return np.zeros(d), X, c


# --- (g) linear solve -----------------------------------------------------------------------


def solve_loss(A, b):
    return np.sum(np.linalg.solve(A, b) ** 2)


def solve_loss_grad(A, b):
    x = np.linalg.solve(A, b)
    b_bar = np.linalg.solve(A.T, 2.0 * x)
    return -np.outer(b_bar, x), b_bar


def solve_args():
    rng = np.random.default_rng(8)
    n = 50
    A = 2.0 * np.eye(n) + rng.standard_normal((n, n)) / math.sqrt(n)
    b = rng.standard_normal(n)
    return A, b


# --- the lists the runner reads ------------------------------------------------------------

WORKLOADS: list[Workload] = [
    Workload("a_scalar", "log(x1) + x1*x2 - sin(x2), Python floats",
             scalar, (0, 1), scalar_grad, scalar_args),
    Workload("b_mlp", "tanh MLP 784-128-10 + softmax CE, batch 64",
             mlp_loss, (0, 1), mlp_loss_grad, mlp_args),
    Workload("b_mlp_small", "tanh MLP 10-16-2 + softmax CE, batch 64",
             mlp_loss, (0, 1), mlp_loss_grad, mlp_small_args),
    Workload("c_mds", "MDS stress, N=100, d=3, broadcasting",
             mds_stress, (0,), mds_stress_grad, mds_args),
    Workload("g_solve", "sum(solve(A, b)**2), A 50x50",
             solve_loss, (0, 1), solve_loss_grad, solve_args),
]

# Workloads that need ``for`` / ``while``; s2sad raises UnsupportedSyntaxError on them today.
LOOP_WORKLOADS: list[Workload] = [
    Workload("d_scalar_loop", "1000 steps of x = x*a + sin(x)*b, Python floats",
             scalar_loop, (0, 1, 2), scalar_loop_grad, scalar_loop_args, needs_loops=True),
    Workload("e_rnn", "tanh RNN T=50, batch 16, 10->32",
             rnn_loss, (0, 1), rnn_loss_grad, rnn_args, needs_loops=True),
    Workload("f_newton", "Newton on logsumexp(X th) + |th|^2/2 - c.th, X 1000x10 (while loop)",
             newton_lse, (2,), newton_lse_grad, newton_lse_args, needs_loops=True),
]

ALL: list[Workload] = sorted(WORKLOADS + LOOP_WORKLOADS, key=lambda w: w.name)
