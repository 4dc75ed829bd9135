"""Derivative rules for ``np.fft``.

Every transform is linear in its input (the real-input and Hermitian ones are linear over
the reals), so its JVP is the transform of the tangent. The VJP is the adjoint transform,
under the convention of :mod:`s2sad.runtime.fft`: the opposite-direction transform with
the dual normalization, cropped or zero-padded back to the input's shape, and reduced to
its real part for a real input. ``n``/``s``, ``axis``/``axes`` and ``norm`` are supported;
``out`` is not.
"""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.fft import (
    adjoint_fit,
    as_lengths,
    dual_norm,
    fft_axes,
    fit,
    full_lengths,
    irfft_adjoint,
    irfft_lengths,
    rfft_adjoint,
)

# ---- complex transforms -----------------------------------------------------------------


@vjp_rule(np.fft.fft)
def fft_a(g, ans, a, n=None, axis=-1, norm=None):
    return adjoint_fit(np.fft.ifft(g, axis=axis, norm=dual_norm(norm)), a, (axis,))


@vjp_rule(np.fft.ifft)
def ifft_a(g, ans, a, n=None, axis=-1, norm=None):
    return adjoint_fit(np.fft.fft(g, axis=axis, norm=dual_norm(norm)), a, (axis,))


@vjp_rule(np.fft.fft2)
def fft2_a(g, ans, a, s=None, axes=(-2, -1), norm=None):
    return adjoint_fit(np.fft.ifft2(g, axes=axes, norm=dual_norm(norm)), a, axes)


@vjp_rule(np.fft.ifft2)
def ifft2_a(g, ans, a, s=None, axes=(-2, -1), norm=None):
    return adjoint_fit(np.fft.fft2(g, axes=axes, norm=dual_norm(norm)), a, axes)


@vjp_rule(np.fft.fftn)
def fftn_a(g, ans, a, s=None, axes=None, norm=None):
    return adjoint_fit(
        np.fft.ifftn(g, axes=fft_axes(a, s, axes), norm=dual_norm(norm)), a, fft_axes(a, s, axes)
    )


@vjp_rule(np.fft.ifftn)
def ifftn_a(g, ans, a, s=None, axes=None, norm=None):
    return adjoint_fit(
        np.fft.fftn(g, axes=fft_axes(a, s, axes), norm=dual_norm(norm)), a, fft_axes(a, s, axes)
    )


linear(np.fft.fft, fft_a, "a")
linear(np.fft.ifft, ifft_a, "a")
linear(np.fft.fft2, fft2_a, "a")
linear(np.fft.ifft2, ifft2_a, "a")
linear(np.fft.fftn, fftn_a, "a")
linear(np.fft.ifftn, ifftn_a, "a")

# ---- real-input transforms and their inverses --------------------------------------------
# rfft keeps half the spectrum of a real signal; its adjoint zero-fills the other half.
# irfft reads a half spectrum standing for a Hermitian one; its adjoint doubles the
# entries that stand for two (all but the zero and Nyquist frequencies).


@vjp_rule(np.fft.rfft)
def rfft_a(g, ans, a, n=None, axis=-1, norm=None):
    return rfft_adjoint(g, a, full_lengths(a, as_lengths(n), (axis,)), (axis,), norm)


@vjp_rule(np.fft.irfft)
def irfft_a(g, ans, a, n=None, axis=-1, norm=None):
    return irfft_adjoint(g, a, irfft_lengths(a, as_lengths(n), (axis,)), (axis,), norm)


@vjp_rule(np.fft.rfft2)
def rfft2_a(g, ans, a, s=None, axes=(-2, -1), norm=None):
    return rfft_adjoint(g, a, full_lengths(a, s, axes), axes, norm)


@vjp_rule(np.fft.irfft2)
def irfft2_a(g, ans, a, s=None, axes=(-2, -1), norm=None):
    return irfft_adjoint(g, a, irfft_lengths(a, s, axes), axes, norm)


@vjp_rule(np.fft.rfftn)
def rfftn_a(g, ans, a, s=None, axes=None, norm=None):
    return rfft_adjoint(g, a, full_lengths(a, s, fft_axes(a, s, axes)), fft_axes(a, s, axes), norm)


