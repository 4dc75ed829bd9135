"""Functions with control flow (if/elif/else, for, while, break, continue, early return)
that every mode must differentiate correctly.

Each entry of ``CONTROL_CORPUS`` is ``(function, args)``. The arguments keep every branch
condition, loop trip count and early exit far from switching: moving any float argument by
a thousandth of its size (a thousand times the checks' finite-difference step) takes exactly
the same path through the function. Trip counts, limits and labels are Python ints, which
the checks never perturb. A function appears more than once when its branches each deserve
a run; then each run takes a different path.

The functions use no in-place array writes, ``list.append``, calls to other user functions,
nested functions, ``try``, ``with`` or ``global``: control flow is what is under test.
"""

import math

import numpy as np

# ---- branches ------------------------------------------------------------------------


def wave_or_ramp(x):
    """if/else on data."""
    if x[0] > 0:
        y = np.sin(x) * x
    else:
        y = np.cos(x) - x
    return np.sum(y)


def huber(x, delta):
    """if/elif/else chain on Python floats."""
    if x < -delta:
        loss = -delta * (x + 0.5 * delta)
    elif x <= delta:
        loss = 0.5 * x * x
    else:
        loss = delta * (x - 0.5 * delta)
    return loss


def gated_product(a, b):
    """Conditions with and, or, not."""
    if a > 0.0 and b > 0.0:
        y = math.sqrt(a * b)
    elif a < -1.0 or not b < 2.0:
        y = a * math.exp(-b)
    else:
        y = math.sin(a + b)
    return y * a


def all_positive_gate(x, w):
    """Array conditions combined with and/not."""
    if np.all(x > 0.0) and not np.any(w < -1.0):
        return np.sum(np.log(x) * w)
    return np.sum(x * w) ** 2


def log_gap(a, b):
    """Chained comparison."""
    if 0.0 < a < b:
        y = math.log(b - a) + a / b
    else:
        y = (a - b) ** 2 * math.cos(b)
    return y


def switched_scale(x):
    """Conditional expressions, a scalar one and an array one."""
    scale = 2.0 * x[0] if x[0] > x[1] else x[1] ** 2
    y = np.tanh(x) if np.sum(x) > 0 else np.sin(x)
    return np.sum(y * scale)


def nested_regions(x, y):
    """Nested ifs."""
    if x > 0.0:
        if y > 0.0:
            r = x * y
        else:
            r = x - math.sin(y)
    else:
        if y > x:
            r = math.exp(x) * y
        else:
            r = math.cos(x * y)
    return r


def signed_energy(x):
    """An if inside a for loop."""
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0:
            s = s + x[i] ** 2
        else:
            s = s - np.sin(x[i])
    return s


def maybe_squash(x, w):
    """Only one side assigns y; the other keeps the old value."""
    y = x * w
    if np.sum(w) > 0:
        y = np.tanh(y)
    return np.sum(y * x)


def hinge(w, x, label):
    """One side returns a constant."""
    margin = label * np.dot(w, x)
    if margin >= 1.0:
        return 0.0
    return 1.0 - margin


def normalized_features(x):
    """Variables first defined inside both branches."""
    if x[0] < x[1]:
        z = np.exp(x) / np.sum(np.exp(x))
        scale = 2.0
    else:
        z = x / np.linalg.norm(x)
        scale = x[0]
    return np.sum(z * np.arange(x.shape[0])) * scale


def weighted_mean(x, weights=None):
    """The common ``if arg is None`` default."""
    if weights is None:
        weights = np.ones_like(x)
    return np.sum(weights * x) / np.sum(weights)


def parity_features(x, n):
    """A branch on an integer argument."""
    if n % 2 == 0:
        y = np.cos(x) ** n
    else:
        y = np.sin(x) * n
    return np.sum(y * x)


def softplus(x):
    """Early return inside an if, twice."""
    if x > 30.0:
        return x
    if x < -30.0:
        return math.exp(x)
    return math.log1p(math.exp(x))


def norm_by_sign(x):
    """Both sides of an if/else return."""
    if x[0] > 0:
        return np.sum(x**2)
    else:
        return np.sum(np.abs(x)) * x[0]


