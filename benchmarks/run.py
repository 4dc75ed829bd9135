"""The s2sad benchmark suite (``make bench``).

For every workload in ``benchmarks/workloads.py``, in one process: check the hand-written
gradient against finite differences and s2sad's gradient against the hand-written one, then
time ``f``, the hand gradient and s2sad's gradient (plus autograd / PyTorch / JAX when they
are importable) in alternating rounds, and report medians. Also reported: the time s2sad
takes to transform each function, the overhead of calling through the object ``s2sad.grad``
returns, and the time ``import s2sad`` adds to a fresh interpreter.

Usage::

    python benchmarks/run.py             # markdown table; JSON in benchmarks/results/
    python benchmarks/run.py --quick     # 3 samples: a smoke test
    python benchmarks/run.py --json      # print the JSON instead of the table
    python benchmarks/run.py --check     # only the correctness checks

See docs/performance.md for what each column means.
"""

from __future__ import annotations

import os

# One thread everywhere, set before NumPy (and its BLAS) is first imported.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(HERE), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import checks  # noqa: E402
import frameworks  # noqa: E402
from catalog import ALL  # noqa: E402
from workloads import Workload  # noqa: E402

import s2sad  # noqa: E402
import s2sad.pipeline  # noqa: E402
from s2sad.errors import S2sadError, UnsupportedSyntaxError  # noqa: E402

RESULTS = HERE / "results" / "latest.json"
SAMPLE_NS = 2_000_000  # each timing sample repeats the call for at least this long
DEFAULT_REPEATS = 15
QUICK_REPEATS = 3
TRANSFORM_RUNS = 7
IMPORT_RUNS = 5

perf_counter_ns = time.perf_counter_ns


# --- timing ----------------------------------------------------------------------------------


def _run(fn: Callable, args: Sequence, n: int) -> int:
    """Total nanoseconds for ``n`` calls of ``fn(*args)``."""
    start = perf_counter_ns()
    for _ in range(n):
        fn(*args)
    return perf_counter_ns() - start


def inner_repetitions(fn: Callable, args: Sequence, target_ns: int = SAMPLE_NS) -> int:
    """How many calls make one sample last about ``target_ns``."""
    n = 1
    while True:
        elapsed = _run(fn, args, n)
        if elapsed >= target_ns:
            return n
        wanted = math.ceil(n * target_ns / max(elapsed, 1))
        if wanted <= n:
            return n
        n = min(wanted, n * 100)


def time_alternating(callables: dict[str, tuple[Callable, Sequence]],
                     repeats: int) -> dict[str, dict[str, Any]]:
    """Median nanoseconds per call of each callable, sampled in rounds that rotate the order.

    Every callable is warmed up, then calibrated to about ``SAMPLE_NS`` per sample; each
    round takes one sample of every callable, starting one further along each time, so
    drifts in clock speed and caches are spread over all of them alike.
    """
    names = list(callables)
    reps = {}
    for name in names:
        fn, args = callables[name]
        _run(fn, args, 3)
        reps[name] = inner_repetitions(fn, args)
    samples: dict[str, list[float]] = {name: [] for name in names}
    collecting = gc.isenabled()
    gc.disable()
    try:
        for round_ in range(repeats):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                fn, args = callables[name]
                samples[name].append(_run(fn, args, reps[name]) / reps[name])
            gc.collect()
    finally:
        if collecting:
            gc.enable()
    return {name: {"median_ns": statistics.median(samples[name]),
                   "inner_repetitions": reps[name],
                   "samples_ns": samples[name]} for name in names}


def _noop(*args: Any) -> None:
    return None


def call_floor_ns(repeats: int) -> float:
    """What the timing loop itself costs per call: calling a function that does nothing.

    Not subtracted from anything; it says how far down the nanosecond timings can go.
    """
    return time_alternating({"noop": (_noop, (1.0, 2.0))}, repeats)["noop"]["median_ns"]


def transform_ms(workload: Workload, runs: int) -> float:
    """Median milliseconds of a cold ``clear_cache()`` + reverse transformation."""
    params = list(inspect.signature(workload.f).parameters)
    request = s2sad.pipeline.Request("reverse", tuple(params[p] for p in workload.wrt),
                                     wrt_tuple=True, scalar_check=True)
    times = []
    for _ in range(runs):
        s2sad.clear_cache()
        start = perf_counter_ns()
        s2sad.pipeline.derivative(workload.f, request)
        times.append(perf_counter_ns() - start)
    return statistics.median(times) / 1e6


