"""Derivative rules for NumPy reductions and cumulative functions.

Every reduction takes ``axis`` (an int, a negative int, a tuple or None) and ``keepdims``;
``unreduce`` broadcasts an adjoint back over the reduced axes.

Conventions (see :mod:`s2sad.runtime.reductions`):

* max, min, amax, amin, nanmax, nanmin, ptp: when several elements tie for the extremum,
  the derivative is split equally among them (``d max([1, 3, 3]) = [0, 1/2, 1/2]``).
* ``where=`` masks give masked-out elements a zero derivative; the NaN-ignoring
  reductions treat NaN entries as masked out.
* prod, nanprod, cumprod: the derivative in an element is the product of the others,
  computed so that inputs containing zeros are handled exactly (no 0/0).
* std, nanstd: where the spread is zero (no derivative) the adjoint is taken as zero.
* median: the derivative goes to the middle element (1/2 to each of the two middle
  elements for an even count); ``overwrite_input=True`` is refused.
* the methods of ufuncs (``np.add.reduce``, ``np.maximum.accumulate``,
  ``np.logaddexp.reduce``, ``np.add.reduceat``, ``np.multiply.outer``, ...): their own
  defaults (``axis=0``); a running maximum splits ties as max does; ``out=`` is refused,
  and so is the method of a ufunc without rules here.

One module per family of functions; importing the package registers them all.
"""

from s2sad.rules.numpy_reductions import (  # noqa: F401  (imported for their registrations)
    differences,
    extrema,
    helpers,
    products,
    statistics,
    sums,
    ufunc_methods,
)
