"""The linear-algebra and FFT rules against textbook closed forms and edge cases.

The spec table checks every rule against finite differences; these tests pin down the
formulas themselves (gradient of a solve, singular values, determinants, Parseval), the
documented conventions (symmetric adjoints, zero gradient of a norm at zero) and what the
table cannot express (the LU factor of ``lu_solve``).
"""

import numpy as np
import pytest

from s2sad.rules import RULES
from s2sad.testing import check_rule

rng = np.random.default_rng(1234)


def vjp(function, argument, g, *args, **kwargs):
    ans = function(*args, **kwargs)
    return RULES.vjp_rule(function, argument).template(g, ans, *args, **kwargs)


def jvp(function, argument, tangent, *args, **kwargs):
    ans = function(*args, **kwargs)
    return RULES.jvp_rule(function, argument).template(tangent, ans, *args, **kwargs)


def well_conditioned(n):
    return rng.standard_normal((n, n)) + 3 * np.eye(n)


def spd(n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


# ---- solve, inv, det ---------------------------------------------------------------------


def test_grad_of_squared_solution_norm():
    """L = sum(solve(A, b)**2): dL/db = A^{-T} g and dL/dA = -A^{-T} g x^T with g = 2x."""
    a, b = well_conditioned(4), rng.standard_normal(4)
    x = np.linalg.solve(a, b)
    g = 2 * x
    expected_b = np.linalg.inv(a).T @ g
    np.testing.assert_allclose(vjp(np.linalg.solve, "b", g, a, b), expected_b)
    np.testing.assert_allclose(vjp(np.linalg.solve, "a", g, a, b), -np.outer(expected_b, x))


def test_solve_matrix_rhs_batched():
    a, b = np.stack([well_conditioned(3), well_conditioned(3)]), rng.standard_normal((2, 3, 2))
    x = np.linalg.solve(a, b)
    g = rng.standard_normal(x.shape)
    b_bar = np.linalg.solve(np.swapaxes(a, -1, -2), g)
    np.testing.assert_allclose(vjp(np.linalg.solve, "a", g, a, b), -b_bar @ np.swapaxes(x, -1, -2))


def test_det_and_slogdet_gradients():
    a = well_conditioned(3)
    expected = np.linalg.det(a) * np.linalg.inv(a).T
    np.testing.assert_allclose(vjp(np.linalg.det, "a", 1.0, a), expected)
    g = (np.float64(0.0), np.float64(1.0))
    np.testing.assert_allclose(vjp(np.linalg.slogdet, "a", g, a), np.linalg.inv(a).T)


def test_inv_gradient_of_trace():
    a = well_conditioned(3)
    inverse = np.linalg.inv(a)
    np.testing.assert_allclose(vjp(np.linalg.inv, "a", np.eye(3), a), -(inverse @ inverse).T)


def test_float32_stays_float32():
    a = well_conditioned(3).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    x = np.linalg.solve(a, b)
    assert vjp(np.linalg.solve, "a", np.ones_like(x), a, b).dtype == np.float32
    assert vjp(np.linalg.inv, "a", np.ones_like(a), a).dtype == np.float32
    assert jvp(np.linalg.cholesky, "a", np.eye(3, dtype=np.float32), a @ a.T).dtype == np.float32
    assert vjp(np.fft.rfft, "a", np.fft.rfft(b), b).dtype == np.float32


# ---- decompositions ------------------------------------------------------------------------


def test_singular_values_adjoint_is_u_diag_v():
    a = rng.standard_normal((5, 3))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    g = rng.standard_normal(3)
    expected = u @ np.diag(g) @ vh
    np.testing.assert_allclose(vjp(np.linalg.svd, "a", g, a, compute_uv=False), expected)
    np.testing.assert_allclose(vjp(np.linalg.svdvals, "x", g, a), expected)
    outputs = np.linalg.svd(a, full_matrices=False)
    zeros = (np.zeros_like(outputs[0]), g, np.zeros_like(outputs[2]))
    np.testing.assert_allclose(vjp(np.linalg.svd, "a", zeros, a, full_matrices=False), expected)


def _check_complete_basis(function, a, kwargs, position, k):
    """Rules of a decomposition that completes an orthogonal basis (svd with
    full_matrices=True, qr with mode='complete') of a non-square matrix.

    Output ``position`` holds the completed basis (columns, or rows for ``Vh``) whose
    first ``k`` vectors are unique and the rest are not. Finite differences check every
    unique part and the projector onto the completion (independent of its basis); the
    dot-product identity checks the VJP against the JVP on all outputs."""
    eps = 1e-6
    direction = rng.standard_normal(a.shape)
    ans = function(a, **kwargs)
    plus, minus = function(a + eps * direction, **kwargs), function(a - eps * direction, **kwargs)
    tangent = jvp(function, "a", direction, a, **kwargs)
    rows = position == 2

    def split(basis):
        return (basis[:k], basis[k:]) if rows else (basis[:, :k], basis[:, k:])

    for i, (t, p, m) in enumerate(zip(tangent, plus, minus)):
        by_differences = (p - m) / (2 * eps)
        if i == position:
            t, by_differences = split(t)[0], split(by_differences)[0]
        np.testing.assert_allclose(t, by_differences, rtol=1e-5, atol=1e-6)

    part, d_part = split(ans[position])[1], split(tangent[position])[1]
    if rows:
        d_projector = d_part.T @ part + part.T @ d_part
        expected = (split(plus[2])[1].T @ split(plus[2])[1]
                    - split(minus[2])[1].T @ split(minus[2])[1]) / (2 * eps)
    else:
        d_projector = d_part @ part.T + part @ d_part.T
        expected = (split(plus[0])[1] @ split(plus[0])[1].T
                    - split(minus[0])[1] @ split(minus[0])[1].T) / (2 * eps)
    np.testing.assert_allclose(d_projector, expected, rtol=1e-5, atol=1e-6)

    g = tuple(rng.standard_normal(np.shape(t)) for t in ans)
    lhs = sum(np.sum(u * v) for u, v in zip(g, tangent))
    rhs = np.sum(vjp(function, "a", g, a, **kwargs) * direction)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)])