def import_times(runs: int) -> dict[str, float]:
    """Milliseconds ``import numpy`` and ``import s2sad`` add to a fresh interpreter."""
    programs = {"python": "pass", "numpy": "import numpy", "s2sad": "import s2sad"}
    times: dict[str, list[int]] = {name: [] for name in programs}
    # As an installed package is: its modules compiled to bytecode once, by the warm-up
    # (an environment with PYTHONDONTWRITEBYTECODE set would compile them on every import).
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    for code in programs.values():  # warm the file system cache, write the bytecode
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
    for _ in range(runs):
        for name, code in programs.items():
            start = perf_counter_ns()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
            times[name].append(perf_counter_ns() - start)
    medians = {name: statistics.median(t) / 1e6 for name, t in times.items()}
    return {"python_startup_ms": medians["python"],
            "import_numpy_ms": medians["numpy"] - medians["python"],
            "import_s2sad_ms": medians["s2sad"] - medians["python"],
            "runs": runs}


# --- one workload ----------------------------------------------------------------------------


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    line = text.splitlines()[0] if text else ""
    line = line.replace(str(ROOT) + os.sep, "")
    if not isinstance(error, S2sadError):
        line = f"{type(error).__name__}: {line}" if line else type(error).__name__
    return line


def compiled_function(gradient: Callable) -> Callable:
    """The generated function behind what ``s2sad.grad`` returned.

    ``grad`` may hand back a lazy wrapper (whose ``_function()`` compiles and returns the
    generated function) or the generated function itself.
    """
    build = getattr(gradient, "_function", None)
    return build() if callable(build) else gradient


def called_function(gradient: Any, args: tuple) -> Any:
    """What a call of ``gradient`` at ``args`` runs: the version for the arguments'
    shapes, when ``gradient`` dispatches by shapes; else ``compiled_function``."""
    version_for = getattr(type(gradient), "version_for", None)
    return version_for(gradient, *args) if version_for else compiled_function(gradient)


def s2sad_status(workload: Workload, args: tuple, reference: tuple) -> dict[str, Any]:
    """Build, compile and run s2sad's gradient once: ok / wrong / error / unsupported."""
    info: dict[str, Any] = {"status": "ok", "message": None, "rel_error": None}
    try:
        gradient = s2sad.grad(workload.f, wrt=workload.wrt)
        result = gradient(*args)
        compiled = called_function(gradient, args)
    except UnsupportedSyntaxError as error:
        info.update(status="unsupported", message=first_line(error))
        return info
    except Exception as error:
        info.update(status="error", message=first_line(error))
        return info
    info["rel_error"] = checks.compare(result, reference)
    if not info["rel_error"] <= checks.AD_RTOL:
        info["status"] = "wrong"
    info["gradient"] = gradient
    info["compiled"] = compiled
    return info


def framework_status(framework: frameworks.Framework, workload: Workload, args: tuple,
                     reference: tuple) -> dict[str, Any]:
    info: dict[str, Any] = {"status": "ok", "message": None, "rel_error": None}
    try:
        run, call_args = framework.prepare(workload.f, workload.wrt, args)
        result = framework.to_numpy(run(*call_args))
    except Exception as error:
        info.update(status="error", message=first_line(error))
        return info
    info["compile_s"] = getattr(framework, "compile_seconds", None)
    info["rel_error"] = checks.compare(result, reference)
    if not info["rel_error"] <= checks.AD_RTOL:
        info["status"] = "wrong"
    info["callable"] = (run, call_args)
    return info


def check_workload(workload: Workload, available: list[frameworks.Framework]) -> dict:
    """Every correctness check for one workload; the live callables ride along."""
    args = workload.args()
    fd = checks.check_hand(workload.f, workload.hand, args, workload.wrt)
    reference = tuple(workload.hand(*args))
    return {
        "args": args,
        "hand": {"fd_ok": fd.ok, "fd_rel_error": fd.max_rel_error,
                 "fd_evaluations": fd.evaluations},
        "s2sad": s2sad_status(workload, args, reference),
        "frameworks": {fw.name: framework_status(fw, workload, args, reference)
                       for fw in available},
    }


