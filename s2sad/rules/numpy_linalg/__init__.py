"""Derivative rules for ``np.linalg``.

Closed forms throughout, each rule one expression of NumPy functions and of helpers that
have rules of their own (:mod:`s2sad.rules.linalg_helpers`), so every derivative is
differentiated again like any other code: second and higher derivatives of Cholesky,
``eigh``, the SVD, QR, ``pinv``, ``lstsq`` and matrix powers. The helpers and shared
conventions are in :mod:`s2sad.runtime.linalg` (``rank_pinv`` in ``linalg_inverses``,
QR's flags in ``linalg_decompositions``, ``multi_dot``'s in ``linalg_chains``), the norms'
in :mod:`s2sad.runtime.norms`:

* ``cholesky``, ``eigh`` and ``eigvalsh`` are differentiated as functions of the
  symmetric part ``(A + A^T) / 2`` (NumPy reads one triangle only): tangents are
  symmetrized, adjoints are symmetric matrices.
* ``eigh`` / ``svd`` vector derivatives are undefined at repeated eigenvalues (singular
  values). Exactly equal ones that the direction (or the vectors' adjoint) couples give NaN
  vector derivatives, and so NaN second derivatives of the values: a Hessian there needs
  divided differences no rule sees. Equal values nothing couples (eigenvalues alone at first
  order, a direction that keeps them equal) give numbers; nearly equal ones large values.
* ``svd(full_matrices=True)`` and ``qr(mode='complete')`` of a non-square matrix complete
  an orthogonal basis that the matrix does not determine: the completing vectors get the
  tangent that does not rotate the completion within itself. Anything that does not
  depend on the choice of that basis (the first columns, projectors) is differentiated
  exactly. ``qr`` supports modes 'reduced', 'complete' and 'r', and needs an invertible
  leading block of ``R``.
* ``lstsq`` and ``pinv`` assume the numerical rank does not change under perturbation (to
  every order: at a rank-deficient matrix the derivatives are those along the matrices of
  the same rank).
* ``multi_dot``'s helpers have no rules yet: its second derivatives are refused.
* Norms have zero gradient at zero, and ties of a max/min norm share the gradient.

Every rule works on stacks of matrices where NumPy does. One module per family of
functions; importing the package registers them all.
"""

from s2sad.rules.numpy_linalg import (  # noqa: F401  (imported for their registrations)
    decompositions,
    helpers,
    least_squares,
    norms,
    products,
    solves,
)
