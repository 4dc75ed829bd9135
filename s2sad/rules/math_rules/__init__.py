"""Derivative rules for Python's ``math`` module.

Each rule is a template: ``g`` (or ``x_dot``) is the incoming adjoint (or tangent),
``ans`` the primal result, then the primal's own parameters. The arguments are real
scalars, so the templates use ``math`` functions only.

Where the derivative is infinite (``sqrt`` or ``cbrt`` at 0, ``asin`` at 1, ...), Python
float arithmetic raises ``ZeroDivisionError`` or ``ValueError`` as the primal functions
do at their own singularities. Conventions at kinks: ``fabs`` and ``copysign`` have
subgradient 0 at 0, ``hypot`` and ``dist`` have subgradient 0 at the origin, and
``pow(x, y)`` has derivative 0 in ``y`` where ``x == 0`` and in ``x`` where ``y == 0``.
Functions returning integers or booleans, and the piecewise constant
``floor``/``ceil``/``trunc``/``ulp``, carry no derivative. ``frexp``, ``modf`` and
``nextafter`` have no rules.

One module per family of functions; importing the package registers them all.
"""

from s2sad.rules.math_rules import (  # noqa: F401  (imported for their registrations)
    elementary,
    helpers,
    sequences,
)