def bench_workload(workload: Workload, available: list[frameworks.Framework], repeats: int,
                   transform_runs: int) -> dict[str, Any]:
    checked = check_workload(workload, available)
    args = checked["args"]
    s2 = checked["s2sad"]
    callables: dict[str, tuple[Callable, Sequence]] = {
        "f": (workload.f, args), "hand": (workload.hand, args)}
    wrapped = s2["status"] == "ok" and s2["gradient"] is not s2["compiled"]
    if s2["status"] == "ok":
        callables["s2sad"] = (s2["gradient"], args)
    if wrapped:
        callables["s2sad_compiled"] = (s2["compiled"], args)
    for name, info in checked["frameworks"].items():
        if info["status"] == "ok":
            callables[name] = info["callable"]
    timings = time_alternating(callables, repeats)
    median = {name: t["median_ns"] for name, t in timings.items()}

    entry: dict[str, Any] = {
        "name": workload.name,
        "description": workload.description,
        "wrt": list(workload.wrt),
        "needs_loops": workload.needs_loops,
        "hand_check": checked["hand"],
        "s2sad": {k: v for k, v in s2.items() if k not in ("gradient", "compiled")},
        "frameworks": {name: {k: v for k, v in info.items() if k != "callable"}
                       for name, info in checked["frameworks"].items()},
        "time_ns": {"f": median["f"], "hand": median["hand"],
                    "s2sad": median.get("s2sad")},
        "ratios": {"s2sad_over_hand": None, "s2sad_over_f": None},
        "call_overhead_ns": None,
        "transform_ms": None,
        "timings": timings,
    }
    for name in checked["frameworks"]:
        entry["time_ns"][name] = median.get(name)
        entry["ratios"][f"{name}_over_hand"] = (
            median[name] / median["hand"] if name in median else None)
    if "s2sad" in median:
        entry["ratios"]["s2sad_over_hand"] = median["s2sad"] / median["hand"]
        entry["ratios"]["s2sad_over_f"] = median["s2sad"] / median["f"]
        # grad may return the generated function itself: then there is nothing in between.
        entry["call_overhead_ns"] = (median["s2sad"] - median["s2sad_compiled"]
                                     if wrapped else 0.0)
        entry["s2sad"]["grad_returns"] = "wrapper" if wrapped else "generated function"
    if s2["status"] in ("ok", "wrong"):
        entry["transform_ms"] = transform_ms(workload, transform_runs)
    if s2["status"] == "ok":
        entry["tape"] = s2sad.tape_size(workload.f, *args, wrt=workload.wrt)
    if s2["status"] == "ok" and workload.name in HVP_WORKLOADS:
        entry["hvp_over_grad"] = hvp_ratio(workload, args, repeats)
    return entry


#: Workloads whose Hessian-vector product is timed against their gradient (theory: 2-3x).
HVP_WORKLOADS = ("b_mlp", "e_rnn")


def hvp_ratio(workload: Workload, args: tuple, repeats: int) -> float:
    """Median time of ``s2sad.hvp`` over that of ``s2sad.grad``, in the first ``wrt``
    argument, measured alternately."""
    position = workload.wrt[0]
    direction = np.random.default_rng(0).standard_normal(np.shape(args[position]))
    gradient = s2sad.grad(workload.f, wrt=position)
    product = s2sad.hvp(workload.f, wrt=position)
    timings = time_alternating({"grad": (gradient, args),
                                "hvp": (product, (*args, direction))}, repeats)
    return timings["hvp"]["median_ns"] / timings["grad"]["median_ns"]


# --- reporting -------------------------------------------------------------------------------


def format_time(ns: float | None) -> str:
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(ns) >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    digits = 2 if ratio < 10 else 1 if ratio < 100 else 0
    return f"{ratio:.{digits}f}×"


def status_cell(info: dict[str, Any], ns: float | None) -> str:
    if info["status"] == "ok":
        return format_time(ns)
    if info["status"] == "wrong":
        return "WRONG"
    return f"{info['status']}: {info['message']}"


