"""Real values made from complex ones: their adjoints are real.

Gradients of real scalars of complex arrays follow ``g = dL/dRe + i dL/dIm``; each is
checked against central differences in the real and the imaginary direction of every
element, and forward mode (complex tangents) against the directional difference.
"""

import numpy as np
import pytest

import s2sad

RNG = np.random.default_rng(7)
Z = RNG.normal(size=4) + 1j * RNG.normal(size=4)
W = RNG.normal(size=4) + 1j * RNG.normal(size=4)
X = RNG.normal(size=4)


def _partial(f, args, position, index, step):
    def at(h):
        moved = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
        if isinstance(moved[position], np.ndarray):
            moved[position][index] += h
        else:
            moved[position] = moved[position] + h
        return f(*moved)

    return (at(step) - at(-step)) / (2 * abs(step))


def numeric_gradient(f, args, position, eps=1e-6):
    """dL/dRe + i dL/dIm by central differences (dL/dx for a real argument)."""
    x = args[position]
    complex_valued = np.iscomplexobj(x)
    grad = np.zeros(np.shape(x), complex if complex_valued else float)
    for index in np.ndindex(np.shape(x)):
        grad[index] = _partial(f, args, position, index, eps)
        if complex_valued:
            grad[index] += 1j * _partial(f, args, position, index, 1j * eps)
    return grad if np.ndim(x) else grad[()]


def check(f, *args, rtol=1e-6, atol=1e-8):
    """Reverse mode against the numeric gradient of every argument, forward mode
    against the directional difference along complex (or real) tangents."""
    wrt = tuple(range(len(args)))
    grads = s2sad.grad(f, wrt=wrt)(*args)
    for position, g in enumerate(grads):
        expected = numeric_gradient(f, args, position)
        if not np.iscomplexobj(args[position]):
            assert not np.iscomplexobj(g), "the gradient of a real argument must be real"
        np.testing.assert_allclose(g, expected, rtol=rtol, atol=atol)
    rng = np.random.default_rng(3)
    tangents = []
    for a in args:
        t = rng.normal(size=np.shape(a))
        if np.iscomplexobj(a):
            t = t + 1j * rng.normal(size=np.shape(a))
        tangents.append(t if np.ndim(a) else t.item())
    value, value_dot = s2sad.jvp(f, args, tangents)
    eps = 1e-6
    plus = f(*[a + eps * t for a, t in zip(args, tangents)])
    minus = f(*[a - eps * t for a, t in zip(args, tangents)])
    np.testing.assert_allclose(value_dot, (plus - minus) / (2 * eps), rtol=rtol, atol=atol)
    # the dot-product identity: Re <g, v> is the directional derivative
    directional = sum(np.real(np.vdot(g, t)) for g, t in zip(grads, tangents))
    np.testing.assert_allclose(directional, value_dot, rtol=rtol, atol=atol)


def real_times_complex(z):
    return np.sum(np.real(1j * np.real(z) * z))


def imag_times_complex(z):
    return np.sum(np.imag(np.imag(z) * z * (1 + 2j)))


def abs_times_complex(z):
    return np.sum(np.real((1 - 1j) * np.abs(z) * z))


def builtin_abs_times_complex(z):
    return np.sum(np.imag(abs(z) * z))


def absolute_squared_times_complex(z):
    return np.sum(np.real(np.absolute(z) ** 2 * z * 1j))


def attribute_real(z):
    return np.sum((z.real * z).imag)


def attribute_imag(z):
    return np.sum(np.real(z.imag * z * 1j))


def angle_of(z):
    return np.sum(np.angle(z) * np.abs(z))


def angle_times_complex(z):
    return np.sum(np.real(np.exp(1j * np.angle(z)) * z))


def phase_of_real(z):
    phi = np.real(z)
    return np.sum(np.abs(np.exp(1j * phi) + z) ** 2)


def vdot_of_real(z, w):
    return np.real(np.vdot(np.abs(z) * w, z))


def fft_of_abs(z):
    return np.sum(np.abs(np.fft.fft(np.abs(z) * z)) ** 2)


def ifft_of_real(z):
    return np.sum(np.real(np.fft.ifft(np.real(z) * 1j) * z))


def irfft_of_complex(z):
    y = np.fft.irfft(z * np.abs(z), n=6)
    return np.sum(np.real(1j * y * z[0]))


def real_parameter(x, z):
    return np.sum(np.abs(np.exp(1j * x) * z + x) ** 2)


def real_parameter_through_real_part(x, z):
    r = np.real(z) * x
    return np.sum(np.imag(1j * r * z))


def scalar_complex(z):
    return (abs(z) * z * 1j).real


def split_step(u, k):
    dt = 0.05
    for _ in range(3):
        u = np.fft.ifft(np.exp(-1j * k**2 * dt / 2) * np.fft.fft(u))
        u = u * np.exp(1j * np.abs(u) ** 2 * dt)
    return np.sum(np.abs(u) ** 2 * np.arange(u.shape[0]))


