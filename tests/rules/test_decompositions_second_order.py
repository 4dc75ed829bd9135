"""Second and third derivatives through the decompositions and matrix functions of
``np.linalg`` and ``scipy.linalg`` (and the small helpers their rules call), against
numbers: Hessian-vector products against central differences of the gradient, Hessians
symmetric, closed forms, and refusals (NaN) at repeated eigenvalues, where the
eigenvalues' second derivatives are not defined by any rule."""

import math

import numpy as np
import pytest

import s2sad

scipy_linalg = pytest.importorskip("scipy.linalg")
special = pytest.importorskip("scipy.special")

rng = np.random.default_rng(1207)


def _spd(n):
    b = rng.normal(size=(n, n))
    return b @ b.T + n * np.eye(n)


def _symmetric(n):
    v = rng.normal(size=(n, n))
    return v + v.T


def _weights(shape):
    return np.random.default_rng(sum(shape)).normal(size=shape)


# ---- functions whose Hessians are checked ------------------------------------------------


def cholesky_lower(a):
    low = np.linalg.cholesky(a)
    return np.sum(low ** 3 * _weights(a.shape)) + 2 * np.sum(np.log(np.diagonal(low)))


def cholesky_upper(a):
    return np.sum(np.linalg.cholesky(a, upper=True) ** 3 * _weights(a.shape))


def scipy_cholesky(a):
    return (np.sum(scipy_linalg.cholesky(a) ** 3)
            + np.sum(scipy_linalg.cholesky(a, lower=True) ** 2 * _weights(a.shape)))


def cho_factor_solve(a):
    factor = scipy_linalg.cho_factor(a)
    x = scipy_linalg.cho_solve(factor, np.arange(1.0, a.shape[-1] + 1))
    return np.sum(x ** 3) + np.sum(factor[0] ** 2 * _weights(a.shape))


def cho_factor_lower(a):
    c, _ = scipy_linalg.cho_factor(a, lower=True)
    return np.sum(c ** 3 * _weights(a.shape))


def eigh_values_and_vectors(a):
    w, v = np.linalg.eigh(a)
    return np.sum(w ** 3) + np.sum(v[..., 0] ** 4) + np.sum(v ** 3 * _weights(v.shape))


def eigvalsh_cubes(a):
    return np.sum(np.linalg.eigvalsh(a) ** 3)


