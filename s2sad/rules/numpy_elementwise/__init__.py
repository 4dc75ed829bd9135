"""Derivative rules for NumPy's elementwise functions (ufuncs and a few relatives).

Binary functions broadcast: an adjoint is summed back to its argument's shape with
``unbroadcast`` and a tangent contribution is broadcast to the result's shape.

Complex arguments follow the convention ``g = dL/dRe + i dL/dIm``: for a holomorphic
function the adjoint is ``g * conj(f'(x))`` (``conj`` is free for real values), and the
tangent ``f'(x) * x_dot``. ``abs``, ``real``, ``imag`` and ``conj`` have their own
(non-holomorphic) rules; the other functions here are real-only, as in NumPy.

Conventions at points where the derivative does not exist:

* ``maximum``, ``minimum``, ``fmax``, ``fmin``: on an exact tie each argument gets half
  the gradient (so ``maximum(x, x)`` has derivative 1 in ``x``). A NaN argument of
  ``maximum``/``minimum`` gets a NaN derivative (the value is NaN), the other 0;
  ``fmax``/``fmin`` pass the whole gradient to the non-NaN argument when the other is
  NaN, and NaN to both when both are.
* ``clip(a, a_min, a_max)``: ties go to ``a``; ``a_min`` gets the gradient where
  ``a < a_min``, ``a_max`` where ``a > a_max`` (everywhere, if ``a_min > a_max``).
* ``abs``, ``absolute``, ``fabs``, ``copysign`` in ``x1``: subgradient 0 at 0, like
  ``np.sign``; ``hypot`` has subgradient 0 at the origin.
* ``power``/``float_power``: derivative 0 in the exponent where the base is 0, and 0
  in the base where the exponent is 0 (``x ** 0`` is constant, also at ``x == 0``).
* ``nan_to_num``: derivative 1 where ``x`` is finite, 0 where it was replaced.
* ``sqrt``, ``cbrt``, ``arcsin``, ... at their singular points give inf (with NumPy's
  warning), as NumPy's own arithmetic does.
* ``fmod``: derivative 1 in ``x1`` and ``-trunc(x1 / x2)`` in ``x2`` between jumps;
  ``remainder`` (``mod``, ``%``) the same with ``floor``.
  ``copysign`` has derivative 0 in ``x2``.

One module per family of functions; importing the package registers them all.
"""

from s2sad.rules.numpy_elementwise import (  # noqa: F401  (imported for their registrations)
    arithmetic,
    complex_parts,
    exponentials,
    interpolation,
    magnitudes,
    selection,
    trigonometric,
)