def test_svd_full_matrices_of_non_square(shape):
    position = 0 if shape[0] > shape[1] else 2
    _check_complete_basis(np.linalg.svd, rng.standard_normal(shape), {}, position, min(shape))


def test_qr_complete_of_tall_matrix():
    _check_complete_basis(np.linalg.qr, rng.standard_normal((5, 3)), {"mode": "complete"}, 0, 3)


def test_nuclear_norm_gradient_is_u_vt():
    a = rng.standard_normal((3, 4))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(vjp(np.linalg.norm, "x", 1.0, a, "nuc"), u @ vh)


def test_logdet_through_cholesky():
    """2 sum(log diag L) = log det A, whose gradient is A^{-1} (symmetric)."""
    a = spd(4)
    factor = np.linalg.cholesky(a)
    g = np.diag(2 / np.diag(factor))
    np.testing.assert_allclose(vjp(np.linalg.cholesky, "a", g, a), np.linalg.inv(a), atol=1e-12)


def test_eigh_adjoints_are_symmetric_and_match_trace_forms():
    a = spd(4)
    w, v = np.linalg.eigh(a)
    g_w = rng.standard_normal(4)
    adjoint = vjp(np.linalg.eigh, "a", (g_w, rng.standard_normal((4, 4))), a)
    np.testing.assert_allclose(adjoint, adjoint.T)
    # sum of eigenvalues = trace: adjoint identity; of eigvalsh: V diag(g) V^T
    np.testing.assert_allclose(vjp(np.linalg.eigvalsh, "a", np.ones(4), a), np.eye(4), atol=1e-12)
    np.testing.assert_allclose(vjp(np.linalg.eigvalsh, "a", g_w, a), v @ np.diag(g_w) @ v.T)


def test_eigh_repeated_eigenvalues_give_finite_eigenvalue_gradients():
    a = np.eye(3)
    zeros = np.zeros((3, 3))
    adjoint = vjp(np.linalg.eigh, "a", (np.ones(3), zeros), a)
    np.testing.assert_allclose(adjoint, np.eye(3), atol=1e-12)
    dw, dv = jvp(np.linalg.eigh, "a", np.diag([1.0, 2.0, 3.0]), a)
    assert np.all(np.isfinite(dw)) and np.all(np.isfinite(dv))


def test_lstsq_residual_gradient_in_b_is_twice_the_residual():
    a, b = rng.standard_normal((5, 3)), rng.standard_normal(5)
    x, residuals, rank, s = np.linalg.lstsq(a, b)
    g = (np.zeros(3), np.ones(1), 0.0, np.zeros(3))
    np.testing.assert_allclose(vjp(np.linalg.lstsq, "b", g, a, b), 2 * (b - a @ x), atol=1e-12)


