"""Derivative rules, one module per family, all registered in :data:`RULES`.

Importing this package registers every built-in rule. SciPy's rules are registered
only when SciPy is installed, and only when first needed.
"""

from s2sad.rules.registry import (
    RULES,
    Rule,
    RuleRegistry,
    RuleSet,
    jvp_rule,
    linear,
    nondifferentiable,
    vjp_rule,
)

# Importing a family module registers its rules; operators first: NumPy's arithmetic
# ufuncs share their rules.
from s2sad.rules import operators  # noqa: E402,F401  (imported for its registrations)
from s2sad.rules import (  # noqa: E402,F401  (imported for their registrations)
    builtin_rules,
    casts,
    helper_rules,
    linalg_helpers,
    math_rules,
    ndarray_methods,
    nondiff,
    numpy_elementwise,
    numpy_fft,
    numpy_indexing,
    numpy_linalg,
    numpy_products,
    numpy_reductions,
    numpy_shapes,
    pairwise,
    records,
    runtime_rules,
    sequences,
    softmax,
    writes,
)

__all__ = [
    "RULES",
    "Rule",
    "RuleRegistry",
    "RuleSet",
    "jvp_rule",
    "linear",
    "nondifferentiable",
    "vjp_rule",
]
