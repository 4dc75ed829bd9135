"""Functions that write into arrays in place, which every mode must differentiate correctly.

Each entry of ``INPLACE_CORPUS`` is ``(function, args)``. The writes are element, row,
column, slice, boolean-mask and integer-array assignments (plain and augmented), into
arrays made by ``np.zeros``, ``np.empty`` (always written in full before it is read),
``np.ones``, ``np.zeros_like``, ``.copy()`` of an argument, and into the arguments
themselves. Loops read what earlier iterations wrote. Fancy reads repeat indices (their
adjoint accumulates, like ``np.add.at``) and so do fancy writes (the last write wins).

Masks computed from the data keep every element at least 0.1 from its threshold, so moving
any float argument by a thousandth of its size writes exactly the same elements. Integer
index arrays and trip counts are never perturbed.
"""

import numpy as np

# ---- single writes -------------------------------------------------------------------


def set_elements(x):
    """x[i] = v into np.zeros, one write reading an earlier one."""
    y = np.zeros(4)
    y[0] = x[1] * x[2]
    y[3] = np.sin(x[0])
    y[1] = y[0] + x[3] ** 2
    return np.sum(y * y) + y[3] * x[2]


def set_matrix_entries(x, A):
    """x[i, j] = v into a .copy() of an argument."""
    M = A.copy()
    M[0, 1] = x[0] * x[1]
    M[2, 2] = np.exp(x[2])
    M[1, 0] = M[0, 1] - A[1, 0] * x[2]
    return np.sum(np.tanh(M @ x))


def column_updates(X, v):
    """y[:, j] += v in a loop over the columns of np.zeros_like, then once more."""
    Y = np.zeros_like(X)
    for j in range(X.shape[1]):
        Y[:, j] += v * X[:, j]
    Y[:, 1] += np.sin(X[:, 0])
    return np.sum(Y**2)


def masked_fill(x, c):
    """A boolean mask from the data: a scalar written at the masked places, then an
    expression of the masked values at the others."""
    y = x.copy()
    big = x > 1.0
    y[big] = c * c
    y[~big] = np.sin(x[~big]) * c
    return np.sum(y * x)


def masked_accumulate(x, w):
    """y[mask] += v with a mask from the data."""
    y = np.ones_like(x)
    positive = x > 0.0
    y[positive] += w * x[positive] ** 2
    return np.sum(np.log(y) * x)


def scatter_by_index(x, w):
    """y[idx] = v with a constant integer index array (no repeats)."""
    y = np.zeros(6)
    idx = np.array([4, 1, 3])
    y[idx] = x * w
    return np.sum(np.cos(y) * np.arange(6.0)) + y[4] * y[1]


def gather_scatter(x, idx):
    """An integer index array argument next to a float one: read and write through it."""
    y = np.zeros_like(x)
    y[idx] = x[idx] ** 2
    y[0] = y[idx[0]] * x[1]
    return np.sum(y * np.sin(x))


def binned_energy(w, bins):
    """Accumulation into bins given by an integer array argument, one element at a time
    (repeated bins add up)."""
    acc = np.zeros(3)
    for k in range(bins.shape[0]):
        acc[bins[k]] += w[k] ** 2
    return np.sum(np.sqrt(acc + 1.0))


def duplicate_reads(x):
    """Fancy reads that repeat an index: the adjoint accumulates like np.add.at."""
    a = x[[0, 0, 2]]
    b = x[np.array([1, 1, 1, 3])]
    return np.sum(a**2 * np.array([1.0, 2.0, 3.0])) + np.sum(b * x) + a @ x[:3]


def duplicate_writes(x):
    """Fancy writes that repeat an index: the last write wins, so x[0] below is overwritten
    and contributes nothing through y[1]."""
    y = np.zeros(4)
    y[[1, 1, 2]] = x[:3] * x[3]
    y[np.array([0, 3, 0])] = np.exp(x[1:])
    return np.sum(y * np.arange(1.0, 5.0)) + x[0] * y[2]


def broadcast_into_slices(X, c, v):
    """A scalar written into a slice, a row vector into a 2-D slice, a column to a column."""
    Y = X * 2.0
    Y[1, :] = c
    Y[2:, :] = v
    Y[:, 0] = c * X[:, 1]
    return np.sum(Y * X) + np.sum(Y**2) * c


# ---- writes in loops reading earlier writes --------------------------------------------


def column_recurrence(x):
    """y[:, j] = y[:, j - 1] * x[:, j], y a copy of the argument."""
    y = x.copy()
    for j in range(1, x.shape[1]):
        y[:, j] = y[:, j - 1] * x[:, j]
    return np.sum(y)


def column_recurrence_from_ones(x, a):
    """The same recurrence from np.ones, with an offset; returns the array."""
    y = np.ones(x.shape)
    for j in range(1, x.shape[1]):
        y[:, j] = y[:, j - 1] * x[:, j] + a
    return y


def prefix_sums(x):
    """A prefix sum written element by element into np.zeros_like."""
    s = np.zeros_like(x)
    s[0] = x[0]
    for i in range(1, x.shape[0]):
        s[i] = s[i - 1] + x[i]
    return np.sum(np.sin(s) * s)


def cumulative_product(x):
    """A cumulative product into np.empty (every element written before it is read);
    returns the array."""
    p = np.empty(x.shape[0])
    p[0] = x[0]
    for i in range(1, x.shape[0]):
        p[i] = p[i - 1] * x[i]
    return p