CASES = [
    real_times_complex,
    imag_times_complex,
    abs_times_complex,
    builtin_abs_times_complex,
    absolute_squared_times_complex,
    attribute_real,
    attribute_imag,
    angle_of,
    angle_times_complex,
    phase_of_real,
    fft_of_abs,
    ifft_of_real,
    irfft_of_complex,
]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_real_values_of_complex_arrays(f):
    check(f, Z.copy())


def test_the_documented_example():
    # d/dRe and d/dIm of Re(i Re(z) z) = -Re(z) Im(z) at 1 + 2i
    g = s2sad.grad(real_times_complex)(np.array([1 + 2j]))
    np.testing.assert_allclose(g, [-2 - 1j], rtol=1e-12)


def test_vdot():
    check(vdot_of_real, Z.copy(), W.copy())


@pytest.mark.parametrize("f", [real_parameter, real_parameter_through_real_part],
                         ids=lambda f: f.__name__)
def test_real_parameters_with_complex_intermediates(f):
    check(f, X.copy(), Z.copy())


def test_complex_scalar():
    check(scalar_complex, 0.3 - 1.2j)


def test_split_step_schroedinger():
    n = 8
    x = np.linspace(-2, 2, n, endpoint=False)
    u = (1 + 0.3j * x) * np.exp(-x**2)
    k = 2 * np.pi * np.fft.fftfreq(n, d=4 / n)
    check(split_step, u, k, rtol=1e-5)


def _norm_of(order):
    def norm_mixed(z):
        n = np.linalg.norm(z, ord=order)
        return n + np.real(n * z.ravel()[0] * 1j)

    return norm_mixed


M = Z[:, None] * W[None, :3] + np.eye(4, 3)


@pytest.mark.parametrize("order", [None, 1, 2, np.inf, 3])
def test_vector_norms_of_complex_vectors(order):
    check(_norm_of(order), Z.copy())


@pytest.mark.parametrize("order", [None, "fro", "nuc", 2, 1, np.inf])
def test_matrix_norms_of_complex_matrices(order):
    check(_norm_of(order), M.copy())


def test_real_item_of_complex_array():
    # a NumPy complex scalar taken out of an array keeps its imaginary adjoint
    def f(z, x):
        return np.sum(np.real(1j * x * z[1]))

    check(f, Z.copy(), X.copy())


def mixed_for_hessian(x):
    z = np.exp(1j * x) * (1 + 0.5j) + x
    return np.sum(np.abs(z) ** 2 * np.real(z)) + np.imag(np.sum(z * np.real(z)))


def test_hessian_with_complex_intermediates():
    x = X[:3].copy()
    hessian = s2sad.hessian(mixed_for_hessian)(x)
    grad = s2sad.grad(mixed_for_hessian)
    expected = np.stack([numeric_gradient(lambda v, i=i: grad(v)[i], [x], 0) for i in range(3)])
    np.testing.assert_allclose(hessian, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(grad(x), numeric_gradient(mixed_for_hessian, [x], 0), rtol=1e-7)


def _squared_norm_of_rotated(order, matrix):
    def squared_norm(x):
        z = np.exp(1j * x) * (1 + 0.5j) + x
        if matrix:
            z = np.reshape(z, (2, 2))
        return np.linalg.norm(z, ord=order) ** 2

    return squared_norm


@pytest.mark.parametrize("order, matrix", [(1, False), (np.inf, False), (None, False),
                                           (1, True), (np.inf, True), ("fro", True)])
def test_second_derivatives_of_norms_of_complex_values(order, matrix):
    # the unit z / |z| of the 1- and max-norms turns with z: not a zero second derivative
    f = _squared_norm_of_rotated(order, matrix)
    x = X.copy()
    grad = s2sad.grad(f)
    expected = np.stack([numeric_gradient(lambda v, i=i: grad(v)[i], [x], 0)
                         for i in range(x.size)])
    np.testing.assert_allclose(s2sad.hessian(f)(x), expected, rtol=1e-6, atol=1e-7)


def test_second_derivatives_of_complex_p_norms_are_refused():
    with pytest.raises(NotImplementedError, match="complex 3-norm"):
        s2sad.hessian(_squared_norm_of_rotated(3, False))(X.copy())


def rotated_parts(x):
    w = np.exp(1j * x) * Z[:3] + x
    return np.abs(w) ** 2 + np.real(1j * np.real(w) * w) + np.angle(w) + np.linalg.norm(w)


def test_jacobians_of_real_parts_in_both_modes():
    x = X[:3].copy()
    eps = 1e-6
    expected = np.stack([(rotated_parts(x + eps * e) - rotated_parts(x - eps * e)) / (2 * eps)
                         for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(s2sad.jacfwd(rotated_parts)(x), expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(s2sad.jacrev(rotated_parts)(x), expected, rtol=1e-6, atol=1e-8)