def svd_reduced(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return (np.sum(s ** 3) + np.sum(u ** 3 * _weights(u.shape))
            + np.sum(vh ** 3 * _weights(vh.shape)))


def svd_full_projectors(a):
    u, s, vh = np.linalg.svd(a)
    k = s.shape[-1]
    rows = u[:, k:] @ u[:, k:].T
    columns = vh[k:].T @ vh[k:]
    return (np.sum(s ** 3) + np.sum(rows * _weights(rows.shape))
            + np.sum(columns ** 2 * _weights(columns.shape)))


def singular_values(a):
    return (np.sum(np.linalg.svd(a, compute_uv=False) ** 3) + np.sum(np.linalg.svdvals(a) ** 4)
            + np.sum(scipy_linalg.svdvals(a) ** 2))


def qr_both(a):
    q, r = np.linalg.qr(a)
    return np.sum(q ** 3 * _weights(q.shape)) + np.sum(r ** 3)


def qr_r_only(a):
    return np.sum(np.linalg.qr(a, mode="r") ** 3 * _weights(np.linalg.qr(a, mode="r").shape))


def qr_complete(a):
    q, r = np.linalg.qr(a, mode="complete")
    k = a.shape[-1]
    rest = q[:, k:] @ q[:, k:].T
    return np.sum(q[:, :k] ** 3) + np.sum(r ** 3) + np.sum(rest * _weights(rest.shape))


def pseudo_inverse(a):
    return np.sum(np.linalg.pinv(a) ** 3 * _weights(a.T.shape))


def pseudo_inverse_hermitian(a):
    return np.sum(np.linalg.pinv(a @ a.T + np.eye(len(a)), hermitian=True) ** 3)


def least_squares(a, b):
    x, residuals, rank, s = np.linalg.lstsq(a, b)
    return np.sum(x ** 3) + np.sum(residuals ** 2) + np.sum(s ** 3)


def lu_factor_solve(a):
    lu, piv = scipy_linalg.lu_factor(a)
    x = scipy_linalg.lu_solve((lu, piv), np.arange(1.0, a.shape[-1] + 1))
    y = scipy_linalg.lu_solve((lu, piv), np.ones(a.shape[-1]), trans=1)
    return np.sum(x ** 3) + np.sum(y ** 2) + np.sum(lu ** 3 * _weights(a.shape))


def solves_and_determinants(a):
    return (np.sum(np.linalg.solve(a, np.arange(1.0, a.shape[-1] + 1)) ** 3)
            + np.sum(scipy_linalg.solve(a, np.ones(a.shape[-1])) ** 2)
            + np.linalg.slogdet(a)[1] ** 2 + np.linalg.det(a) ** 2)


def powers(a):
    return (np.sum(np.linalg.matrix_power(a, 3) * _weights(a.shape))
            + np.sum(np.linalg.matrix_power(a, -2) ** 2))


def exponential(a):
    return np.sum(scipy_linalg.expm(0.3 * a) ** 2 * _weights(a.shape))


def square_root(a):
    return np.sum(scipy_linalg.sqrtm(a) ** 3 * _weights(a.shape))


def small_helpers(x):
    z = x[:3] + 1j * x[3:6]
    parts = np.split(x ** 2, [2])
    first, second = np.atleast_2d(x[:2] ** 3, x[2])
    return (np.sum(np.angle(z) ** 2) + np.sum(np.angle(z, deg=True) * x[:3])
            + np.sum(special.xlogy(x, x + 2.0)) + np.sum(special.digamma(x + 1.0) ** 2)
            + np.sum(parts[0] * parts[1][0]) + np.sum(first ** 2) + np.sum(second ** 3))


SQUARE = [
    (cholesky_lower, "spd"), (cholesky_upper, "spd"), (scipy_cholesky, "spd"),
    (cho_factor_solve, "spd"), (cho_factor_lower, "spd"),
    (eigh_values_and_vectors, "symmetric"), (eigvalsh_cubes, "symmetric"),
    (lu_factor_solve, "general"), (solves_and_determinants, "general"),
    (powers, "general"), (exponential, "general"), (square_root, "spd"),
    (qr_both, "general"), (qr_r_only, "general"), (svd_reduced, "general"),
    (singular_values, "general"), (pseudo_inverse, "general"),
    (pseudo_inverse_hermitian, "general"),
]
RECTANGULAR = [svd_reduced, svd_full_projectors, singular_values, qr_both, qr_r_only,
               pseudo_inverse]


def _point(kind, shape):
    n = shape[-1]
    if kind == "spd":
        return _spd(n)
    if kind == "symmetric":
        return _symmetric(n)
    return rng.normal(size=shape) + (2.0 * np.eye(n) if shape[0] == n else 0.0)


def _direction(kind, shape):
    return _symmetric(shape[-1]) / 2 if kind in ("spd", "symmetric") else rng.normal(size=shape)


def _check_hvp(function, args, k, v, eps=1e-5, rtol=1e-5, atol=1e-7):
    gradient = s2sad.grad(function, wrt=k)

    def at(step):
        moved = list(args)
        moved[k] = args[k] + step * v
        return np.asarray(gradient(*moved))

    numeric = (at(eps) - at(-eps)) / (2 * eps)
    product = s2sad.hvp(function, wrt=k)(*args, v)
    scale = np.max(np.abs(numeric))
    np.testing.assert_allclose(product, numeric, rtol=rtol, atol=atol * max(scale, 1.0))
    return product


@pytest.mark.parametrize("function, kind", SQUARE, ids=[f.__name__ for f, _ in SQUARE])
def test_hvp_of_square_matrices_against_differences_of_the_gradient(function, kind):
    a = _point(kind, (3, 3))
    _check_hvp(function, (a,), 0, _direction(kind, (3, 3)))


@pytest.mark.parametrize("shape", [(4, 2), (2, 4)], ids=["tall", "wide"])
@pytest.mark.parametrize("function", RECTANGULAR, ids=lambda f: f.__name__)
def test_hvp_of_rectangular_matrices_against_differences_of_the_gradient(function, shape):
    _check_hvp(function, (rng.normal(size=shape),), 0, rng.normal(size=shape))


def test_hvp_of_qr_complete_of_a_tall_matrix():
    _check_hvp(qr_complete, (rng.normal(size=(4, 2)),), 0, rng.normal(size=(4, 2)))


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)], ids=["overdetermined", "underdetermined"])
@pytest.mark.parametrize("k", [0, 1], ids=["a", "b"])
def test_hvp_of_least_squares(shape, k):
    args = (rng.normal(size=shape), rng.normal(size=shape[0]))
    _check_hvp(least_squares, args, k, rng.normal(size=args[k].shape))


def test_hvp_of_the_small_helpers():
    x = rng.uniform(0.5, 1.5, 6)
    _check_hvp(small_helpers, (x,), 0, rng.normal(size=6))


