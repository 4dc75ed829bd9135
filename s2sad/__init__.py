"""s2sad: source-to-source automatic differentiation for Python and NumPy.

Reads a function's source and emits readable Python for its derivatives: the tangent
(forward mode) and the adjoint (reverse mode).
"""

from s2sad.api import (
    grad,
    jvp,
    source,
    tape_size,
    value_and_grad,
    vjp,
)
from s2sad.checkpointing import checkpoint, checkpointed
from s2sad.custom import (
    custom_jvp,
    custom_vjp,
    nondifferentiable,
    register_jvp,
    register_vjp,
    stop_gradient,
)
from s2sad.jacobians import hessian, hvp, jacfwd, jacrev
from s2sad.lecture import graph, trace
from s2sad.pipeline import clear_cache
from s2sad.version import VERSION as __version__

__all__ = [
    "__version__", "checkpoint", "checkpointed", "clear_cache", "custom_jvp", "custom_vjp",
    "grad", "graph", "hessian", "hvp", "jacfwd", "jacrev", "jvp", "nondifferentiable",
    "register_jvp", "register_vjp", "source", "stop_gradient", "tape_size", "trace",
    "value_and_grad", "vjp",
]