def running_max(x, w):
    """An assignment under an if in a loop: the maximum of x, scaled."""
    m = x[0]
    for v in x[1:]:
        if v > m:
            m = v
    return m * np.sum(w * x)


# ---- for loops -----------------------------------------------------------------------


def taylor_exp(x, n):
    """for over range(start, stop) with an int argument; Python floats."""
    term = 1.0
    total = 1.0
    for k in range(1, n):
        term = term * x / k
        total = total + term
    return total


def pair_products(x):
    """range(start, stop, step)."""
    s = 0.0
    for i in range(0, x.shape[0] - 1, 2):
        s = s + x[i] * x[i + 1]
    return s


def horner(c, t):
    """range with a negative step: polynomial evaluation."""
    acc = 0.0
    for i in range(c.shape[0] - 1, -1, -1):
        acc = acc * t + c[i]
    return acc


def euler_integrate(y0, t, rate):
    """A data-dependent trip count: as many steps of size 0.1 as t needs."""
    n = int(math.ceil(abs(t) / 0.1))
    h = t / n
    y = y0
    for _ in range(n):
        y = y + h * (-rate * y + np.sin(y))
    return np.sum(y)


def count_from_data(x):
    """A trip count computed from the data, int(np.sum(...))."""
    n = int(np.sum(x > 0.0))
    y = x
    for _ in range(n):
        y = np.tanh(y) + 0.5 * x
    return np.sum(y)


def row_energies(X, w):
    """for over the rows of a 2-D array."""
    s = 0.0
    for row in X:
        s = s + np.dot(row, w) ** 2
    return s


def row_pairs(P, theta):
    """for with tuple unpacking of the rows of an (n, 2) array."""
    s = 0.0
    for a, b in P:
        s = s + math.cos(theta * a) * b
    return s


def mlp_layers(x, weights):
    """for over a list of arrays of different shapes."""
    h = x
    for W in weights:
        h = np.tanh(W @ h)
    return np.sum(h**2)


def rnn(xs, W, U, h0):
    """A recurrent net over a list of inputs; returns the last state."""
    h = h0
    for x in xs:
        h = np.tanh(W @ h + U @ x)
    return h


def multi_scale(x):
    """for over a tuple literal of constants."""
    total = 0.0
    for width in (0.5, 1.0, 2.0):
        total = total + np.sum(np.exp(-((x / width) ** 2)))
    return total


def tuple_polynomial(x, coeffs):
    """for over a tuple argument of floats."""
    s = np.zeros_like(x)
    for c in coeffs:
        s = s * x + c
    return s


def paired_distance(a, b):
    """zip(a, b)."""
    s = 0.0
    for u, v in zip(a, b):
        s = s + math.sqrt((u - v) ** 2 + 1.0)
    return s


def position_weighted(xs):
    """enumerate(xs) over a list of arrays."""
    s = 0.0
    for i, x in enumerate(xs):
        s = s + (i + 1) * np.sum(x**2)
    return s


def indexed_dot(x, y):
    """enumerate over an array, the index reading another array."""
    s = 0.0
    for i, v in enumerate(x):
        s = s + v * np.sin(y[i])
    return s


def discounted_return(rewards, gamma):
    """reversed(xs): a backward recurrence."""
    g = 0.0
    for r in reversed(rewards):
        g = r + gamma * g
    return g


def list_inner(xs, ys):
    """range(len(xs)) indexing two lists of arrays."""
    s = 0.0
    for i in range(len(xs)):
        s = s + np.dot(xs[i], ys[i])
    return s


def quadratic_form(K, x):
    """Nested for loops."""
    n = x.shape[0]
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + K[i, j] * x[i] * x[j]
    return s


def pairwise_repulsion(x):
    """A triangular double loop: the inner range depends on the outer index (and is empty
    the first time)."""
    e = 0.0
    for i in range(x.shape[0]):
        for j in range(i):
            e = e + 1.0 / (1.0 + (x[i] - x[j]) ** 2)
    return e


def recurrence(x, n):
    """A loop-carried tuple."""
    a, b = 1.0, x
    for _ in range(n):
        a, b = b, a + b * x
    return b