@pytest.mark.parametrize("function, kind", [(eigh_values_and_vectors, "symmetric"),
                                            (qr_both, "general"), (svd_reduced, "general"),
                                            (cho_factor_solve, "spd"), (exponential, "general")],
                         ids=lambda p: getattr(p, "__name__", p))
def test_hessians_are_symmetric(function, kind):
    a = _point(kind, (3, 3))
    hessian = np.reshape(s2sad.hessian(function)(a), (9, 9))
    if kind in ("spd", "symmetric"):  # a function of the symmetric part: sym on both sides
        sym = np.reshape(np.eye(9).reshape(3, 3, 3, 3).transpose(0, 1, 3, 2), (9, 9))
        hessian = (hessian + hessian @ sym) / 2
        hessian = (hessian + sym @ hessian) / 2
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-8, atol=1e-8 * np.abs(hessian).max())


# ---- closed forms ----------------------------------------------------------------------------


def log_det_by_cholesky(a):
    return 2 * np.sum(np.log(np.diagonal(np.linalg.cholesky(a))))


def test_log_det_by_cholesky_has_the_closed_form_second_and_third_derivatives():
    """d2 log det A [V] = -A^-1 V A^-1, and d3 log det A [V, V, V] = 2 tr((A^-1 V)^3)."""
    a, v = _spd(4), _symmetric(4)
    inverse = np.linalg.inv(a)
    np.testing.assert_allclose(s2sad.hvp(log_det_by_cholesky)(a, v), -inverse @ v @ inverse,
                               rtol=1e-10, atol=1e-12)

    def along(t):
        return log_det_by_cholesky(a + t * v)

    third = s2sad.grad(s2sad.grad(s2sad.grad(along)))(0.0)
    assert third == pytest.approx(2 * np.trace(np.linalg.matrix_power(inverse @ v, 3)),
                                  rel=1e-8)


def test_sum_of_squared_eigenvalues_has_the_frobenius_hessian():
    """sum(eigvalsh(A)^2) = |sym(A)|^2: the Hessian along V is 2 sym(V)."""
    a, v = _symmetric(4), rng.normal(size=(4, 4))
    product = s2sad.hvp(lambda m: np.sum(np.linalg.eigvalsh(m) ** 2))(a, v)
    np.testing.assert_allclose(product, v + v.T, rtol=1e-9, atol=1e-10)


def test_trace_of_a_cube_by_matrix_power():
    """grad tr(A^3) = 3 (A^2)^T; along V its derivative is 3 (A V + V A)^T."""
    a, v = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    product = s2sad.hvp(lambda m: np.trace(np.linalg.matrix_power(m, 3)))(a, v)
    np.testing.assert_allclose(product, 3 * (a @ v + v @ a).T, rtol=1e-10, atol=1e-12)


def test_trace_of_the_exponential_has_the_exponential_as_hessian_kernel():
    """grad tr(expm(A)) = expm(A)^T; its derivative along V is the Frechet derivative's
    transpose, here against differences of scipy's expm."""
    a, v = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    product = s2sad.hvp(lambda m: np.trace(scipy_linalg.expm(m)))(a, v)
    eps = 1e-5
    frechet = (scipy_linalg.expm(a + eps * v) - scipy_linalg.expm(a - eps * v)) / (2 * eps)
    np.testing.assert_allclose(product, frechet.T, rtol=1e-7, atol=1e-9)


def test_pinv_of_an_invertible_matrix_has_the_second_derivatives_of_inv():
    a, v = rng.normal(size=(3, 3)) + 3 * np.eye(3), rng.normal(size=(3, 3))
    weights = _weights((3, 3))
    by_pinv = s2sad.hvp(lambda m: np.sum(np.linalg.pinv(m) ** 2 * weights))(a, v)
    by_inv = s2sad.hvp(lambda m: np.sum(np.linalg.inv(m) ** 2 * weights))(a, v)
    np.testing.assert_allclose(by_pinv, by_inv, rtol=1e-9, atol=1e-11)


def test_digamma_second_derivative_is_the_tetragamma_function():
    x = 1.7
    third = s2sad.grad(s2sad.grad(lambda t: special.digamma(t)))(x)
    assert third == pytest.approx(special.polygamma(2, x), rel=1e-10)


def test_third_derivative_of_a_matrix_power_along_a_line():
    """tr((A + tV)^3) is a cubic in t with t^3 coefficient tr(V^3): its third derivative
    is 6 tr(V^3)."""
    a, v = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))

    def along(t):
        return np.trace(np.linalg.matrix_power(a + t * v, 3))

    third = s2sad.grad(s2sad.grad(s2sad.grad(along)))(0.3)
    assert third == pytest.approx(6 * np.trace(v @ v @ v), rel=1e-9)


