"""Rules for ``scipy.special``'s reductions: ``logsumexp``, ``softmax``, ``log_softmax``."""

import numpy as np
from scipy.special import log_softmax, logsumexp, softmax

from s2sad.rules.registry import jvp_rule, vjp_rule
from s2sad.runtime import unbroadcast, unreduce
from s2sad.runtime.linalg import times_unreduced
from s2sad.runtime.reductions import total

# logsumexp's gradient is the softmax weight b * exp(a - logsumexp), which never overflows.


@vjp_rule(logsumexp, "a")
def logsumexp_a(g, ans, a, axis=None, b=None, keepdims=False):
    return times_unreduced(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * (1 if b is None else b),
        g, a, axis, keepdims,
    )


@vjp_rule(logsumexp, "b")
def logsumexp_b(g, ans, a, axis=None, b=None, keepdims=False):
    return unbroadcast(
        times_unreduced(np.exp(a - unreduce(ans, a, axis, keepdims)), g, a, axis, keepdims), b
    )


@jvp_rule(logsumexp, "a")
def logsumexp_a_dot(a_dot, ans, a, axis=None, b=None, keepdims=False):
    return np.sum(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * (1 if b is None else b) * a_dot,
        axis=axis,
        keepdims=keepdims,
    )


@jvp_rule(logsumexp, "b")
def logsumexp_b_dot(b_dot, ans, a, axis=None, b=None, keepdims=False):
    return np.sum(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * b_dot, axis=axis, keepdims=keepdims
    )


@vjp_rule(softmax)
def softmax_x(g, ans, x, axis=None):
    return ans * (g - total(g * ans, axis=axis, keepdims=True))


@jvp_rule(softmax)
def softmax_x_dot(x_dot, ans, x, axis=None):
    return ans * (x_dot - total(x_dot * ans, axis=axis, keepdims=True))


@vjp_rule(log_softmax)
def log_softmax_x(g, ans, x, axis=None):
    return g - np.exp(ans) * total(g, axis=axis, keepdims=True)


@jvp_rule(log_softmax)
def log_softmax_x_dot(x_dot, ans, x, axis=None):
    return x_dot - total(np.exp(ans) * x_dot, axis=axis, keepdims=True)
