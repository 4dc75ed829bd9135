"""Where the run-time helpers of each rule family are.

A rule that needs more than one expression calls a helper. Helpers run inside generated
code, which imports ``s2sad.runtime`` and nothing of the compiler, and they have rules of
their own (derivatives of derivatives), so they stay in ``s2sad/runtime/``, out of the
rule modules. Each family's own helpers are in the runtime modules :data:`OWN_HELPERS`
names for it (``numpy_fft``'s in ``fft``); it may call the helpers of other families'
modules listed in :data:`BORROWED_HELPERS` (an array method's rules call the helpers of
the NumPy function it is), and those of ``s2sad/runtime/core.py``, which all share
(``unbroadcast``, ``unreduce``, ``conj``, ``zeros_like``, ...). docs/rules.md lists both;
``tests/rules/test_helper_modules.py`` checks them against every template's calls.

>>> OWN_HELPERS["numpy_fft"]
('fft',)
"""

from __future__ import annotations

import types
from typing import Any

#: the runtime module every family may call
SHARED = "core"

#: family (a module or package of ``s2sad/rules/``) -> the modules or packages of
#: ``s2sad/runtime/`` holding its own helpers (none for the array methods, which stand for
#: NumPy functions, and for the rules of the helpers themselves)
OWN_HELPERS: dict[str, tuple[str, ...]] = {
    "builtin_rules": ("reductions",),
    "casts": ("shapes",),
    "helper_rules": (),
    "linalg_helpers": (),
    "math_rules": ("elementwise",),
    "ndarray_methods": (),
    "numpy_elementwise": ("elementwise",),
    "numpy_fft": ("fft",),
    "numpy_indexing": ("indexing",),
    "numpy_linalg": ("linalg", "linalg_chains", "linalg_decompositions", "linalg_inverses",
                     "norms", "rank_one"),
    "numpy_products": ("products",),
    "numpy_reductions": ("reductions",),
    "numpy_shapes": ("shapes",),
    "operators": ("elementwise",),
    "pairwise": ("pairwise",),
    "records": ("fields",),
    "runtime_rules": (),
    "scipy_linalg": ("scipy_factorizations",),
    "scipy_special": ("special",),
    "scipy_stats": ("stats",),
    "sequences": ("sequences",),
    "softmax": ("softmax",),
    "writes": ("writes",),
}

#: family -> the modules of other families whose helpers it calls too
BORROWED_HELPERS: dict[str, tuple[str, ...]] = {
    "helper_rules": ("pieces", "shapes", "special"),
    "linalg_helpers": ("linalg", "linalg_decompositions"),
    "math_rules": ("reductions",),
    "ndarray_methods": ("indexing", "products", "reductions", "shapes"),
    "numpy_elementwise": ("shapes",),
    "numpy_linalg": ("reductions",),
    "numpy_reductions": ("elementwise", "shapes"),
    "operators": ("products",),
    "runtime_rules": ("elementwise", "linalg", "norms", "reductions"),
    "scipy_linalg": ("linalg", "linalg_decompositions"),
    "scipy_special": ("linalg", "reductions"),
    "scipy_stats": ("linalg",),
    "softmax": ("reductions",),
}


def helpers_called(template: Any) -> dict[str, set[str]]:
    """The run-time helpers ``template`` calls (in nested functions too), by the module or
    package of ``s2sad/runtime/`` they are defined in.

    >>> from s2sad.rules import RULES
    >>> import numpy as np
    >>> found = helpers_called(RULES.find(np.fft.fft).vjps["a"].template)
    >>> {module: sorted(names) for module, names in found.items()}
    {'fft': ['adjoint_fit', 'dual_norm']}
    """
    found: dict[str, set[str]] = {}
    for name in sorted(_names(template.__code__)):
        value = template.__globals__.get(name)
        module = getattr(value, "__module__", None) or ""
        if callable(value) and module.startswith("s2sad.runtime."):
            found.setdefault(module.split(".")[2], set()).add(name)
    return found


def helpers_by_family(registry: Any) -> dict[str, dict[str, set[str]]]:
    """For each family, the helpers its templates in ``registry`` call, by runtime module
    (:data:`SHARED` included)."""
    found: dict[str, dict[str, set[str]]] = {}
    for rules in registry:
        for rule in [*rules.vjps.values(), *rules.jvps.values()]:
            family = family_of(rule.template)
            if family is None:
                continue
            for module, names in helpers_called(rule.template).items():
                found.setdefault(family, {}).setdefault(module, set()).update(names)
    return found


def _names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names(constant)
    return names


def family_of(template: Any) -> str | None:
    """The family declaring ``template`` (``s2sad.rules.math_rules.sequences`` is
    ``math_rules``), or None for a rule declared elsewhere (a user's)."""
    module = getattr(template, "__module__", None) or ""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["s2sad", "rules"] else None