# ---- degenerate cases: refused (NaN), never silently wrong ---------------------------------


def sum_of_squared_eigenvalues(a):
    return np.sum(np.linalg.eigvalsh(a) ** 2)


def sum_of_squared_eigh_values(a):
    w, _ = np.linalg.eigh(a)
    return np.sum(w ** 2)


def sum_of_squared_singular_values(a):
    return np.sum(np.linalg.svd(a, compute_uv=False) ** 2)


SPLITTING = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("function", [sum_of_squared_eigenvalues, sum_of_squared_eigh_values,
                                      sum_of_squared_singular_values], ids=lambda f: f.__name__)
def test_second_derivatives_at_repeated_values_that_a_direction_splits_are_nan(function):
    """At A = I the Hessian of sum(w^2) needs divided differences of the adjoint, which no
    rule sees: dropping the tied terms gave 0 where the truth is 2 V; it is NaN now, in
    both forward-over-reverse and reverse-over-reverse."""
    a = np.eye(3)
    assert np.all(np.isnan(s2sad.hvp(function)(a, SPLITTING)))
    hessian = np.reshape(s2sad.jacrev(s2sad.grad(function))(a), (9, 9))
    assert np.any(np.isnan(hessian @ SPLITTING.ravel()))


def test_repeated_eigenvalues_a_direction_keeps_apart_give_numbers():
    """A diagonal direction keeps the eigenvectors of I: nothing is undefined, and the
    Hessian of sum(w^2) along it is 2 V; the gradient at I stays 2 I."""
    a, v = np.eye(3), np.diag([1.0, -2.0, 0.5])
    np.testing.assert_allclose(s2sad.hvp(sum_of_squared_eigenvalues)(a, v), 2 * v, atol=1e-12)
    np.testing.assert_allclose(s2sad.grad(sum_of_squared_eigh_values)(a), 2 * a, atol=1e-12)


def test_distinct_singular_values_near_a_tie_are_still_numbers():
    a = np.diag([3.0, 2.0, 1.0])
    product = s2sad.hvp(sum_of_squared_singular_values)(a, SPLITTING)
    np.testing.assert_allclose(product, 2 * SPLITTING, atol=1e-12)


def test_qr_modes_without_derivatives_are_refused():
    def raw(a):
        h, tau = np.linalg.qr(a, mode="raw")
        return np.sum(h) + np.sum(tau)

    with pytest.raises(NotImplementedError, match="mode='raw'"):
        s2sad.grad(raw)(rng.normal(size=(3, 3)))


def test_the_decompositions_helpers_are_closed():
    """No helper the decompositions' rules call is left without rules: a third derivative
    of an eigendecomposition, an SVD and a QR compiles and is a number."""

    def mixed(x):
        a = np.reshape(x, (3, 3))
        s = a + a.T
        w, v = np.linalg.eigh(s)
        q, r = np.linalg.qr(a)
        return np.sum(w ** 3) + np.sum(v ** 3) + np.sum(np.linalg.svd(a)[1] ** 3) + np.sum(r ** 3)

    x = rng.normal(size=9)
    d = rng.normal(size=9)

    def along(t):
        return mixed(x + t * d)

    third = s2sad.grad(s2sad.grad(s2sad.grad(along)))
    eps = 1e-3
    second = s2sad.grad(s2sad.grad(along))
    numeric = (second(eps) - second(-eps)) / (2 * eps)
    assert math.isfinite(third(0.0))
    assert third(0.0) == pytest.approx(numeric, rel=1e-4)


def test_hessian_of_a_gaussian_process_marginal_likelihood():
    """The issue's casualty: Cholesky and cho_solve inside a negative log marginal
    likelihood, differentiated twice in its three log-hyperparameters."""
    points, targets = rng.normal(size=(6, 2)), rng.normal(size=6)

    def likelihood(params):
        d2 = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
        kernel = (np.exp(2 * params[1]) * np.exp(-0.5 * d2 / np.exp(2 * params[0]))
                  + np.exp(2 * params[2]) * np.eye(6))
        low = np.linalg.cholesky(kernel)
        alpha = scipy_linalg.cho_solve((low, True), targets)
        return 0.5 * targets @ alpha + np.sum(np.log(np.diag(low)))

    params = np.array([0.1, -0.2, -1.0])
    hessian = s2sad.hessian(likelihood)(params)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-10, atol=1e-12)
    _check_hvp(likelihood, (params,), 0, rng.normal(size=3))
