"""Derivative rules for the fused log-sum-exp and log-softmax (``s2sad/runtime/softmax.py``).

The fusion only takes shifts that line up with the reduction (all axes, or ``keepdims``),
so the output adjoint broadcasts against ``z``: the softmax ``q`` is the gradient of
log-sum-exp, ``g - q * sum(g)`` the adjoint of log-softmax, and ``p * g - q * sum(g * p)``
that of the softmax ``p = exp(z - lse)`` itself. ``q`` is computed from the shifted values
(``softmax_weights``), as differentiating the expressions as written does: ``exp(z - lse)``
or ``exp(log_softmax)`` would carry the rounding of ``lse``, whose size grows with ``z``'s.
"""


from s2sad.rules.registry import constant, jvp_rule, vjp_rule
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import total
from s2sad.runtime.softmax import log_softmax, logsumexp, softmax, softmax_weights


@vjp_rule(logsumexp, "z")
def logsumexp_z(g, ans, z, axis=None, keepdims=False):
    return g * conj(softmax_weights(z, ans, axis, keepdims))


@jvp_rule(logsumexp, "z")
def logsumexp_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return total(z_dot * softmax_weights(z, ans, axis, keepdims), axis=axis, keepdims=keepdims)


@vjp_rule(log_softmax, "z")
def log_softmax_z(g, ans, z, axis=None, keepdims=False):
    return g - conj(softmax_weights(z, None, axis, keepdims)) * total(g, axis=axis, keepdims=True)


@jvp_rule(log_softmax, "z")
def log_softmax_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return z_dot - total(softmax_weights(z, None, axis, keepdims) * z_dot, axis=axis, keepdims=True)


@vjp_rule(softmax, "z")
def softmax_z(g, ans, z, axis=None, keepdims=False):
    return conj(ans) * g - conj(softmax_weights(z, None, axis, keepdims)) * total(
        g * conj(ans), axis=axis, keepdims=True)


@jvp_rule(softmax, "z")
def softmax_z_dot(z_dot, ans, z, axis=None, keepdims=False):
    return ans * (z_dot - total(softmax_weights(z, None, axis, keepdims) * z_dot, axis=axis,
                                keepdims=True))


# the softmax q itself (second derivatives): q * (g - sum(g * q))
@vjp_rule(softmax_weights, "z")
def softmax_weights_z(g, ans, z, lse=None, axis=None, keepdims=False):
    return conj(ans) * (g - total(g * conj(ans), axis=axis, keepdims=True))


@jvp_rule(softmax_weights, "z")
def softmax_weights_z_dot(z_dot, ans, z, lse=None, axis=None, keepdims=False):
    return ans * (z_dot - total(ans * z_dot, axis=axis, keepdims=True))


constant(softmax_weights, softmax_weights_z, "lse")  # only chooses how q is computed
