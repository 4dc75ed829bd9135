"""Derivative rules for the fused log-sum-exp and log-softmax (``s2sad/runtime/softmax.py``).

The fusion only takes shifts that line up with the reduction (all axes, or ``keepdims``),
so the output adjoint broadcasts against ``z``: the softmax ``exp(z - lse)`` is the
gradient of log-sum-exp, ``g - softmax * sum(g)`` the adjoint of log-softmax, and
``p * (g - sum(g * p))`` that of the softmax ``p`` itself.
"""

import numpy as np

from s2sad.rules.registry import jvp_rule, vjp_rule
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import total
from s2sad.runtime.softmax import log_softmax, logsumexp, softmax


@vjp_rule(logsumexp, "z")
def logsumexp_z(g, ans, z, axis=None, keepdims=False):
    return g * conj(np.exp(z - ans))


@jvp_rule(logsumexp, "z")
def logsumexp_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return total(z_dot * np.exp(z - ans), axis=axis, keepdims=keepdims)


@vjp_rule(log_softmax, "z")
def log_softmax_z(g, ans, z, axis=None, keepdims=False):
    return g - conj(np.exp(ans)) * total(g, axis=axis, keepdims=True)


@jvp_rule(log_softmax, "z")
def log_softmax_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return z_dot - total(np.exp(ans) * z_dot, axis=axis, keepdims=True)


@vjp_rule(softmax, "z")
def softmax_z(g, ans, z, axis=None, keepdims=False):
    return conj(ans) * (g - total(g * conj(ans), axis=axis, keepdims=True))


@jvp_rule(softmax, "z")
def softmax_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return ans * (z_dot - total(ans * z_dot, axis=axis, keepdims=True))