def laplacian_energy(u, h):
    """A second-difference stencil filled in a loop, one-sided at the ends."""
    n = u.shape[0]
    d = np.zeros(n)
    d[0] = (u[1] - u[0]) / h
    for i in range(1, n - 1):
        d[i] = (u[i - 1] - 2.0 * u[i] + u[i + 1]) / (h * h)
    d[n - 1] = (u[n - 1] - u[n - 2]) / h
    return np.sum(d**2) * h


def explicit_heat(u0, nu, steps):
    """Explicit heat-equation steps: a copy per step, interior points updated in place."""
    u = u0.copy()
    for _ in range(steps):
        un = u.copy()
        for i in range(1, u.shape[0] - 1):
            u[i] = un[i] + nu * (un[i + 1] - 2.0 * un[i] + un[i - 1])
    return np.sum(u**2 * np.arange(1.0, u.shape[0] + 1.0))


def feature_rows(x, W):
    """A matrix filled row by row with M[i] = ... and M[i, :] = ... into np.empty."""
    M = np.empty((4, x.shape[0]))
    for i in range(3):
        M[i] = W[i] * x ** (i + 1)
    M[3, :] = np.cos(x) * W[0]
    return np.sum(np.tanh(M @ x))


def cholesky_parametrized(x):
    """A lower-triangular factor filled entry by entry in a double loop (exp on the
    diagonal), then log det(L L^T) + trace(L L^T)."""
    L = np.zeros((3, 3))
    k = 0
    for i in range(3):
        for j in range(i):
            L[i, j] = x[k]
            k += 1
        L[i, i] = np.exp(x[k])
        k += 1
    S = L @ L.T
    return 2.0 * np.sum(np.log(np.diag(L))) + np.trace(S)


def thomas_solve(a, b, c, d):
    """The Thomas algorithm for a tridiagonal system: forward elimination into new arrays
    (each element reading the one before) and back substitution in reverse order."""
    n = b.shape[0]
    cp = np.empty(n - 1)
    dp = np.empty(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i - 1] * cp[i - 1]
        if i < n - 1:
            cp[i] = c[i] / m
        dp[i] = (d[i] - a[i - 1] * dp[i - 1]) / m
    x = np.empty(n)
    x[n - 1] = dp[n - 1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


# ---- writes into the arguments ------------------------------------------------------------


def overwrite_argument(x):
    """x[0] = 2.0 * x[1] and more, into the caller's array."""
    x[0] = 2.0 * x[1]
    x[2] = x[0] * x[2]
    return np.sum(x**2) + x[0] * x[3]


def overwrite_argument_2d(X, v):
    """A column, a mask and an augmented row write into an argument."""
    X[:, 0] = v
    big = X > 0.5
    X[big] = X[big] ** 2
    X[1] += X[0] * 0.5
    return np.sum(np.sin(X) * X)


# ---- the corpus ------------------------------------------------------------------------

_R = np.random.default_rng(11)


def _mat(*shape):
    return np.round(_R.standard_normal(shape) * 0.5, 3)


def _positive(*shape):
    return np.round(_R.uniform(0.6, 1.4, shape), 3)


INPLACE_CORPUS = [
    # single writes
    (set_elements, (np.array([0.3, -0.7, 1.2, 0.5]),)),
    (set_matrix_entries, (np.array([0.4, -0.6, 0.2]), _mat(3, 3))),
    (column_updates, (_mat(3, 4), 0.7)),
    (masked_fill, (np.array([0.3, 1.5, -0.4, 2.2, 0.8]), 0.6)),
    (masked_accumulate, (np.array([0.3, -1.5, 0.4, 1.2, -0.8]), 0.9)),
    (scatter_by_index, (np.array([0.3, -0.5, 1.1]), np.array([1.5, 0.7, -0.4]))),
    (gather_scatter, (np.array([0.3, -0.5, 1.1, 0.8, -1.2]), np.array([4, 2, 3]))),
    (binned_energy, (np.array([0.3, -0.5, 1.1, 0.8, -1.2]), np.array([0, 2, 0, 1, 2]))),
    (duplicate_reads, (np.array([0.3, -0.5, 1.1, 0.8]),)),
    (duplicate_writes, (np.array([0.3, -0.5, 1.1, 0.8]),)),
    (broadcast_into_slices, (_mat(4, 3), 0.8, np.array([0.5, -0.3, 1.2]))),
    # writes in loops reading earlier writes
    (column_recurrence, (_positive(3, 5),)),
    (column_recurrence_from_ones, (_positive(2, 4), 0.3)),
    (prefix_sums, (np.array([0.3, -0.5, 1.1, 0.8, -1.2]),)),
    (cumulative_product, (np.array([1.3, -0.5, 1.1, 0.8, -1.2]),)),
    (laplacian_energy, (np.sin(np.linspace(0.0, 2.0, 7)) + 0.1 * _mat(7), 0.3)),
    (explicit_heat, (np.array([0.0, 0.5, 1.0, 0.2, -0.3, 0.0]), 0.2, 4)),
    (feature_rows, (np.array([0.5, -0.3, 0.8]), _mat(3, 3))),
    (cholesky_parametrized, (np.array([0.1, 0.5, -0.3, -0.2, 0.4, 0.2]),)),
    (
        thomas_solve,
        (
            np.array([0.5, -0.3, 0.4]),
            np.array([2.5, 3.0, 2.2, 2.8]),
            np.array([0.7, 0.2, -0.6]),
            np.array([1.0, -0.5, 0.3, 2.0]),
        ),
    ),
    # writes into the arguments
    (overwrite_argument, (np.array([0.3, -0.5, 1.1, 0.8]),)),
    (overwrite_argument_2d, (np.array([[0.2, 0.9], [0.1, 0.8], [1.2, 0.1]]), 0.3)),
]
