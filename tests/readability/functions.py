"""Ordinary real-valued functions, written as their authors write them: the readability
measure (``noise.py``) is taken on the first twelve (``FUNCTIONS``), the hand-written golden
derivatives (``expected/``) on all twenty (``ALL_FUNCTIONS``)."""

import math

import numpy as np


def lecture_trace(x1, x2):  # the evaluation trace of the lecture: y = ln x1 + x1 x2 - sin x2
    return math.log(x1) + x1 * x2 - math.sin(x2)


def lecture_product(x1, x2):
    v = x1 * x2
    w = math.exp(v) + math.cos(x1)
    return w * v


def tanh_layer(x, W):
    h = np.tanh(W @ x)
    return np.sum(h**2)


def mlp(x, W1, b1, W2, b2):
    h = np.tanh(W1 @ x + b1)
    out = W2 @ h + b2
    return 0.5 * np.sum(out**2)


def rnn(xs, W, h):
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h**2)


def loop_with_branch(x, n):
    s = 0.0
    for i in range(n):
        if x > 1.0:
            s = s + math.sqrt(x) * i
        else:
            s = s + x * x
        x = 0.9 * x
    return s


def inplace_recurrence(x):
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = 0.5 * y[i - 1] + np.sin(x[i])
    return np.sum(y * y)


def logistic_regression(w, X, labels):
    logits = X @ w
    p = 1.0 / (1.0 + np.exp(-logits))
    eps = 1e-12
    loss = -np.mean(labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps))
    return loss


def gp_likelihood(log_ell, X, y):
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = np.exp(-0.5 * d2 / np.exp(2 * log_ell)) + 1e-6 * np.eye(X.shape[0])
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(K, y)
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


def mds_stress(W, D):
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff**2, axis=-1)
    return np.sum((d2 - D) ** 2)


def huber(x, delta):
    if abs(x) <= delta:
        loss = 0.5 * x * x
    else:
        loss = delta * (abs(x) - 0.5 * delta)
    return loss


def softmax_cross_entropy(W, x, label):
    z = W @ x
    z = z - np.max(z)
    p = np.exp(z) / np.sum(np.exp(z))
    return -np.log(p[label])


def horner(coeffs, x):
    y = 0.0
    for c in coeffs:
        y = y * x + c
    return y


def newton_sqrt(a, tol):
    x = a
    while abs(x * x - a) > tol:
        x = 0.5 * (x + a / x)
    return x


def softplus_loss(w, X, labels):
    margins = labels * (X @ w)
    return np.mean(np.log1p(np.exp(-margins)))


def layer_norm(x, gamma, beta, target):
    mu = np.mean(x)
    xc = x - mu
    var = np.mean(xc**2)
    xhat = xc / np.sqrt(var + 1e-5)
    out = gamma * xhat + beta
    return np.sum((out - target) ** 2)


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def euler_ode(y0, k, dt, n):
    y = y0
    for _ in range(n):
        y = y + dt * (np.sin(y) - k * y)
    return np.sum(y**2)


def masked_mean(x, threshold):
    mask = x > threshold
    vals = np.where(mask, x**2, 0.0)
    return np.sum(vals) / np.sum(mask)


def attention(Q, K, V):
    scores = Q @ K.T / np.sqrt(Q.shape[1])
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    out = weights @ V
    return np.sum(out**2)


def _arguments():
    rng = np.random.default_rng(0)
    return {
        lecture_trace: ((1.5, 0.5), (0, 1)),
        lecture_product: ((0.3, 0.7), (0, 1)),
        tanh_layer: ((rng.normal(size=3), rng.normal(size=(2, 3))), (0, 1)),
        mlp: ((rng.normal(size=3), rng.normal(size=(4, 3)), rng.normal(size=4),
               rng.normal(size=(2, 4)), rng.normal(size=2)), (1, 2, 3, 4)),
        rnn: ((rng.normal(size=(5, 3)), 0.5 * rng.normal(size=(3, 3)), rng.normal(size=3)),
              (0, 1)),
        loop_with_branch: ((1.7, 6), 0),
        inplace_recurrence: ((rng.normal(size=6),), 0),
        logistic_regression: ((rng.normal(size=3), rng.normal(size=(8, 3)),
                               (rng.random(8) > 0.5).astype(float)), 0),
        gp_likelihood: ((0.2, rng.normal(size=(5, 2)), rng.normal(size=5)), 0),
        mds_stress: ((rng.normal(size=(4, 2)), rng.random((4, 4))), 0),
        huber: ((0.3, 1.0), 0),
        softmax_cross_entropy: ((rng.normal(size=(4, 3)), rng.normal(size=3), 2), 0),
    }


#: each function with arguments it is called with and the arguments it is differentiated by
FUNCTIONS = _arguments()


def _more_arguments():
    rng = np.random.default_rng(1)
    return {
        horner: ((rng.normal(size=5), 0.7), (0, 1)),
        newton_sqrt: ((2.0, 1e-12), 0),
        softplus_loss: ((rng.normal(size=3), rng.normal(size=(8, 3)),
                         np.sign(rng.normal(size=8))), 0),
        layer_norm: ((rng.normal(size=5), rng.normal(size=5), rng.normal(size=5),
                      rng.normal(size=5)), (0, 1, 2)),
        rosenbrock: ((rng.normal(size=4),), 0),
        euler_ode: ((rng.normal(size=3), 0.5, 0.1, 5), (0, 1)),
        masked_mean: ((rng.normal(size=6), 0.0), 0),
        attention: ((rng.normal(size=(3, 4)), rng.normal(size=(5, 4)),
                     rng.normal(size=(5, 2))), (0, 1, 2)),
    }


#: eight more, written as numeric code is written elsewhere: loops over items, a while loop
#: to a tolerance, losses, normalizations, a mask, attention
MORE_FUNCTIONS = _more_arguments()

#: the twenty functions the hand-written derivatives in ``expected/`` are written for
ALL_FUNCTIONS = {**FUNCTIONS, **MORE_FUNCTIONS}