def leapfrog(q, p, dt, n):
    """Two loop-carried arrays updated in turn: a harmonic-plus-quartic oscillator."""
    for _ in range(n):
        p = p - 0.5 * dt * (q + q**3)
        q = q + dt * p
        p = p - 0.5 * dt * (q + q**3)
    return 0.5 * np.sum(p**2) + np.sum(0.5 * q**2 + 0.25 * q**4)


def repeated_map(x, n):
    """The argument itself overwritten many times; returns an array."""
    for _ in range(n):
        x = np.sin(x) + 0.5 * x
    return x


def relax(x, n):
    """A loop whose trip count can be zero."""
    y = np.sin(x)
    for _ in range(n):
        y = y - 0.3 * (y - np.cos(x))
    return np.sum(y * y)


def momentum_descent(x0, target, lr, beta, steps):
    """Unrolled optimization: the loss after some steps, as a function of lr and beta."""
    x = x0
    v = np.zeros_like(x0)
    for _ in range(steps):
        g = 2.0 * (x - target) + 0.1 * np.sin(x)
        v = beta * v + g
        x = x - lr * v
    return np.sum((x - target) ** 2)


def power_iteration(A, v, n):
    """Normalize in a loop; the Rayleigh quotient at the end."""
    for _ in range(n):
        v = A @ v
        v = v / np.linalg.norm(v)
    return v @ (A @ v)


def trapezoid_gaussian(b, n):
    """Augmented assignment in a loop; Python floats and math."""
    h = b / n
    s = 0.5 * (1.0 + math.exp(-b * b))
    for k in range(1, n):
        t = k * h
        s += math.exp(-t * t)
    return s * h


def logsumexp_loop(x):
    """Two loops: a running maximum (an if), then a sum relative to it."""
    m = x[0]
    for v in x:
        if v > m:
            m = v
    s = 0.0
    for v in x:
        s = s + np.exp(v - m)
    return m + np.log(s)


def quadrature_nodes(w):
    """for over a constant array (quadrature nodes)."""
    total = 0.0
    for t in np.arange(5) * 0.25:
        total = total + np.sum(np.cos(w * t)) * 0.25
    return total


def product_loop(x):
    """Augmented multiplication in a loop."""
    p = 1.0
    for v in x:
        p *= 1.0 + v * v
    return math.log(p)


def reversed_pairs(xs, ys):
    """zip of a reversed sequence with a forward one."""
    s = 0.0
    for a, b in zip(reversed(xs), ys):
        s = s * 0.5 + a * b
    return s


def rebound_after_loop(x):
    """An array read in a loop, then rebound to one of another shape: the reverse loop's
    adjoint of y is shaped like the y it read, not like the y after it."""
    y = x * 2.0
    s = 0.0
    for i in range(3):
        s = s + y[i] * y[i]
    y = x[:2] * 3.0
    return s + np.sum(y)


def nested_scalar_loops(x, n):
    """An inner loop of Python arithmetic in an outer one, then a while loop."""
    s = 0.0
    for _ in range(n):
        y = x
        for _ in range(3):
            y = math.sin(y) * x + y
        s = s + y
    k = 0
    while k < 4:
        x = x * 1.1 + math.cos(x)
        k = k + 1
    return s + x


# ---- while loops ---------------------------------------------------------------------


def halve_until_small(x):
    """while with a data-dependent condition, Python floats."""
    y = x
    while y > 0.1:
        y = y * 0.5
    return math.sin(y) * x


def rescale_until_bounded(x):
    """while on an array reduction, with an int counter used afterwards."""
    y = x
    steps = 0
    while np.max(np.abs(y)) > 1.0:
        y = y / 2.0
        steps += 1
    return np.sum(np.sin(y)) + steps


def kepler(M, e):
    """Fixed-point iteration with a tolerance: Kepler's equation E = M + e sin E."""
    E = M
    delta = 1.0
    while abs(delta) > 1e-9:
        E_next = M + e * math.sin(E)
        delta = E_next - E
        E = E_next
    return E


