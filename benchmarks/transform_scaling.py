"""How the transformation's time and memory grow with the length of the function.

Generates functions of N statements in three forms, straight-line code, the same statements
in the body of one ``for`` loop, and straight-line code with a branch every ten statements,
and reports for each N the time of the first ``s2sad.grad(f)(x)`` and ``s2sad.jvp(f, ...)``
(transformation, compilation and the call, from an empty cache; wall and CPU time: on a
shared machine the CPU time is the steadier one) and the peak of the memory traced
meanwhile (``tracemalloc``, in a second run: tracing slows Python down). With
``--workloads``, the same first call of ``grad`` for each workload of ``workloads.py`` and
each function of ``extras.py``.

Usage::

    python benchmarks/transform_scaling.py                       # N = 100, 300, 1000, 3000
    python benchmarks/transform_scaling.py --sizes 400 --forms straight --modes grad
    python benchmarks/transform_scaling.py --profile 1000        # cProfile of one grad
    python benchmarks/transform_scaling.py --workloads           # first calls of the workloads
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib.util
import pstats
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import s2sad  # noqa: E402

FORMS = ("straight", "loop", "branches")
MODES = ("grad", "jvp")
#: the statements cycled through; ``{a}`` is the previous value, ``{b}`` the one before it
PATTERNS = (
    "{t} = {a} * 0.9",
    "{t} = np.sin({a}) + {b}",
    "{t} = np.cos({b}) * 0.5 - {a}",
    "{t} = np.tanh({a}) * x",
    "{t} = {a} * {b} + 0.25",
)


def value(i: int) -> str:
    """The name of the ``i``-th value (``a_1`` the one before ``a0``)."""
    return f"a{i}" if i >= 0 else "a_1"


def statements(n: int, first: int = 1, branch_every: int = 0, indent: str = "    ") -> list[str]:
    """``n`` assignments ``a{first} ...``, each reading the two values before it; with
    ``branch_every``, every that many statements one is an ``if``/``else`` on ``c``."""
    lines = []
    for i in range(first, first + n):
        line = PATTERNS[i % len(PATTERNS)].format(t=value(i), a=value(i - 1), b=value(i - 2))
        if branch_every and i % branch_every == 0:
            other = PATTERNS[(i + 1) % len(PATTERNS)].format(t=value(i), a=value(i - 1),
                                                               b=value(i - 2))
            lines += [f"{indent}if c:", f"{indent}    {line}", f"{indent}else:",
                      f"{indent}    {other}"]
        else:
            lines.append(f"{indent}{line}")
    return lines


def source(form: str, n: int) -> str:
    """A module defining ``f(x, c)`` of ``n`` statements in the given form."""
    head = ["import numpy as np", "", "", "def f(x, c):"]
    if form == "loop":
        body = ["    h = x", "    for _ in range(3):", "        a0 = h", "        a_1 = h * 0.5",
                *statements(n, indent="        ")]
        body += [f"        h = np.tanh(a{n})", "    return np.sum(h)"]
    else:
        body = ["    a_1 = x * 0.5", "    a0 = x",
                *statements(n, branch_every=10 if form == "branches" else 0),
                f"    return np.sum(a{n})"]
    return "\n".join(head + body) + "\n"


def generated_function(form: str, n: int, directory: Path):
    """``f`` of the module ``source(form, n)``, written to a file and imported."""
    name = f"scaling_{form}_{n}"
    path = directory / f"{name}.py"
    path.write_text(source(form, n))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def first_call(mode: str, f, x: np.ndarray) -> None:
    """The first derivative call of ``f`` at ``x`` in ``mode``, from an empty cache."""
    s2sad.clear_cache()
    if mode == "grad":
        s2sad.grad(f)(x, True)
    else:
        s2sad.jvp(f, (x, True), (np.ones_like(x), False))


def measure(call) -> tuple[float, float, float]:
    """Wall and CPU seconds of ``call()``, and the peak of the memory traced while it runs
    again (MB)."""
    start, cpu = time.perf_counter(), time.process_time()
    call()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, cpu, peak / 1e6


def workload_calls() -> dict:
    """For each workload (``workloads.py``, ``extras.py``): its first gradient call, from
    an empty cache."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import extras
    from workloads import ALL

    def first(f, wrt, args):
        def call():
            s2sad.clear_cache()
            s2sad.grad(f, wrt=wrt)(*args)
        return call

    calls = {w.name: first(w.f, w.wrt, w.args()) for w in ALL}
    rng = np.random.default_rng(0)
    recurrence = (rng.normal(size=32), rng.normal(size=(32, 32)) / 6, 100, 10)
    for f in (extras.recurrence_plain, extras.recurrence_binomial,
              extras.recurrence_uniform):
        calls[f"extras.{f.__name__}"] = first(f, (0, 1), recurrence)
    calls["extras.layer (jacfwd)"] = lambda: (s2sad.clear_cache(),
                                              s2sad.jacfwd(extras.layer)(np.ones(100)))
    return calls


def profile(mode: str, form: str, n: int, directory: Path, rows: int = 30) -> None:
    """The cProfile of one first call, by cumulative and by own time."""
    f = generated_function(form, n, directory)
    x = np.linspace(0.1, 0.9, 4)
    profiler = cProfile.Profile()
    profiler.enable()
    first_call(mode, f, x)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(rows)
    stats.sort_stats("tottime").print_stats(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--forms", nargs="+", choices=FORMS, default=list(FORMS))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--limit", type=float, default=60.0,
                        help="skip larger sizes of a form and mode once one took longer")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="print the profile of the first grad of N statements")
    parser.add_argument("--workloads", action="store_true",
                        help="the first gradient call of each benchmark workload")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if options.workloads:
        print("| workload | first call (ms) | CPU (ms) | peak traced memory (MB) |")
        print("|:---|---:|---:|---:|")
        for name, call in workload_calls().items():
            call()  # NumPy's and s2sad's own first uses (imports, rule tables) left out
            seconds, cpu, peak = measure(call)
            print(f"| {name} | {seconds * 1e3:.0f} | {cpu * 1e3:.0f} | {peak:.1f} |",
                  flush=True)
        return
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        if options.profile:
            for form in options.forms:
                for mode in options.modes:
                    profile(mode, form, options.profile, directory)
            return
        print("| form | N | mode | first call (s) | CPU (s) | peak traced memory (MB) |")
        print("|:---|---:|:---|---:|---:|---:|")
        for form in options.forms:
            for mode in options.modes:
                for n in sorted(options.sizes):
                    f = generated_function(form, n, directory)
                    x = np.linspace(0.1, 0.9, 4)
                    seconds, cpu, peak = measure(functools.partial(first_call, mode, f, x))
                    print(f"| {form} | {n} | {mode} | {seconds:.2f} | {cpu:.2f} | "
                          f"{peak:.0f} |", flush=True)
                    if seconds > options.limit:
                        break


if __name__ == "__main__":
    main()
