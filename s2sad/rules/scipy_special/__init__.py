"""Derivative rules for ``scipy.special``.

Imported lazily by the registry on the first lookup of a SciPy function (and never when
SciPy is missing). The functions are ufuncs with positional-only parameters, named here
as SciPy's documentation names them. Only the arguments listed have rules: for example
``gammainc(a, x)`` is differentiable in ``x`` only, the Bessel functions ``jv(v, z)`` in
``z`` only, and differentiating through the other argument is rejected by the compiler.
Two-argument rules sum their adjoints down to the argument's shape (``unbroadcast``).

One module per family of functions; importing the package registers them all.
"""

from s2sad.rules.scipy_special import (  # noqa: F401  (imported for their registrations)
    bessel,
    elementary,
    error_functions,
    gamma_functions,
    information,
    integrals,
    logistic,
    reductions,
    zeta_function,
)
