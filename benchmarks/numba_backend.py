"""backend="numba" beside the NumPy backend (and ``jax.jit``, given a Python with JAX):
time per gradient call, and what the first call costs (transformation, and compilation
with Numba's on-disk cache cold and warm, each in a process of its own).

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
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from workloads import scalar_loop, scalar_loop_args  # noqa: E402

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


#: (name, function, arguments, wrt)
CASES = [
    ("scalar_loop (1000 steps of x*a + sin(x)*b)", scalar_loop, scalar_loop_args(), (0, 1, 2)),
    ("short_loop (10 steps)", short_loop, (0.8, 2.0), (0, 1)),
    ("newton_sqrt (while loop)", newton_sqrt, (1.0, 2.0), (0, 1)),
    ("branchy (200 steps, a branch each)", branchy, (1.2, 0.9, 200), (0, 1)),
]


def per_call(function, args, seconds=0.3) -> float:
    """The least time of one call over 7 rounds, in seconds."""
    function(*args)
    number = max(1, int(seconds / max(timeit.timeit(lambda: function(*args), number=1),
                                       1e-7)))
    return min(timeit.repeat(lambda: function(*args), number=number, repeat=7)) / number


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
import json, time, timeit, math
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
def scalar_loop(x, a, b):
    for _ in range(1000):
        x = x * a + jnp.sin(x) * b
    return x
def short_loop(x, a):
    for _ in range(10):
        x = x - 0.1 * (x * x - a)
    return x
found = {}
for name, f, args, wrt in [("scalar_loop", scalar_loop, ARGS, (0, 1, 2)),
                           ("short_loop", short_loop, (0.8, 2.0), (0, 1))]:
    g = jax.jit(jax.grad(f, argnums=wrt))
    start = time.perf_counter()
    jax.block_until_ready(g(*args))
    compile_seconds = time.perf_counter() - start
    run = lambda: jax.block_until_ready(g(*args))
    number = max(1, int(0.3 / max(timeit.timeit(run, number=1), 1e-7)))
    call = min(timeit.repeat(run, number=number, repeat=7)) / number
    found[name] = (compile_seconds, call)
print(json.dumps(found))
"""


def jax_figures(python: str) -> dict:
    code = _JAX.replace("ARGS", repr(scalar_loop_args()))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jax-python", help="a Python with jax installed")
    options = parser.parse_args()
    jax = jax_figures(options.jax_python) if options.jax_python else {}
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
