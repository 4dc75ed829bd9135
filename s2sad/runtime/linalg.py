"""Helpers for the derivative rules of ``np.linalg`` and ``scipy.linalg``: small matrix
utilities, the pieces the decompositions' rules are written with (each with rules of its
own, :mod:`s2sad.rules.linalg_helpers`, so those rules differentiate again), and the
adjoints of ``trace`` and ``diagonal``. ``lstsq``'s pseudo-inverse is in
``linalg_inverses``, QR's flags in ``linalg_decompositions``, ``multi_dot``'s derivatives in
``linalg_chains``.

Every helper works on stacks of matrices (the last two axes) unless it says otherwise,
and needs only NumPy. Conventions shared by the rules:

* Functions of a symmetric matrix (``cholesky``, ``eigh``, ``eigvalsh``) use the
  *symmetrized* convention: they are differentiated as functions of ``(A + A^T) / 2``.
  Tangents are symmetrized before use and adjoints are symmetric matrices. For a matrix
  built symmetric (``A = B @ B.T``) this gives the exact derivative whichever triangle
  the primal reads.
* Eigenvector and singular-vector derivatives divide by eigenvalue (squared singular
  value) gaps. Exactly repeated values that the tangent or the adjoint couples make them
  NaN (:func:`undefined_at_ties`: the mixing inside a degenerate subspace is undefined);
  repeated values nothing couples contribute nothing, nearly repeated values give large
  derivatives. Value-only first derivatives stay finite.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unreduce

# ---- small matrix utilities ---------------------------------------------------------


def mT(x: Any) -> np.ndarray:
    """Transpose of the last two axes (a stack of matrices).

    >>> mT(np.ones((4, 2, 3))).shape
    (4, 3, 2)
    """
    if type(x) is np.ndarray and x.ndim == 2:
        return x.T
    return np.swapaxes(np.asarray(x), -1, -2)


def sym(x: Any) -> np.ndarray:
    """The symmetric part ``(x + x^T) / 2`` of a stack of square matrices."""
    x = np.asarray(x)
    return (x + mT(x)) / 2


def sym_if(x: Any, symmetric: bool) -> np.ndarray:
    """``sym(x)`` for a function of a symmetric matrix (``hermitian=True``), else ``x``."""
    return sym(x) if symmetric else np.asarray(x)


def matrix_scale(g: Any) -> Any:
    """A per-matrix factor ``g`` (a scalar, or one per matrix of a stack) shaped to scale
    a stack of matrices. A scalar stays a scalar, so a Python float keeps float32 float32.
    """
    return g if np.ndim(g) == 0 else np.asarray(g)[..., None, None]


def times_unreduced(direction: Any, g: Any, x: Any, axis: Any = None,
                    keepdims: bool = False) -> Any:
    """``direction * g``, with ``g`` the adjoint of a reduction of ``x`` over ``axis``
    broadcast back to ``x``'s shape (a scalar ``g`` is used as is)."""
    if np.ndim(g) == 0:
        return direction * g
    return direction * unreduce(g, x, axis, keepdims)


def col(v: Any, b: Any) -> Any:
    """``v`` as a stack of one-column matrices when ``b`` is a vector (NumPy's rule for
    the right-hand side of ``solve``), unchanged otherwise."""
    if type(b) is np.ndarray:
        return v[..., None] if b.ndim == 1 and type(v) is np.ndarray else \
            np.asarray(v)[..., None] if b.ndim == 1 else v
    return np.asarray(v)[..., None] if np.ndim(b) == 1 else v


def uncol(v: Any, b: Any) -> Any:
    """Undo :func:`col`."""
    if type(b) is np.ndarray and type(v) is np.ndarray:
        return v[..., 0] if b.ndim == 1 else v
    return np.asarray(v)[..., 0] if np.ndim(b) == 1 else v


def diag_embed(d: Any) -> np.ndarray:
    """A stack of diagonal matrices with ``d`` (last axis) on the diagonal."""
    d = np.asarray(d)
    return d[..., None, :] * np.eye(d.shape[-1], dtype=d.dtype)