def newton_sqrt(a):
    """Newton's method until the residual is small."""
    x = a if a > 1.0 else 1.0
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


def newton_cbrt(a):
    """Newton's method on an array, elementwise cube roots."""
    x = np.ones_like(a)
    while np.max(np.abs(x**3 - a)) > 1e-10:
        x = x - (x**3 - a) / (3.0 * x**2)
    return x


def descend_until_flat(x0, target, lr):
    """while True with break once the gradient is small."""
    x = x0
    k = 0
    while True:
        g = x - target + 0.1 * np.sin(x)
        if np.linalg.norm(g) < 1e-4:
            break
        x = x - lr * g
        k += 1
    return np.sum(x**2) + k


def bounded_iteration(x, rate, max_iter):
    """while with a compound condition: an iteration cap and a tolerance."""
    y = x
    k = 0
    change = 1.0
    while k < max_iter and change > 1e-3:
        y_next = np.cos(rate * y)
        change = np.max(np.abs(y_next - y))
        y = y_next
        k += 1
    return np.sum(y * x)


def grow_until(x, rate, limit):
    """while/else: the else runs only when the loop ends without break."""
    y = x
    k = 0
    while k < limit:
        y = y * rate + 0.1
        if np.sum(y) > 10.0:
            break
        k += 1
    else:
        y = -np.sqrt(y * y + 1.0)
    return np.sum(y * x)


def escape_value(c, n):
    """return inside a while loop."""
    z = 0.0
    k = 0
    while k < n:
        z = z * z + c
        if abs(z) > 2.0:
            return z
        k += 1
    return z * c


# ---- break, continue, return ---------------------------------------------------------


def sum_until_negative(x):
    """break in a for loop."""
    s = 0.0
    for v in x:
        if v < 0.0:
            break
        s = s + v * v
    return s


def sqrt_of_positives(x):
    """continue in a for loop."""
    s = 0.0
    for v in x:
        if v <= 0.0:
            continue
        s = s + np.sqrt(v)
    return s


def piecewise_samples(x, w):
    """continue and an if/elif/else chain in one loop body."""
    s = 0.0
    for i in range(x.shape[0]):
        if abs(x[i]) < 0.1:
            continue
        elif x[i] > 1.0:
            s = s + w * x[i]
        else:
            s = s + np.sin(w * x[i])
    return s


def first_above(x, threshold):
    """Early return inside a for loop (or after it, when nothing is found)."""
    for i in range(x.shape[0]):
        if x[i] > threshold:
            return x[i] * np.sum(x[: i + 1])
    return np.sum(x) * threshold


def first_large_entry(A, limit):
    """Early return inside nested loops."""
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if A[i, j] > limit:
                return A[i, j] * np.sum(A[i])
    return np.sum(A * A) * limit


def first_excess(x, target):
    """for/else: the else runs when no break happened."""
    for v in x:
        if v > target:
            excess = v - target
            break
    else:
        excess = np.sum(x) - target
    return excess * np.sum(x**2)


def loop_with_else(x, n):
    """for/else with no break in the loop: the else always runs."""
    y = x
    for _ in range(n):
        y = np.sin(y) * x
    else:
        y = y + x * x
    return np.sum(y)


def truncated_row_sums(X, limit):
    """break inside the inner of two loops only."""
    s = 0.0
    for row in X:
        for v in row:
            if v > limit:
                break
            s = s + v**2
    return s


def interp1(x, xp, fp):
    """Linear interpolation: a search loop with break, the loop index used after it."""
    for i in range(xp.shape[0] - 1):
        if xp[i + 1] >= x:
            break
    t = (x - xp[i]) / (xp[i + 1] - xp[i])
    return fp[i] + t * (fp[i + 1] - fp[i])


def outer_break(X, budget):
    """break out of the outer loop from below an inner loop."""
    s = 0.0
    for row in X:
        for v in row:
            s = s + v * v
        if s > budget:
            break
    return s * np.sum(X)


# ---- the corpus ----------------------------------------------------------------------

_X5 = np.array([0.5, -0.7, 1.2, -0.3, 0.9])
_R = np.random.default_rng(7)