def overhead_cell(entry: dict[str, Any]) -> str:
    if entry["s2sad"].get("grad_returns") == "generated function":
        return "none (direct)"
    return format_time(entry["call_overhead_ns"])


def tape_cell(tape: dict[str, int] | None) -> str:
    """What the reverse sweep recorded: bytes, and how many values."""
    if tape is None:
        return "—"
    if not tape["pushes"]:
        return "none"
    size = tape["bytes"]
    text = f"{size / 1e6:.2f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB" \
        if size >= 1e3 else f"{size} B"
    return f"{text} ({tape['pushes']} values)"


def geometric_mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    names = meta["frameworks"]
    lines = [
        f"## s2sad benchmarks, {meta['date']}",
        "",
        f"{meta['machine']}; Python {meta['python']}, NumPy {meta['numpy']} "
        f"({meta['blas']}), s2sad {meta['s2sad']}; {meta['threads']} thread; "
        f"median of {meta['repeats']} samples of ≥{SAMPLE_NS / 1e6:g} ms each; "
        f"an empty call costs {format_time(meta['call_floor_ns'])} in the timing loop.",
        "",
    ]
    header = ["workload", "f", "hand grad", "s2sad grad", "s2sad/hand", "s2sad/f"]
    header += [f"{name} (×hand)" for name in names]
    lines += ["| " + " | ".join(header) + " |",
              "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    for w in report["workloads"]:
        t = w["time_ns"]
        hand = format_time(t["hand"]) + ("" if w["hand_check"]["fd_ok"] else " (FD FAIL)")
        row = [f"`{w['name']}`", format_time(t["f"]), hand, status_cell(w["s2sad"], t["s2sad"]),
               format_ratio(w["ratios"]["s2sad_over_hand"]),
               format_ratio(w["ratios"]["s2sad_over_f"])]
        for name in names:
            cell = status_cell(w["frameworks"][name], t.get(name))
            ratio = w["ratios"].get(f"{name}_over_hand")
            row.append(cell if ratio is None else f"{cell} ({format_ratio(ratio)})")
        lines.append("| " + " | ".join(row) + " |")
    summary = report["summary"]
    gm = summary["geomean_s2sad_over_hand"]
    lines += [
        "",
        f"Geometric mean of s2sad/hand over the {summary['geomean_count']} workloads s2sad "
        f"differentiates correctly: {format_ratio(gm)}",
        "",
        "| workload | what | transform (ms) | call overhead | tape | hand vs FD "
        "| s2sad vs hand |",
        "|:---|:---|---:|---:|---:|---:|---:|",
    ]
    for w in report["workloads"]:
        tr = w["transform_ms"]
        s2_error = w["s2sad"]["rel_error"]
        lines.append(
            f"| `{w['name']}` | {w['description']} | {'—' if tr is None else f'{tr:.1f}'} | "
            f"{overhead_cell(w)} | {tape_cell(w.get('tape'))} | "
            f"{w['hand_check']['fd_rel_error']:.1e} | "
            f"{'—' if s2_error is None else f'{s2_error:.1e}'} |")
    hvps = [w for w in report["workloads"] if w.get("hvp_over_grad") is not None]
    if hvps:
        lines += ["", "Hessian-vector product (forward over reverse) / gradient, in the first "
                  "differentiated argument: " + ", ".join(
                      f"`{w['name']}` {format_ratio(w['hvp_over_grad'])}" for w in hvps)]
    compiled = [(w["name"], name, info["compile_s"]) for w in report["workloads"]
                for name, info in w["frameworks"].items() if info.get("compile_s") is not None]
    if compiled:
        lines += ["", "Compile time of the first call (not in the table): " + ", ".join(
            f"`{workload}` {name} {seconds:.2f} s" for workload, name, seconds in compiled)]
    imp = summary["import"]
    lines += [
        "",
        f"`import s2sad`: {imp['import_s2sad_ms']:.0f} ms over a bare interpreter start "
        f"({imp['python_startup_ms']:.0f} ms), of which `import numpy` alone is "
        f"{imp['import_numpy_ms']:.0f} ms (median of {imp['runs']} fresh processes).",
    ]
    return "\n".join(lines)


def check_markdown(rows: list[tuple[Workload, dict]]) -> str:
    lines = ["| workload | hand vs FD | FD evals | s2sad vs hand | frameworks |",
             "|:---|---:|---:|:---|:---|"]
    for workload, checked in rows:
        hand = checked["hand"]
        s2 = checked["s2sad"]
        s2_cell = (f"{s2['status']} ({s2['rel_error']:.1e})" if s2["rel_error"] is not None
                   else f"{s2['status']}: {s2['message']}")
        fw_cell = ", ".join(
            f"{name} {info['status']}" + (
                f" ({info['rel_error']:.1e})" if info["rel_error"] is not None else "")
            for name, info in checked["frameworks"].items()) or "—"
        verdict = "ok" if hand["fd_ok"] else "FAIL"
        lines.append(f"| `{workload.name}` | {verdict} ({hand['fd_rel_error']:.1e}) | "
                     f"{hand['fd_evaluations']} | {s2_cell} | {fw_cell} |")
    return "\n".join(lines)


def machine_meta(repeats: int, available: list[frameworks.Framework]) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
    except (AttributeError, KeyError, TypeError):
        blas = "unknown BLAS"
    cores = os.cpu_count()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {cores} cores, {platform.system()} {platform.machine()}",
        "cpu_count": cores,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "s2sad": s2sad.__version__,
        "threads": int(os.environ["OPENBLAS_NUM_THREADS"]),
        "repeats": repeats,
        "sample_ns": SAMPLE_NS,
        "frameworks": [fw.name for fw in available],
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _clean_floats(value: Any) -> Any:
    """JSON has no inf / nan: write them as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _clean_floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_floats(v) for v in value]
    return value


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS,
                        help=f"timing samples per callable (default {DEFAULT_REPEATS})")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_REPEATS} samples and fewer transform runs: a smoke test")
    parser.add_argument("--json", action="store_true",
                        help="print the JSON report instead of the markdown table")
    parser.add_argument("--check", action="store_true",
                        help="run the correctness checks only; exit 1 if any fails")
    parser.add_argument("--only", metavar="NAME", action="append",
                        help="run the workloads whose name contains NAME (repeatable)")
    parser.add_argument("--without", metavar="FRAMEWORK", action="append", default=[],
                        help="leave out an installed framework's column (autograd, torch, "
                             "jax, jax.jit; repeatable)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    selected = [w for w in ALL if not options.only or any(s in w.name for s in options.only)]
    if not selected:
        print(f"no workload matches {options.only}", file=sys.stderr)
        return 2
    available = [fw for fw in frameworks.available() if fw.name not in options.without]

    if options.check:
        rows = [(w, check_workload(w, available)) for w in selected]
        print(check_markdown(rows))
        failed = [w.name for w, c in rows
                  if not c["hand"]["fd_ok"] or c["s2sad"]["status"] == "wrong"
                  or any(i["status"] == "wrong" for i in c["frameworks"].values())]
        if failed:
            print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0

    repeats = QUICK_REPEATS if options.quick else options.repeats
    transform_runs = 3 if options.quick else TRANSFORM_RUNS
    started = perf_counter_ns()
    results = []
    for workload in selected:
        print(f"benchmarking {workload.name} ...", file=sys.stderr, flush=True)
        results.append(bench_workload(workload, available, repeats, transform_runs))
    print("timing import s2sad ...", file=sys.stderr, flush=True)
    imports = import_times(IMPORT_RUNS)

    good = [w["ratios"]["s2sad_over_hand"] for w in results if w["s2sad"]["status"] == "ok"]
    report = {
        "meta": {**machine_meta(repeats, available), "call_floor_ns": call_floor_ns(repeats)},
        "workloads": results,
        "summary": {
            "geomean_s2sad_over_hand": geometric_mean(good),
            "geomean_count": len(good),
            "import": imports,
            "wall_seconds": (perf_counter_ns() - started) / 1e9,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_clean_floats(report), indent=2, default=_json_default)
    RESULTS.write_text(text + "\n")
    if options.json:
        print(text)
    else:
        print(markdown(report))
        print(f"\n(JSON: {RESULTS.relative_to(ROOT)}; "
              f"{report['summary']['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
