"""Helpers for the derivative rules of ``scipy.linalg``: structured solves (the triangle or
the kind of matrix a solver reads) and the factorizations ``cho_factor`` and ``lu_factor``
with the solves that use them.

These helpers take no SciPy function objects by import: the rule templates pass them in,
so this module keeps needing NumPy only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.linalg import col, mT, sym, uncol
from s2sad.runtime.located import located

_SYMMETRIC_KINDS = {"sym", "her", "pos", "pos def", "symmetric", "hermitian",
                    "positive definite"}
_GENERAL_KINDS = {None, "gen", "general"}


def is_transposed(trans: Any) -> bool:
    """Whether a LAPACK-style ``trans`` flag (0/1/2 or 'N'/'T'/'C') means transposed."""
    return trans in (1, 2, "T", "C", "t", "c")


def flip_trans(trans: Any) -> int:
    """The ``trans`` flag of the transposed solve (real matrices)."""
    return 0 if is_transposed(trans) else 1


def triangle(x: Any, lower: bool, unit_diagonal: bool = False) -> np.ndarray:
    """The triangle a triangular solver reads (without the diagonal if it is unit)."""
    x = np.asarray(x)
    if lower:
        return np.tril(x, -1 if unit_diagonal else 0)
    return np.triu(x, 1 if unit_diagonal else 0)


def structure(x: Any, assume_a: Any, lower: bool = False) -> np.ndarray:
    """Project a tangent or adjoint of ``a`` onto what ``scipy.linalg.solve``/``inv``
    with ``assume_a`` read: everything (general), the symmetric part (symmetric kinds,
    the symmetrized convention), the diagonal, a triangle or the three central diagonals.
    """
    x = np.asarray(x)
    if assume_a in _GENERAL_KINDS:
        return x
    if assume_a in _SYMMETRIC_KINDS:
        return sym(x)
    if assume_a == "diagonal":
        return np.tril(np.triu(x))
    if assume_a == "upper triangular":
        return np.triu(x)
    if assume_a == "lower triangular":
        return np.tril(x)
    if assume_a == "tridiagonal":
        return np.tril(np.triu(x, -1), 1)
    raise NotImplementedError(located(f"no derivative for assume_a={assume_a!r}"))


def outer_solution(b_bar: Any, x: Any, b: Any, transposed: bool) -> np.ndarray:
    """``-b_bar x^T`` (or its transpose): the adjoint of ``op(A)`` in ``op(A) x = b``."""
    result = -col(b_bar, b) @ mT(col(x, b))
    return mT(result) if transposed else result


def applied_tangent(a_dot: Any, x: Any, b: Any, transposed: bool) -> np.ndarray:
    """``op(dA) x``, as a right-hand side shaped like ``b``."""
    a_dot = np.asarray(a_dot)
    return uncol((mT(a_dot) if transposed else a_dot) @ col(x, b), b)


def cho_factor_keeps_a(c: Any, a: Any, lower: bool, overwrite_a: bool = False) -> bool:
    """Whether ``cho_factor``'s matrix ``c`` holds ``a``'s entries in the triangle the
    factor leaves unused (SciPy before 1.18; 1.18 with ``overwrite_a``) rather than zeros
    (SciPy 1.18). Read from ``c`` itself; where ``a`` has zeros there too, SciPy's choice
    for such a call is asked once.

    >>> a = np.array([[4.0, 2.0], [2.0, 3.0]])
    >>> cho_factor_keeps_a(np.array([[2.0, 1.0], [2.0, 1.41]]), a, False)
    True
    >>> cho_factor_keeps_a(np.array([[2.0, 1.0], [0.0, 1.41]]), a, False)
    False
    """
    other = (lambda x: np.triu(x, 1)) if lower else (lambda x: np.tril(x, -1))
    if np.any(other(np.asarray(c))):
        return True
    if a is not None and np.any(other(np.asarray(a))):
        return False
    return _scipy_keeps_a(bool(lower), bool(overwrite_a))


_KEEPS_A: dict[tuple[bool, bool], bool] = {}


def _scipy_keeps_a(lower: bool, overwrite_a: bool) -> bool:
    """SciPy's ``cho_factor`` on a small matrix: does the unused triangle keep ``a``?"""
    key = (lower, overwrite_a)
    if key not in _KEEPS_A:
        from scipy.linalg import cho_factor

        probe = np.array([[4.0, 2.0], [2.0, 3.0]])
        c = cho_factor(probe, lower=lower, overwrite_a=overwrite_a)[0]
        _KEEPS_A[key] = bool(c[0, 1] if lower else c[1, 0])
    return _KEEPS_A[key]


def _flag(lower: Any) -> bool:
    """``cho_factor``'s ``lower``: a bool, or (SciPy 1.18) an array of it per matrix."""
    return bool(np.ravel(lower)[0]) if np.ndim(lower) else bool(lower)


def cho_product_tangent(c_dot: Any, c: Any, lower: bool) -> np.ndarray:
    """``dA`` for ``A = L L^T`` (``U^T U``) along a tangent of the factor's triangle."""
    lower = _flag(lower)
    factor = triangle(c, lower)
    d_factor = triangle(c_dot, lower)
    if lower:
        return d_factor @ mT(factor) + factor @ mT(d_factor)
    return mT(d_factor) @ factor + mT(factor) @ d_factor


def cho_product_vjp(a_bar: Any, c: Any, lower: bool) -> np.ndarray:
    """Adjoint of the factor's triangle from that of ``A = L L^T`` (``U^T U``)."""
    lower = _flag(lower)
    factor = triangle(c, lower)
    both = np.asarray(a_bar) + mT(a_bar)
    return triangle(both @ factor if lower else factor @ both, lower)


def unit_lower(lu: Any) -> np.ndarray:
    """``L`` of ``lu_factor``'s packed factors: the strict lower triangle, ones on the
    diagonal."""
    lu = np.asarray(lu)
    return np.tril(lu, -1) + np.eye(lu.shape[-2], lu.shape[-1], dtype=lu.dtype)


def lu_permutation(lu: Any, piv: Any) -> np.ndarray:
    """The rows LAPACK's pivots exchange, in order: ``A[perm] = L @ U`` for ``lu_factor``'s
    packed factors ``lu``."""
    perm = np.arange(np.shape(lu)[-2])
    for i, j in enumerate(np.asarray(piv)):
        perm[i], perm[j] = perm[j], perm[i]
    return perm