def gap_inverse(w: np.ndarray) -> np.ndarray:
    """``F[i, j] = 1 / (w[j] - w[i])``, and 0 where ``w[j] == w[i]`` (the diagonal too)."""
    diff = w[..., None, :] - w[..., :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(diff == 0, 0, 1 / np.where(diff == 0, 1, diff)).astype(w.dtype)


def lower_half(x: Any) -> np.ndarray:
    """The lower triangle of ``x`` with its diagonal halved (Cholesky's ``Phi``).

    >>> lower_half(np.ones((2, 2)))
    array([[0.5, 0. ],
           [1. , 0.5]])
    """
    x = np.asarray(x)
    n = x.shape[-1]
    return x * (np.tril(np.ones((n, n), dtype=x.dtype)) - 0.5 * np.eye(n, dtype=x.dtype))


def lower_onto_upper(x: Any) -> np.ndarray:
    """The upper triangle of ``x`` plus its strictly lower triangle transposed onto it
    (QR's ``C - Omega``: the upper triangular ``dR R^{-1}`` from ``C = Q^T dA R^{-1}``)."""
    x = np.asarray(x)
    return np.triu(x) + mT(np.tril(x, -1))


def copy_lower(x: Any) -> np.ndarray:
    """The lower triangle of ``x`` with its strictly lower part copied onto the upper one
    (a symmetric matrix)."""
    x = np.asarray(x)
    return np.tril(x) + mT(np.tril(x, -1))


def upper_block(a: Any, e: Any) -> np.ndarray:
    """The block matrix ``[[a, e], [0, a]]`` (stacks broadcast): a primary matrix function
    ``f`` of it is ``[[f(a), Df(a)[e]], [0, f(a)]]``."""
    a = np.asarray(a)
    e = np.asarray(e)
    n = a.shape[-1]
    shape = np.broadcast_shapes(a.shape, e.shape)
    block = np.zeros(shape[:-2] + (2 * n, 2 * n), dtype=np.result_type(a, e))
    block[..., :n, :n] = a
    block[..., n:, n:] = a
    block[..., :n, n:] = e
    return block


def upper_right(x: Any) -> np.ndarray:
    """The upper right quarter of a stack of ``2n x 2n`` matrices."""
    x = np.asarray(x)
    n = x.shape[-1] // 2
    return x[..., :n, n:]


def diagonal_blocks_sum(x: Any) -> np.ndarray:
    """The sum of the two diagonal quarters of a stack of ``2n x 2n`` matrices (the
    transpose of ``upper_block`` in ``a``)."""
    x = np.asarray(x)
    n = x.shape[-1] // 2
    return x[..., :n, :n] + x[..., n:, n:]


def first_columns(x: Any, values: Any) -> np.ndarray:
    """The first columns of ``x``, as many as ``values`` has entries on its last axis (the
    singular vectors that go with the singular values)."""
    return np.asarray(x)[..., : np.shape(values)[-1]]


def other_columns(x: Any, values: Any) -> np.ndarray:
    """The columns of ``x`` after :func:`first_columns` (a completed orthogonal basis's
    completing vectors; none for a reduced decomposition)."""
    return np.asarray(x)[..., np.shape(values)[-1]:]


def undefined_at_ties(w: Any, m: Any) -> np.ndarray:
    """Zeros, with NaN where two of the values ``w`` are exactly equal and ``m`` couples
    them (``m[i, j]`` or ``m[j, i]`` not negligible against ``m``'s largest entry).

    Added to ``gap_inverse(w) * m``: the eigenvectors' (singular vectors') derivative there,
    and with it the eigenvalues' second derivative, is not defined (a Hessian at a repeated
    eigenvalue needs divided differences no rule sees), so it is NaN rather than the value
    the dropped terms would leave. Where nothing couples tied values (eigenvalues alone, a
    direction that keeps them tied) it adds nothing.

    >>> undefined_at_ties(np.array([1.0, 1.0, 2.0]), np.ones((3, 3)))[0]
    array([ 0., nan,  0.])
    """
    w = np.asarray(w)
    m = np.asarray(m)
    n = w.shape[-1]
    tied = (w[..., None, :] == w[..., :, None]) & ~np.eye(n, dtype=bool)
    coupling = np.abs(m) + np.abs(mT(m))
    scale = np.max(coupling, axis=(-2, -1), keepdims=True)
    undefined = tied & (coupling > 1e-10 * scale)
    dtype = np.result_type(w.dtype, m.dtype, np.float32)
    return np.where(undefined, np.nan, 0).astype(dtype)


def zero_if_none(g: Any, like: Any) -> np.ndarray:
    """``g`` as an array, or zeros like ``like`` for a part without an adjoint (``None``)."""
    return np.zeros_like(like) if g is None else np.asarray(g)


def solve_right(x: Any, r: Any) -> np.ndarray:
    """``x @ inv(r)`` without forming the inverse."""
    return mT(np.linalg.solve(mT(r), mT(x)))


# ---- array-API style helpers ------------------------------------------------------------


def trace_adjoint(g: Any, x: Any, offset: int = 0) -> np.ndarray:
    """Adjoint of ``np.linalg.trace(x, offset=offset)``: ``g`` times that diagonal's mask."""
    rows, cols = np.shape(x)[-2:]
    mask = np.eye(rows, cols, offset, dtype=np.result_type(g, np.asarray(x).dtype))
    return matrix_scale(g) * mask


def diagonal_adjoint(g: Any, x: Any, offset: int = 0) -> np.ndarray:
    """Adjoint of ``np.linalg.diagonal(x, offset=offset)``: ``g`` placed on that diagonal."""
    g = np.asarray(g)
    out = np.zeros(np.shape(x), dtype=np.result_type(g.dtype, np.asarray(x).dtype))
    index = np.arange(g.shape[-1])
    out[..., index + max(-offset, 0), index + max(offset, 0)] = g
    return out
