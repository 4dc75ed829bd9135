"""Workloads written in styles unlike ``workloads.py``'s: short loops on Python floats,
small arrays in loops, helper functions called in a chain, idioms spelled differently
(``diff * diff``, ``np.einsum``, ``np.logaddexp``, a softmax written row by row), element
by element indexing, an ODE integrator, a Gaussian process and an option pricer.

Each pairs a function with the gradient a careful person writes by hand (checked against
central differences by ``benchmarks/checks.py``, and by ``make test``).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special
from workloads import Workload

# --- a short loop on Python floats: the fixed cost per call -------------------------------


def short_loop(x, a):
    for _ in range(10):
        x = x - 0.1 * (x * x - a)
    return x


def short_loop_grad(x, a):
    xs = []
    for _ in range(10):
        xs.append(x)
        x = x - 0.1 * (x * x - a)
    x_bar, a_bar = 1.0, 0.0
    for x_k in reversed(xs):
        a_bar += 0.1 * x_bar
        x_bar *= 1.0 - 0.2 * x_k
    return x_bar, a_bar


def short_loop_args():
    return 0.8, 2.0


# --- an RNN whose loss is summed at every step, one sequence -------------------------------


def rnn_steps(Wh, Wx, xs, ys):
    h = np.zeros(Wh.shape[0])
    loss = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(Wh @ h + Wx @ xs[t])
        loss = loss + np.sum((h - ys[t]) ** 2)
    return loss


def rnn_steps_grad(Wh, Wx, xs, ys):
    hs = [np.zeros(Wh.shape[0])]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(Wh @ hs[-1] + Wx @ xs[t]))
    Wh_bar, Wx_bar = np.zeros_like(Wh), np.zeros_like(Wx)
    h_bar = np.zeros(Wh.shape[0])
    for t in reversed(range(xs.shape[0])):
        h = hs[t + 1]
        h_bar = h_bar + 2.0 * (h - ys[t])
        z_bar = h_bar * (1.0 - h * h)
        Wh_bar += np.outer(z_bar, hs[t])
        Wx_bar += np.outer(z_bar, xs[t])
        h_bar = Wh.T @ z_bar
    return Wh_bar, Wx_bar


def rnn_steps_args():
    rng = np.random.default_rng(21)
    n, m, T = 32, 8, 50
    return (rng.standard_normal((n, n)) * 0.5 / math.sqrt(n),
            rng.standard_normal((n, m)) / math.sqrt(m),
            rng.standard_normal((T, m)), 0.5 * rng.standard_normal((T, n)))


# --- MDS stress spelled with diff * diff --------------------------------------------------


def stress_products(X, D):
    diff = X[:, None, :] - X[None, :, :]
    dist = np.sqrt(np.sum(diff * diff, axis=-1) + 1e-9)
    r = dist - D
    return 0.5 * np.sum(r * r)


def stress_products_grad(X, D):
    diff = X[:, None, :] - X[None, :, :]
    dist = np.sqrt(np.sum(diff * diff, axis=-1) + 1e-9)
    weight = (dist - D) / dist
    diff_bar = weight[:, :, None] * diff
    return (np.sum(diff_bar, axis=1) - np.sum(diff_bar, axis=0),)


def stress_products_args():
    rng = np.random.default_rng(22)
    n = 100
    points = rng.standard_normal((n, 2))
    D = np.sqrt(np.sum((points[:, None] - points[None]) ** 2, axis=-1))
    return rng.standard_normal((n, 2)), D


# --- a chain of helper calls: a deep network one helper per layer -------------------------


def dense(W, h):
    return np.tanh(W @ h)


def deep_helpers(Ws, x):
    h = x
    for k in range(Ws.shape[0]):
        h = dense(Ws[k], h)
    return np.sum(h * h)


def deep_helpers_grad(Ws, x):
    hs = [x]
    for k in range(Ws.shape[0]):
        hs.append(np.tanh(Ws[k] @ hs[-1]))
    Ws_bar = np.zeros_like(Ws)
    h_bar = 2.0 * hs[-1]
    for k in reversed(range(Ws.shape[0])):
        z_bar = h_bar * (1.0 - hs[k + 1] ** 2)
        Ws_bar[k] = np.outer(z_bar, hs[k])
        h_bar = Ws[k].T @ z_bar
    return (Ws_bar,)


def deep_helpers_args():
    rng = np.random.default_rng(23)
    K, n = 20, 16
    return rng.standard_normal((K, n, n)) * 1.2 / math.sqrt(n), rng.standard_normal(n)


# --- RK4 on Lotka-Volterra, Python floats, the right-hand side a helper ---------------------


def lotka_volterra(u, v, a, b, c, d):
    return a * u - b * u * v, c * u * v - d * v


def rk4_populations(a, b, c, d):
    u, v = 1.0, 0.5
    h = 0.05
    for _ in range(100):
        k1u, k1v = lotka_volterra(u, v, a, b, c, d)
        k2u, k2v = lotka_volterra(u + 0.5 * h * k1u, v + 0.5 * h * k1v, a, b, c, d)
        k3u, k3v = lotka_volterra(u + 0.5 * h * k2u, v + 0.5 * h * k2v, a, b, c, d)
        k4u, k4v = lotka_volterra(u + h * k3u, v + h * k3v, a, b, c, d)
        u = u + h / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u)
        v = v + h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return u + v


def _lotka_volterra_vjp(u, v, a, b, c, d, gu, gv):
    """(u, v, a, b, c, d) adjoints of ``lotka_volterra`` for output adjoints (gu, gv)."""
    return ((a - b * v) * gu + c * v * gv, -b * u * gu + (c * u - d) * gv,
            u * gu, -u * v * gu, u * v * gv, -v * gv)


def rk4_populations_grad(a, b, c, d):
    h = 0.05
    u, v = 1.0, 0.5
    stages = []
    for _ in range(100):
        k1u, k1v = lotka_volterra(u, v, a, b, c, d)
        s2 = (u + 0.5 * h * k1u, v + 0.5 * h * k1v)
        k2u, k2v = lotka_volterra(*s2, a, b, c, d)
        s3 = (u + 0.5 * h * k2u, v + 0.5 * h * k2v)
        k3u, k3v = lotka_volterra(*s3, a, b, c, d)
        s4 = (u + h * k3u, v + h * k3v)
        k4u, k4v = lotka_volterra(*s4, a, b, c, d)
        stages.append(((u, v), s2, s3, s4))
        u = u + h / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u)
        v = v + h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    p_bar = [0.0, 0.0, 0.0, 0.0]
    u_bar, v_bar = 1.0, 1.0
    for s1, s2, s3, s4 in reversed(stages):
        k_bars = [(w * u_bar, w * v_bar) for w in (h / 6.0, h / 3.0, h / 3.0, h / 6.0)]
        states = (s1, s2, s3, s4)
        steps = (0.5 * h, 0.5 * h, h)
        for stage in (3, 2, 1, 0):
            adjoints = _lotka_volterra_vjp(*states[stage], a, b, c, d, *k_bars[stage])
            for i in range(4):
                p_bar[i] += adjoints[2 + i]
            u_bar += adjoints[0]
            v_bar += adjoints[1]
            if stage > 0:  # the stage's state is u + step * (the previous stage's k)
                ku_bar, kv_bar = k_bars[stage - 1]
                k_bars[stage - 1] = (ku_bar + steps[stage - 1] * adjoints[0],
                                     kv_bar + steps[stage - 1] * adjoints[1])
    return tuple(p_bar)


def rk4_populations_args():
    return 1.1, 0.4, 0.1, 0.4


# --- a Gaussian process's negative log marginal likelihood ---------------------------------


def gp_nll(theta, X, y):
    ell = np.exp(theta[0])
    noise = np.exp(theta[1])
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = np.exp(-0.5 * d2 / ell**2) + noise * np.eye(X.shape[0])
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(K, y)
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


def gp_nll_grad(theta, X, y):
    ell, noise = np.exp(theta[0]), np.exp(theta[1])
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    kernel = np.exp(-0.5 * d2 / ell**2)
    K_inv = np.linalg.inv(kernel + noise * np.eye(X.shape[0]))
    alpha = K_inv @ y
    W = 0.5 * (K_inv - np.outer(alpha, alpha))
    return (np.array([np.sum(W * kernel * d2) / ell**2, noise * np.trace(W)]),)


def gp_nll_args():
    rng = np.random.default_rng(24)
    X = rng.uniform(-3.0, 3.0, (60, 1))
    y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(60)
    return np.array([0.1, -2.0]), X, y


# --- logistic regression spelled with np.einsum and np.logaddexp --------------------------


def logistic_einsum(w, X, y):
    z = np.einsum("ij,j->i", X, w)
    return np.sum(np.logaddexp(0.0, z) - y * z) + 0.5e-2 * np.dot(w, w)


def logistic_einsum_grad(w, X, y):
    z = X @ w
    return (X.T @ (scipy.special.expit(z) - y) + 1e-2 * w,)


def logistic_einsum_args():
    rng = np.random.default_rng(25)
    X = rng.standard_normal((500, 20))
    y = (rng.uniform(size=500) < 0.5).astype(float)
    return rng.standard_normal(20) * 0.1, X, y


# --- a softmax written row by row, as in a notebook -------------------------------------


def softmax_rows(W, X, labels):
    logits = X @ W
    total = 0.0
    for i in range(logits.shape[0]):
        row = logits[i] - np.max(logits[i])
        p = np.exp(row) / np.sum(np.exp(row))
        total = total - np.log(p[labels[i]])
    return total / logits.shape[0]


def softmax_rows_grad(W, X, labels):
    logits = X @ W
    P = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    P /= np.sum(P, axis=1, keepdims=True)
    P[np.arange(len(labels)), labels] -= 1.0
    return (X.T @ P / len(labels),)


def softmax_rows_args():
    rng = np.random.default_rng(26)
    return (rng.standard_normal((10, 5)) * 0.3, rng.standard_normal((32, 10)),
            rng.integers(0, 5, 32))


# --- element by element, as in C ----------------------------------------------------------


def weighted_squares(w, x):
    s = 0.0
    for i in range(len(x)):
        s += w[i] * x[i] ** 2
    return s


def weighted_squares_grad(w, x):
    return x**2, 2.0 * w * x


def weighted_squares_args():
    rng = np.random.default_rng(27)
    return rng.uniform(0.5, 1.5, 100), rng.standard_normal(100)


# --- Black-Scholes call prices: elementwise, with the normal distribution -----------------


def call_prices(S, sigma, K, T):
    r = 0.02
    root = np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * root)
    d2 = d1 - sigma * root
    price = S * scipy.special.ndtr(d1) - K * np.exp(-r * T) * scipy.special.ndtr(d2)
    return np.sum(price)


def call_prices_grad(S, sigma, K, T):
    r = 0.02
    root = np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * root)
    density = np.exp(-0.5 * d1**2) / math.sqrt(2.0 * math.pi)
    return scipy.special.ndtr(d1), S * density * root


def call_prices_args():
    rng = np.random.default_rng(28)
    n = 10_000
    return (rng.uniform(80.0, 120.0, n), rng.uniform(0.1, 0.5, n),
            rng.uniform(90.0, 110.0, n), rng.uniform(0.25, 2.0, n))


STYLE_WORKLOADS: list[Workload] = [
    Workload("h_short_loop", "10 steps of x -= 0.1*(x*x - a), Python floats",
             short_loop, (0, 1), short_loop_grad, short_loop_args, needs_loops=True),
    Workload("i_rnn_steps", "tanh RNN, 32-state, T=50, loss at every step",
             rnn_steps, (0, 1), rnn_steps_grad, rnn_steps_args, needs_loops=True),
    Workload("j_stress_products", "MDS stress with diff * diff, N=100, d=2",
             stress_products, (0,), stress_products_grad, stress_products_args),
    Workload("k_deep_helpers", "20 layers, one helper call each, 16 units",
             deep_helpers, (0,), deep_helpers_grad, deep_helpers_args, needs_loops=True),
    Workload("l_rk4", "RK4 on Lotka-Volterra, 100 steps, helper rhs, Python floats",
             rk4_populations, (0, 1, 2, 3), rk4_populations_grad, rk4_populations_args,
             needs_loops=True),
    Workload("m_gp", "GP negative log likelihood, Cholesky and solve, n=60",
             gp_nll, (0,), gp_nll_grad, gp_nll_args),
    Workload("n_logistic_einsum", "logistic regression via einsum and logaddexp, 500x20",
             logistic_einsum, (0,), logistic_einsum_grad, logistic_einsum_args),
    Workload("o_softmax_rows", "softmax cross-entropy row by row, 32x10 -> 5",
             softmax_rows, (0,), softmax_rows_grad, softmax_rows_args, needs_loops=True),
    Workload("p_weighted_squares", "sum of w[i] * x[i]**2 by index, n=100",
             weighted_squares, (0, 1), weighted_squares_grad, weighted_squares_args,
             needs_loops=True),
    Workload("q_call_prices", "Black-Scholes call prices, 10,000 options, ndtr",
             call_prices, (0, 1), call_prices_grad, call_prices_args),
]