def _mat(*shape):
    return np.round(_R.standard_normal(shape) * 0.5, 3)


CONTROL_CORPUS = [
    # branches
    (wave_or_ramp, (np.array([0.8, -0.4, 1.3]),)),
    (wave_or_ramp, (np.array([-0.6, 0.4, 1.3]),)),
    (huber, (-2.5, 1.0)),
    (huber, (0.4, 1.0)),
    (huber, (1.8, 1.2)),
    (gated_product, (1.5, 0.8)),
    (gated_product, (-0.5, 2.5)),
    (gated_product, (-2.0, 0.5)),
    (gated_product, (-0.5, 1.0)),
    (all_positive_gate, (np.array([0.5, 1.5, 2.0]), np.array([0.3, -0.2, 1.1]))),
    (all_positive_gate, (np.array([0.5, -1.5, 2.0]), np.array([0.3, -0.2, 1.1]))),
    (log_gap, (0.5, 2.0)),
    (log_gap, (2.5, 1.0)),
    (switched_scale, (np.array([1.0, 0.3, -0.2]),)),
    (switched_scale, (np.array([-0.5, 0.4, -0.6]),)),
    (nested_regions, (0.7, 1.2)),
    (nested_regions, (0.7, -0.4)),
    (nested_regions, (-0.6, 0.9)),
    (nested_regions, (-0.6, -1.3)),
    (signed_energy, (_X5,)),
    (maybe_squash, (np.array([0.4, -1.1, 0.7]), np.array([0.5, 0.8, -0.3]))),
    (maybe_squash, (np.array([0.4, -1.1, 0.7]), np.array([-0.5, 0.8, -0.9]))),
    (hinge, (np.array([0.2, -0.3, 0.1]), np.array([1.0, 0.5, -2.0]), 1)),
    (normalized_features, (np.array([0.2, 0.9, -0.4]),)),
    (normalized_features, (np.array([1.1, 0.3, -0.4]),)),
    (weighted_mean, (np.array([0.2, 0.9, -0.4]),)),
    (weighted_mean, (np.array([0.2, 0.9, -0.4]), np.array([1.0, 2.0, 0.5]))),
    (parity_features, (np.array([0.3, -0.8, 1.1]), 2)),
    (parity_features, (np.array([0.3, -0.8, 1.1]), 3)),
    (softplus, (35.0,)),
    (softplus, (0.5,)),
    (norm_by_sign, (np.array([0.7, -0.2, 0.4]),)),
    (norm_by_sign, (np.array([-0.7, -0.2, 0.4]),)),
    (
        running_max,
        (np.array([0.3, 1.4, -0.2, 0.9, 2.1, 1.0]), np.array([1.0, 0.5, 2, -1, 0.3, 0.7])),
    ),
    # for loops
    (taylor_exp, (0.7, 8)),
    (pair_products, (np.array([0.3, -1.2, 0.8, 0.5, -0.4, 1.6]),)),
    (horner, (np.array([1.0, -0.5, 0.25, 2.0]), 0.8)),
    (euler_integrate, (np.array([0.2, -0.5, 1.0]), 0.37, 1.5)),
    (count_from_data, (_X5,)),
    (row_energies, (_mat(4, 3), np.array([0.5, -1.0, 0.3]))),
    (row_pairs, (_mat(4, 2), 0.7)),
    (mlp_layers, (np.array([0.5, -0.2, 0.8]), [_mat(4, 3), _mat(2, 4)])),
    (rnn, ([_mat(2), _mat(2), _mat(2)], _mat(3, 3), _mat(3, 2), np.array([0.1, -0.2, 0.3]))),
    (multi_scale, (np.array([0.3, -0.8, 1.5]),)),
    (tuple_polynomial, (np.array([0.3, -0.8, 1.5]), (0.5, -1.0, 2.0))),
    (paired_distance, (np.array([0.3, -0.8, 1.5]), np.array([1.0, 0.2, -0.4]))),
    (position_weighted, ([_mat(3), _mat(2, 2), _mat(4)],)),
    (indexed_dot, (np.array([0.3, -0.8, 1.5]), np.array([1.0, 0.2, -0.4]))),
    (discounted_return, (np.array([1.0, -0.5, 0.25, 2.0, 0.7]), 0.9)),
    (list_inner, ([_mat(3), _mat(3)], [_mat(3), _mat(3)])),
    (quadratic_form, (_mat(3, 3), np.array([0.5, -1.0, 0.3]))),
    (pairwise_repulsion, (np.array([0.1, 0.9, -0.6, 1.7]),)),
    (recurrence, (0.6, 6)),
    (leapfrog, (np.array([0.5, -0.3]), np.array([0.1, 0.4]), 0.1, 8)),
    (repeated_map, (np.array([0.3, -0.8, 1.5]), 6)),
    (relax, (np.array([0.3, -0.8, 1.5]), 0)),
    (relax, (np.array([0.3, -0.8, 1.5]), 4)),
    (momentum_descent, (np.array([0.5, -1.0]), np.array([1.0, 0.5]), 0.1, 0.8, 10)),
    (power_iteration, (_mat(3, 3) + 2.0 * np.eye(3), np.array([1.0, 0.5, -0.3]), 6)),
    (trapezoid_gaussian, (1.3, 8)),
    (logsumexp_loop, (np.array([0.3, 1.4, -0.2, 0.9]),)),
    (quadrature_nodes, (np.array([0.5, 1.5, -2.0]),)),
    (product_loop, (np.array([0.3, -1.4, 0.8]),)),
    (reversed_pairs, (np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.25, 2.0]))),
    (rebound_after_loop, (np.array([1.0, 2.0, 3.0]),)),
    (nested_scalar_loops, (0.7, 4)),
    # while loops
    (halve_until_small, (1.3,)),
    (rescale_until_bounded, (np.array([3.0, -5.2, 1.1]),)),
    (kepler, (1.2, 0.3)),
    (newton_sqrt, (7.0,)),
    (newton_sqrt, (0.3,)),
    (newton_cbrt, (np.array([2.0, 0.5, 9.0]),)),
    (descend_until_flat, (np.array([0.0, 2.0]), np.array([1.0, -0.5]), 0.5)),
    (bounded_iteration, (np.array([0.2, 0.9]), 0.8, 100)),
    (bounded_iteration, (np.array([0.2, 0.9]), 0.8, 3)),
    (grow_until, (np.array([0.5, 1.0]), 1.5, 20)),
    (grow_until, (np.array([0.5, 1.0]), 1.5, 2)),
    (escape_value, (0.4, 50)),
    (escape_value, (0.2, 12)),
    # break, continue, return
    (sum_until_negative, (np.array([0.5, 1.2, 0.3, -0.4, 2.0]),)),
    (sqrt_of_positives, (np.array([0.5, -1.2, 0.3, -0.4, 2.0]),)),
    (piecewise_samples, (np.array([0.02, 1.5, -0.6, 0.4, -0.05, 2.2]), 0.8)),
    (first_above, (np.array([0.3, 0.5, 1.7, 0.2, 2.5]), 1.0)),
    (first_above, (np.array([0.3, 0.5, 0.7, 0.2]), 1.0)),
    (first_large_entry, (np.array([[0.3, 0.2, -0.4], [0.1, 1.5, 0.6]]), 1.0)),
    (first_large_entry, (np.array([[0.3, 0.2, -0.4], [0.1, 0.5, 0.6]]), 1.0)),
    (first_excess, (np.array([0.3, 0.5, 1.7, 0.2]), 1.0)),
    (first_excess, (np.array([0.3, 0.5, 0.7, 0.2]), 1.0)),
    (loop_with_else, (np.array([0.3, -0.8, 1.5]), 3)),
    (truncated_row_sums, (np.array([[0.3, 1.6, 0.4], [0.1, 0.5, 0.6], [2.0, 0.1, 0.2]]), 1.0)),
    (interp1, (0.65, np.array([0.0, 0.3, 0.5, 1.0, 1.4]), np.array([1.0, 0.4, -0.2, 0.8, 1.1]))),
    (outer_break, (np.array([[0.3, 0.8], [1.1, -0.6], [0.9, 0.2], [0.4, 0.4]]), 1.5)),
]
