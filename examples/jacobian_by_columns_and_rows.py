"""The Jacobian of f(x) = A x by columns (forward mode) and by rows (reverse mode).

``s2sad.jacfwd(f, vectorized=False)`` runs one tangent sweep per input element, each
giving a column of the Jacobian; ``s2sad.jacrev(f)`` runs one adjoint sweep per output
element, each giving a row. Both must return A itself. For A of shape (m, n) forward mode
makes n sweeps and reverse mode m, so forward mode is the cheaper one when n < m and
reverse mode when m < n: the timing table over a grid of sizes shows the crossover on its
diagonal. With matplotlib installed, the crossover is also plotted to
examples/output/jacobian_crossover.png. ``s2sad.jacfwd(f)`` itself (vector forward mode)
carries all n columns in one sweep of vectorized NumPy: the last lines compare it with the
column-by-column sweeps.

Run: python examples/jacobian_by_columns_and_rows.py [--fast]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _plotting import pyplot, save

import s2sad


def linear_map(A):
    """f(x) = A x, as a function of x alone."""

    def f(x):
        return A @ x

    return f


def best_time(function, *args, repeats: int) -> float:
    """The fastest of ``repeats`` calls, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def check_jacobians(rng) -> None:
    A = rng.standard_normal((3, 5))
    f = linear_map(A)
    x = rng.standard_normal(5)
    by_columns, by_rows = s2sad.jacfwd(f)(x), s2sad.jacrev(f)(x)
    print(f"A has shape {A.shape}; jacfwd(f)(x) has shape {by_columns.shape}, "
          f"jacrev(f)(x) {by_rows.shape}")
    assert np.allclose(by_columns, A) and np.allclose(by_rows, A)
    print("both Jacobians equal A:", True)


def time_grid(sizes: list[int], repeats: int, rng) -> dict[tuple[int, int], tuple[float, float]]:
    """Seconds for ``jacfwd`` and ``jacrev`` of f(x) = A x, A of shape (m, n), by (n, m)."""
    times = {}
    for n in sizes:
        for m in sizes:
            f = linear_map(rng.standard_normal((m, n)))
            x = rng.standard_normal(n)
            forward, reverse = s2sad.jacfwd(f, vectorized=False), s2sad.jacrev(f)
            forward(x), reverse(x)  # compile once, outside the timing
            times[n, m] = (best_time(forward, x, repeats=repeats),
                           best_time(reverse, x, repeats=repeats))
    return times


def print_table(sizes: list[int], times) -> None:
    print("\nmilliseconds, forward / reverse (* marks the faster one); "
          "rows: n inputs, columns: m outputs")
    corner = "n \\ m"
    print(f"{corner:>7}" + "".join(f"{m:>18}" for m in sizes))
    for n in sizes:
        cells = []
        for m in sizes:
            forward, reverse = times[n, m]
            marks = ("*", " ") if forward < reverse else (" ", "*")
            cells.append(f"{1e3 * forward:7.2f}{marks[0]}/{1e3 * reverse:7.2f}{marks[1]}")
        print((f"{n:>7}" + "".join(f"{cell:>18}" for cell in cells)).rstrip())


def plot(sizes: list[int], times) -> None:
    plt = pyplot("the crossover plot")
    if plt is None:
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    fixed = sizes[len(sizes) // 2]
    for ax, varying, label in ((axes[0], "m", f"n = {fixed} inputs"),
                               (axes[1], "n", f"m = {fixed} outputs")):
        keys = [(fixed, s) if varying == "m" else (s, fixed) for s in sizes]
        ax.loglog(sizes, [1e3 * times[k][0] for k in keys], "o-", label="jacfwd (column by column)")
        ax.loglog(sizes, [1e3 * times[k][1] for k in keys], "s-", label="jacrev (rows)")
        ax.axvline(fixed, color="grey", linestyle=":")
        ax.set_xlabel(f"{varying} ({'outputs' if varying == 'm' else 'inputs'})")
        ax.set_title(f"Jacobian of A x, {label}")
        ax.legend()
    axes[0].set_ylabel("milliseconds")
    fig.tight_layout()
    save(fig, "jacobian_crossover.png", "the crossover plot")


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    check_jacobians(rng)
    sizes = [2, 16, 128] if fast else [2, 8, 32, 128, 512]
    times = time_grid(sizes, repeats=5 if fast else 10, rng=rng)
    print_table(sizes, times)
    plot(sizes, times)
    small, large = sizes[0], sizes[-1]
    f = linear_map(rng.standard_normal((large, large)))
    x = rng.standard_normal(large)
    vectorized, columns = s2sad.jacfwd(f), s2sad.jacfwd(f, vectorized=False)
    assert np.allclose(vectorized(x), columns(x))
    at_once = best_time(vectorized, x, repeats=5)
    one_by_one = best_time(columns, x, repeats=5)
    print(f"\nn = m = {large}: jacfwd in one vectorized sweep {1e3 * at_once:.2f} ms, "
          f"column by column {1e3 * one_by_one:.2f} ms")
    # far from the diagonal the number of sweeps differs 64-fold or more
    forward_wins = times[small, large][0] < times[small, large][1]
    reverse_wins = times[large, small][1] < times[large, small][0]
    assert forward_wins and reverse_wins, times
    print(f"forward mode is faster for n={small}, m={large} and reverse mode for "
          f"n={large}, m={small}: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