def test_pinv_of_invertible_matches_inv():
    a = well_conditioned(3)
    g = rng.standard_normal((3, 3))
    np.testing.assert_allclose(vjp(np.linalg.pinv, "a", g, a), vjp(np.linalg.inv, "a", g, a))


def test_matrix_power_negative_matches_inverse_square():
    a = well_conditioned(3)
    g = rng.standard_normal((3, 3))
    inverse = np.linalg.inv(a)
    # d(A^-2) = d(B^2) with B = A^-1: adjoint of B is B^T-sandwich of (B^T G + G B^T)
    b_bar = inverse.T @ g + g @ inverse.T
    expected = -inverse.T @ b_bar @ inverse.T
    np.testing.assert_allclose(vjp(np.linalg.matrix_power, "a", g, a, -2), expected)


def test_multi_dot_adjoints_match_pairwise_products():
    x, y, z = rng.standard_normal(3), rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    g = rng.standard_normal(2)
    adjoints = vjp(np.linalg.multi_dot, "arrays", g, (x, y, z))
    np.testing.assert_allclose(adjoints[0], y @ z @ g)
    np.testing.assert_allclose(adjoints[1], np.outer(x, z @ g))
    np.testing.assert_allclose(adjoints[2], np.outer(x @ y, g))
    assert isinstance(adjoints, tuple)


# ---- norms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [
        ((4,), {}),
        ((4,), {"ord": 2}),
        ((4,), {"ord": 3}),
        ((4,), {"ord": 0.5}),
        ((4,), {"ord": np.inf}),
        ((4,), {"ord": 1}),
        ((3, 4), {}),
        ((3, 4), {"ord": "fro"}),
        ((3, 4), {"ord": 2}),
        ((3, 4), {"ord": "nuc"}),
        ((3, 4), {"ord": 1}),
        ((2, 3), {"axis": 1}),
    ],
)
def test_norm_at_zero_has_zero_gradient(shape, kwargs):
    x = np.zeros(shape)
    ans = np.linalg.norm(x, **kwargs)
    adjoint = vjp(np.linalg.norm, "x", np.ones_like(ans), x, **kwargs)
    tangent = jvp(np.linalg.norm, "x", np.ones(shape), x, **kwargs)
    assert adjoint.shape == shape
    np.testing.assert_array_equal(adjoint, 0)
    np.testing.assert_array_equal(tangent, 0)


def test_vector_inf_norm_ties_share_the_gradient():
    x = np.array([3.0, -3.0, 1.0])
    np.testing.assert_allclose(vjp(np.linalg.norm, "x", 1.0, x, np.inf), [0.5, -0.5, 0.0])


def test_norm_gradient_of_two_norm_is_unit_vector():
    x = rng.standard_normal(5)
    np.testing.assert_allclose(vjp(np.linalg.norm, "x", 1.0, x), x / np.linalg.norm(x))


# ---- FFT -----------------------------------------------------------------------------------


def test_parseval_gradient():
    """sum |fft(x)|^2 = n sum x^2: its gradient is 2 n x; the adjoint of |y|^2 is 2 y."""
    x = rng.standard_normal(6)
    y = np.fft.fft(x)
    np.testing.assert_allclose(vjp(np.fft.fft, "a", 2 * y, x), 2 * 6 * x)


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize("n", [5, 6])
def test_rfft_and_irfft_adjoints_match_dense_matrices(norm, n):
    """Build each transform's real matrix (real and imaginary parts as separate outputs)
    and compare the rule's adjoint with its transpose."""
    x = rng.standard_normal(n)
    basis = np.eye(n)
    rows = np.array([np.fft.rfft(e, norm=norm) for e in basis]).T  # (n//2+1, n) complex
    g = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    expected = rows.real.T @ g.real + rows.imag.T @ g.imag
    np.testing.assert_allclose(vjp(np.fft.rfft, "a", g, x, norm=norm), expected, atol=1e-12)

    half = n // 2 + 1
    spectrum = rng.standard_normal(half) + 1j * rng.standard_normal(half)
    re = np.array([np.fft.irfft(e, n=n, norm=norm) for e in np.eye(half)]).T
    im = np.array([np.fft.irfft(1j * e, n=n, norm=norm) for e in np.eye(half)]).T
    h = rng.standard_normal(n)
    adjoint = vjp(np.fft.irfft, "a", h, spectrum, n=n, norm=norm)
    np.testing.assert_allclose(adjoint, re.T @ h + 1j * (im.T @ h), atol=1e-12)


