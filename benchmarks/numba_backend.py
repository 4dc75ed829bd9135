"""backend="numba" beside the NumPy backend (and ``jax.jit``, given a Python with JAX):
time per gradient call (medians of several rounds) on every loop workload of the suite
(workloads.py and styles.py) and on scalar loops, and what the first call costs
(transformation, and compilation with Numba's on-disk cache cold and warm, each in a
process of its own).

    .venv/bin/python benchmarks/numba_backend.py
    .venv/bin/python benchmarks/numba_backend.py --jax-python /path/to/venv/bin/python

The JAX column needs a Python with ``jax`` installed (s2sad is not needed there): it runs
``jax.jit(jax.grad(f))`` on the same loops written with ``jax.numpy``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from styles import STYLE_WORKLOADS  # noqa: E402
from workloads import LOOP_WORKLOADS, scalar_loop, scalar_loop_args  # noqa: E402

import s2sad  # noqa: E402


def short_loop(x, a):
    for _ in range(10):
        x = x - 0.1 * (x * x - a)
    return x


def newton_sqrt(x, a):
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


def branchy(x, a, n):
    s = 0.0
    for i in range(n):
        if x > 1.0:
            x = x * a - math.sin(x)
        else:
            x = x + math.exp(-a) * math.cos(x)
        s = s + x * i
    return s


#: (name, function, arguments, wrt): the scalar loops of the first part, whose first
#: call is measured too
CASES = [
    ("scalar_loop (1000 steps of x*a + sin(x)*b)", scalar_loop, scalar_loop_args(), (0, 1, 2)),
    ("short_loop (10 steps)", short_loop, (0.8, 2.0), (0, 1)),
    ("newton_sqrt (while loop)", newton_sqrt, (1.0, 2.0), (0, 1)),
    ("branchy (200 steps, a branch each)", branchy, (1.2, 0.9, 200), (0, 1)),
]

#: every loop workload of the benchmark suite (workloads.py and styles.py)
SUITE = sorted([w for w in LOOP_WORKLOADS + STYLE_WORKLOADS if w.needs_loops],
               key=lambda w: w.name)


def per_call(function, args, seconds=0.2, rounds=7) -> float:
    """The median time of one call over ``rounds`` rounds of about ``seconds``, in
    seconds (the median, as the machine may be loaded)."""
    function(*args)
    number = max(1, int(seconds / max(timeit.timeit(lambda: function(*args), number=1),
                                       1e-7)))
    return statistics.median(timeit.repeat(lambda: function(*args), number=number,
                                           repeat=rounds)) / number


_FIRST_CALL = """
import sys, time
sys.path[:0] = {paths!r}
start = time.perf_counter()
import numba
imported = time.perf_counter()
numba.njit(lambda x: x + 1.0)(1.0)
started = time.perf_counter()
import s2sad
import numba_backend as b
name, f, args, wrt = b.CASES[{index}]
g = s2sad.grad(f, wrt=wrt, backend="numba")
first = time.perf_counter()
g(*args)
done = time.perf_counter()
(v,) = g.versions.values()
print(repr((imported - start, started - imported, done - first, v.transform_seconds,
            v.compile_seconds)))
"""


def first_call(index: int, cache: str) -> tuple[float, ...]:
    """(Numba's import, its start-up: the first compilation in a process, then s2sad's
    first call, its transformation, its compilation) in seconds, in a new process with
    Numba's cache in ``cache``."""
    code = _FIRST_CALL.format(paths=[str(HERE), str(HERE.parent)], index=index)
    environment = dict(os.environ, S2SAD_NUMBA_CACHE=cache)
    out = subprocess.run([sys.executable, "-c", code], env=environment, check=True,
                         capture_output=True, text=True).stdout
    return eval(out.strip().splitlines()[-1])


