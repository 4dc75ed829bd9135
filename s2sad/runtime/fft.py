"""Helpers for the derivative rules of ``np.fft``.

Complex outputs follow the adjoint convention of the rules: for a real loss ``L`` the
adjoint of a complex value is ``dL/dRe + i dL/dIm``, so that ``Re<g, J v> = Re<J^T g, v>``.
Under that convention the adjoint of a transform with normalization ``norm`` is the
opposite-direction transform with the *dual* normalization (unscaled <-> ``1/n``,
``ortho`` stays), the adjoint of cropping or zero-padding to ``n`` is zero-padding or
cropping back, and a real input keeps the real part of its complex adjoint.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import real_adjoint

_DUAL = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


def dual_norm(norm: Any) -> str:
    """The normalization whose opposite transform is the adjoint of one with ``norm``.

    >>> dual_norm(None), dual_norm("ortho")
    ('forward', 'ortho')
    """
    if norm not in _DUAL:
        raise ValueError(f"invalid norm {norm!r}")
    return _DUAL[norm]


def fit(x: Any, like: Any, axes: Any) -> np.ndarray:
    """``x`` cropped or zero-padded at the end of each of ``axes`` to ``like``'s lengths.

    >>> fit(np.arange(3.0), np.zeros(5), (0,))
    array([0., 1., 2., 0., 0.])
    """
    x = np.asarray(x)
    shape = np.shape(like)
    for axis in axes:
        axis %= x.ndim
        want, have = shape[axis], x.shape[axis]
        if have > want:
            index = [slice(None)] * x.ndim
            index[axis] = slice(0, want)
            x = x[tuple(index)]
        elif have < want:
            widths = [(0, 0)] * x.ndim
            widths[axis] = (0, want - have)
            x = np.pad(x, widths)
    return x


def real_like(z: Any, a: Any) -> Any:
    """``z``'s real part when the primal ``a`` is real: a real input's adjoint."""
    return z if np.iscomplexobj(a) else np.real(z)


def adjoint_fit(z: Any, a: Any, axes: Any) -> Any:
    """``real_like(fit(z, a, axes), a)``: the adjoint brought back to ``a``'s shape and kind."""
    return real_like(fit(z, a, axes), a)


def fft_axes(a: Any, s: Any = None, axes: Any = None) -> tuple:
    """The axes an ``fftn``-style call transforms: all, or the last ``len(s)``."""
    ndim = np.ndim(a)
    if axes is None:
        axes = range(ndim) if s is None else range(ndim - len(s), ndim)
    return tuple(axes)


def as_lengths(n: Any) -> tuple | None:
    """A one-axis transform's ``n`` as the ``s`` of the n-dimensional helpers."""
    return None if n is None else (n,)


def full_lengths(a: Any, s: Any, axes: tuple) -> tuple:
    """The real-signal lengths of an ``rfftn`` call: ``s``, or ``a``'s lengths."""
    return tuple(s) if s is not None else tuple(np.shape(a)[axis] for axis in axes)


def irfft_lengths(a: Any, s: Any, axes: tuple) -> tuple:
    """The output lengths of an ``irfftn`` call: ``s``, or ``2 (m - 1)`` on the last axis."""
    if s is not None:
        return tuple(s)
    shape = np.shape(a)
    return tuple(shape[axis] for axis in axes[:-1]) + (2 * (shape[axes[-1]] - 1),)


def irfft_adjoint(g: Any, a: Any, lengths: tuple, axes: tuple, norm: Any) -> Any:
    """Adjoint of ``irfftn(a, s=lengths, axes=axes, norm=norm)`` (``irfft`` for one axis).

    The half spectrum stands for a Hermitian full one: the entries other than the zero
    frequency and (for an even length) the Nyquist frequency appear twice, so their
    adjoints are the forward transform's doubled. The result is real, so only the real
    part of ``g`` is its adjoint.
    """
    z = np.fft.rfftn(real_adjoint(g), axes=axes, norm=dual_norm(norm))
    last = lengths[-1]
    weights = np.full(z.shape[axes[-1]], 2.0, dtype=z.real.dtype)
    weights[0] = 1.0
    if last % 2 == 0:
        weights[-1] = 1.0
    shape = [1] * z.ndim
    shape[axes[-1]] = weights.size
    return adjoint_fit(z * weights.reshape(shape), a, axes)


def rfft_adjoint(g: Any, a: Any, lengths: tuple, axes: tuple, norm: Any) -> Any:
    """Adjoint of ``rfftn(a, s=lengths, axes=axes, norm=norm)`` (``rfft`` for one axis):
    zero-fill the missing half of the spectrum, transform back, keep the real part."""
    z = np.fft.ifftn(g, s=lengths, axes=axes, norm=dual_norm(norm))
    return np.real(fit(z, a, axes))