def test_fftshift_adjoint_is_ifftshift():
    g = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(vjp(np.fft.fftshift, "x", g, g), np.fft.ifftshift(g))


# ---- SciPy ---------------------------------------------------------------------------------


def test_expm_adjoint_matches_frechet_derivative():
    sl = pytest.importorskip("scipy.linalg")
    import s2sad.rules.scipy_linalg  # noqa: F401

    a, g = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    expected = sl.expm_frechet(a.T, g, compute_expm=False)
    np.testing.assert_allclose(vjp(sl.expm, "A", g, a), expected, rtol=1e-9, atol=1e-12)


def test_lu_solve_factor_derivative():
    """lu_solve in the packed factor ``lu`` (pivots fixed): finite differences and the
    dot-product identity, by hand since the pivots are integers."""
    sl = pytest.importorskip("scipy.linalg")
    import s2sad.rules.scipy_linalg  # noqa: F401

    lu, piv = sl.lu_factor(well_conditioned(4))
    b = rng.standard_normal((4, 2))
    d_lu = rng.standard_normal((4, 4))
    eps = 1e-6
    by_differences = (sl.lu_solve((lu + eps * d_lu, piv), b)
                      - sl.lu_solve((lu - eps * d_lu, piv), b)) / (2 * eps)
    tangent = jvp(sl.lu_solve, "lu_and_piv", (d_lu, np.zeros(4)), (lu, piv), b)
    np.testing.assert_allclose(tangent, by_differences, rtol=1e-5, atol=1e-7)
    g = rng.standard_normal((4, 2))
    lu_bar, piv_bar = vjp(sl.lu_solve, "lu_and_piv", g, (lu, piv), b)
    assert piv_bar.shape == piv.shape
    np.testing.assert_allclose(np.sum(lu_bar * d_lu), np.sum(g * tangent), rtol=1e-9)


def test_lu_factor_gradient_of_solution_matches_solve():
    """solve(A, b) = lu_solve(lu_factor(A), b): chaining the two rules gives solve's."""
    sl = pytest.importorskip("scipy.linalg")
    import s2sad.rules.scipy_linalg  # noqa: F401

    a, b = well_conditioned(4), rng.standard_normal(4)
    factors = sl.lu_factor(a)
    g = rng.standard_normal(4)
    lu_bar, _ = vjp(sl.lu_solve, "lu_and_piv", g, factors, b)
    a_bar = vjp(sl.lu_factor, "a", (lu_bar, np.zeros(4)), a)
    np.testing.assert_allclose(a_bar, vjp(np.linalg.solve, "a", g, a, b), atol=1e-10)


def test_cho_factor_and_cho_solve_chain_to_symmetric_solve():
    sl = pytest.importorskip("scipy.linalg")
    import s2sad.rules.scipy_linalg  # noqa: F401

    a, b = spd(3), rng.standard_normal(3)
    g = rng.standard_normal(3)
    for lower in (False, True):
        factors = sl.cho_factor(a, lower=lower)
        c_bar, _ = vjp(sl.cho_solve, "c_and_lower", g, factors, b)
        a_bar = vjp(sl.cho_factor, "a", (c_bar, 0.0), a, lower=lower)
        expected = vjp(np.linalg.solve, "a", g, a, b)
        np.testing.assert_allclose(a_bar, (expected + expected.T) / 2, atol=1e-10)


def test_logsumexp_is_stable_for_large_inputs():
    sp = pytest.importorskip("scipy.special")
    import s2sad.rules.scipy_special  # noqa: F401

    a = np.array([1000.0, 1000.0, -1000.0])
    np.testing.assert_allclose(vjp(sp.logsumexp, "a", 1.0, a), [0.5, 0.5, 0.0])


def test_sqrtm_rules_pass_check_rule_on_a_nonsymmetric_matrix():
    sl = pytest.importorskip("scipy.linalg")
    import s2sad.rules.scipy_linalg  # noqa: F401

    a = np.eye(3) * 4 + 0.3 * rng.standard_normal((3, 3))
    check_rule(sl.sqrtm, [a], rtol=1e-5, atol=1e-6)