_JAX = """
import json, statistics, sys, time, timeit, math
sys.path[:0] = PATHS
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
import styles, workloads
def scalar_loop(x, a, b):
    for _ in range(1000):
        x = x * a + jnp.sin(x) * b
    return x
def short_loop(x, a):
    for _ in range(10):
        x = x - 0.1 * (x * x - a)
    return x
def rnn_loss(Wx, Wh, xs, target):
    h = jnp.zeros((xs.shape[1], Wh.shape[0]))
    for t in range(xs.shape[0]):
        h = jnp.tanh(xs[t] @ Wx + h @ Wh)
    return jnp.sum((h - target) ** 2)
def rnn_steps(Wh, Wx, xs, ys):
    h = jnp.zeros(Wh.shape[0])
    loss = 0.0
    for t in range(xs.shape[0]):
        h = jnp.tanh(Wh @ h + Wx @ xs[t])
        loss = loss + jnp.sum((h - ys[t]) ** 2)
    return loss
def deep_helpers(Ws, x):
    h = x
    for k in range(Ws.shape[0]):
        h = jnp.tanh(Ws[k] @ h)
    return jnp.sum(h * h)
def lotka_volterra(u, v, a, b, c, d):
    return a * u - b * u * v, c * u * v - d * v
def rk4_populations(a, b, c, d):
    u, v = 1.0, 0.5
    h = 0.05
    for _ in range(100):
        k1u, k1v = lotka_volterra(u, v, a, b, c, d)
        k2u, k2v = lotka_volterra(u + 0.5 * h * k1u, v + 0.5 * h * k1v, a, b, c, d)
        k3u, k3v = lotka_volterra(u + 0.5 * h * k2u, v + 0.5 * h * k2v, a, b, c, d)
        k4u, k4v = lotka_volterra(u + h * k3u, v + h * k3v, a, b, c, d)
        u = u + h / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u)
        v = v + h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return u + v
def softmax_rows(W, X, labels):
    logits = X @ W
    total = 0.0
    for i in range(logits.shape[0]):
        row = logits[i] - jnp.max(logits[i])
        p = jnp.exp(row) / jnp.sum(jnp.exp(row))
        total = total - jnp.log(p[labels[i]])
    return total / logits.shape[0]
def weighted_squares(w, x):
    s = 0.0
    for i in range(len(x)):
        s += w[i] * x[i] ** 2
    return s
by_name = {w.name: w for w in workloads.LOOP_WORKLOADS + styles.STYLE_WORKLOADS}
CASES = [("scalar_loop", scalar_loop, workloads.scalar_loop_args(), (0, 1, 2)),
         ("short_loop", short_loop, (0.8, 2.0), (0, 1))]
for name, f in [("e_rnn", rnn_loss), ("i_rnn_steps", rnn_steps),
                ("k_deep_helpers", deep_helpers), ("l_rk4", rk4_populations),
                ("o_softmax_rows", softmax_rows), ("p_weighted_squares", weighted_squares)]:
    CASES.append((name, f, by_name[name].args(), by_name[name].wrt))
found = {}
for name, f, args, wrt in CASES:
    if NAMES and name not in NAMES:
        continue
    g = jax.jit(jax.grad(f, argnums=wrt))
    start = time.perf_counter()
    jax.block_until_ready(g(*args))
    compile_seconds = time.perf_counter() - start
    run = lambda: jax.block_until_ready(g(*args))
    number = max(1, int(0.2 / max(timeit.timeit(run, number=1), 1e-7)))
    call = statistics.median(timeit.repeat(run, number=number, repeat=7)) / number
    found[name] = (compile_seconds, call)
    print(name, found[name], file=sys.stderr, flush=True)
found["d_scalar_loop"] = found.get("scalar_loop")
found["h_short_loop"] = found.get("short_loop")
print(json.dumps({k: v for k, v in found.items() if v is not None}))
"""