@vjp_rule(np.fft.irfftn)
def irfftn_a(g, ans, a, s=None, axes=None, norm=None):
    return irfft_adjoint(
        g, a, irfft_lengths(a, s, fft_axes(a, s, axes)), fft_axes(a, s, axes), norm
    )


# hfft(a) = irfft(conj(a)) and ihfft(a) = conj(rfft(a)), each with the dual normalization;
# conjugation is its own adjoint under the real inner product.
@vjp_rule(np.fft.hfft)
def hfft_a(g, ans, a, n=None, axis=-1, norm=None):
    return np.conj(
        irfft_adjoint(g, a, irfft_lengths(a, as_lengths(n), (axis,)), (axis,), dual_norm(norm))
    )


@vjp_rule(np.fft.ihfft)
def ihfft_a(g, ans, a, n=None, axis=-1, norm=None):
    return rfft_adjoint(
        np.conj(g), a, full_lengths(a, as_lengths(n), (axis,)), (axis,), dual_norm(norm)
    )


linear(np.fft.rfft, rfft_a, "a")
linear(np.fft.irfft, irfft_a, "a")
linear(np.fft.rfft2, rfft2_a, "a")
linear(np.fft.irfft2, irfft2_a, "a")
linear(np.fft.rfftn, rfftn_a, "a")
linear(np.fft.irfftn, irfftn_a, "a")
linear(np.fft.hfft, hfft_a, "a")
linear(np.fft.ihfft, ihfft_a, "a")

# ---- shifts and frequencies ---------------------------------------------------------------


@vjp_rule(np.fft.fftshift)
def fftshift_x(g, ans, x, axes=None):
    return np.fft.ifftshift(g, axes)


@vjp_rule(np.fft.ifftshift)
def ifftshift_x(g, ans, x, axes=None):
    return np.fft.fftshift(g, axes)


linear(np.fft.fftshift, fftshift_x, "x")
linear(np.fft.ifftshift, ifftshift_x, "x")


# fftfreq(n, d) = k / (n d): differentiable in the sample spacing d.
@vjp_rule(np.fft.fftfreq, "d")
def fftfreq_d(g, ans, n, d=1.0):
    return -np.sum(g * ans) / d


@jvp_rule(np.fft.fftfreq, "d")
def fftfreq_d_dot(d_dot, ans, n, d=1.0):
    return -ans * (d_dot / d)


@vjp_rule(np.fft.rfftfreq, "d")
def rfftfreq_d(g, ans, n, d=1.0):
    return -np.sum(g * ans) / d


@jvp_rule(np.fft.rfftfreq, "d")
def rfftfreq_d_dot(d_dot, ans, n, d=1.0):
    return -ans * (d_dot / d)


# lengths, axes and normalizations the rules compute: no derivative
nondifferentiable(as_lengths, fft_axes, full_lengths, irfft_lengths, dual_norm)


# ---- the rules' helpers, differentiated again: each is (real-)linear in what it passes
# on, and its transpose is the transform or the cropping it is the adjoint of

@vjp_rule(fit, "x")
def fit_x(c, ans, x, like, axes):  # cropping and zero-padding: each the other's transpose
    return fit(c, x, axes)


@vjp_rule(adjoint_fit, "z")
def adjoint_fit_z(c, ans, z, a, axes):
    return fit(c, z, axes)


@vjp_rule(rfft_adjoint, "g")
def rfft_adjoint_g(c, ans, g, a, lengths, axes, norm):
    return np.fft.rfftn(c, s=lengths, axes=axes, norm=norm)


@vjp_rule(irfft_adjoint, "g")
def irfft_adjoint_g(c, ans, g, a, lengths, axes, norm):
    return np.fft.irfftn(c, s=lengths, axes=axes, norm=norm)


linear(fit, fit_x, "x")
constant(fit, fit_x, "like")
linear(adjoint_fit, adjoint_fit_z, "z")
constant(adjoint_fit, adjoint_fit_z, "a")
linear(rfft_adjoint, rfft_adjoint_g, "g")
constant(rfft_adjoint, rfft_adjoint_g, "a")
linear(irfft_adjoint, irfft_adjoint_g, "g")
constant(irfft_adjoint, irfft_adjoint_g, "a")