def jax_figures(python: str, names: list[str]) -> dict:
    """(compilation, per call) in seconds of ``jax.jit(jax.grad(f))`` for each loop the
    JAX script spells with ``jax.numpy`` (those in ``names``, if any), run by ``python``."""
    code = _JAX.replace("PATHS", repr([str(HERE)])).replace("NAMES", repr(names))
    out = subprocess.run([python, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def hand_numba_scalar_loop():
    """The 1000-step loop's adjoint written by hand, compiled by Numba."""
    import numba
    import numpy as np

    @numba.njit
    def scalar_loop_grad(x, a, b):
        xs = np.empty(1000)
        for k in range(1000):
            xs[k] = x
            x = x * a + math.sin(x) * b
        x_bar, a_bar, b_bar = 1.0, 0.0, 0.0
        for k in range(999, -1, -1):
            x = xs[k]
            s = math.sin(x)
            a_bar += x_bar * x
            b_bar += x_bar * s
            x_bar = x_bar * (a + b * math.cos(x))
        return x_bar, a_bar, b_bar

    return scalar_loop_grad


def _microseconds(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1e6:.1f} us"


def suite_rows(jax: dict) -> None:
    """Per call, numba beside numpy (and jax.jit) on every loop workload of the suite."""
    print("| workload | numpy backend | numba backend | speed-up | numba first call |"
          " hand NumPy | jax.jit | jax.jit compilation |")
    print("|:--|--:|--:|--:|--:|--:|--:|--:|")
    for workload in SUITE:
        args = workload.args()
        numpy_call = per_call(s2sad.grad(workload.f, wrt=workload.wrt), args)
        hand_call = per_call(workload.hand, args)
        compiled = s2sad.grad(workload.f, wrt=workload.wrt, backend="numba")
        jax_call, jax_compile = jax.get(workload.name, (None, None))[::-1]
        jax_columns = f"{_microseconds(jax_call)} | " + \
            (f"{jax_compile:.1f} s" if jax_compile is not None else "")
        try:
            start = time.perf_counter()
            compiled(*args)
            first = time.perf_counter() - start
        except s2sad.errors.S2sadError as error:
            reason = str(error).split(": ", 1)[-1].split(";")[0][:90]
            print(f"| {workload.name} | {_microseconds(numpy_call)} | refused: {reason} | | |"
                  f" {_microseconds(hand_call)} | {jax_columns} |")
            continue
        numba_call = per_call(compiled, args)
        print(f"| {workload.name} | {_microseconds(numpy_call)} | {_microseconds(numba_call)} |"
              f" {numpy_call / numba_call:.0f}x | {first:.1f} s | {_microseconds(hand_call)} |"
              f" {jax_columns} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jax-python", help="a Python with jax installed")
    parser.add_argument("--jax-only", nargs="*", default=[], metavar="NAME",
                        help="time jax.jit on these workloads only (scalar_loop compiles "
                        "for minutes)")
    parser.add_argument("--suite-only", action="store_true",
                        help="only the loop workloads of the suite")
    options = parser.parse_args()
    jax = jax_figures(options.jax_python, options.jax_only) if options.jax_python else {}
    suite_rows(jax)
    if options.suite_only:
        return
    print()
    hand = hand_numba_scalar_loop()
    print("| workload | numpy backend | numba backend | speed-up | hand numba | jax.jit |")
    print("|:--|--:|--:|--:|--:|--:|")
    for name, f, args, wrt in CASES:
        numpy_call = per_call(s2sad.grad(f, wrt=wrt), args)
        numba_call = per_call(s2sad.grad(f, wrt=wrt, backend="numba"), args)
        key = name.split(" ")[0]
        hand_call = f"{per_call(hand, args) * 1e6:.1f} us" if key == "scalar_loop" else ""
        jax_call = f"{jax[key][1] * 1e6:.1f} us" if key in jax else ""
        print(f"| {name} | {numpy_call * 1e6:.1f} us | {numba_call * 1e6:.2f} us | "
              f"{numpy_call / numba_call:.0f}x | {hand_call} | {jax_call} |")
    print()
    print("| workload | cache | numba import | numba start-up | first call | transformation |"
          " compilation | jax.jit compilation |")
    print("|:--|:--|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as cache:
        for index, (name, *_) in enumerate(CASES):
            key = name.split(" ")[0]
            jax_compile = f"{jax[key][0]:.2f} s" if key in jax else ""
            for state in ("cold", "warm"):
                imported, started, first, transform, compiled = first_call(index, cache)
                print(f"| {name} | {state} | {imported:.2f} s | {started:.2f} s | {first:.2f} s | "
                      f"{transform:.2f} s | {compiled:.2f} s | "
                      f"{jax_compile if state == 'cold' else ''} |")


if __name__ == "__main__":
    main()
