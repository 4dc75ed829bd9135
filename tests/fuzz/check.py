"""The oracle: s2sad's derivatives of a generated program against numbers.

``check(program, args)`` loads the program from a real file, runs it, differentiates it
(``jvp``, ``vjp``, ``grad`` when the output is a scalar, ``hvp`` at second order) and
compares with Richardson-extrapolated central differences of the program itself, with
the dot-product identity between the two modes, and with the program's value. It returns
an outcome (``"passed"``, ``"refused"``, ``"raises"``) or raises ``AssertionError``;
inputs too close to a jump of the program, or where the differences disagree with
themselves, are discarded with ``hypothesis.assume``.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import importlib.util
import itertools
import os
import signal
import sys
import tempfile

import numpy as np
from hypothesis import assume

import s2sad
from s2sad.errors import S2sadError
from tests.fuzz.programs import Program, Trace

MARGIN = 1e-3  # the least distance of a value deciding a jump from the jump
PRIMAL_SECONDS = 0.5  # a program running longer than this once is discarded
DERIVATIVE_SECONDS = 60.0  # a check running longer than this is a failure: a hang
COUNTS: collections.Counter = collections.Counter()  # outcomes over the test run
REFUSALS: collections.Counter = collections.Counter()  # refusal messages' first words
EXAMPLES: dict = {}  # the first full message of each refusal
_serial = itertools.count()


class Loaded:
    """``f`` imported from a temporary module file, and ``f`` instrumented (``_gap``)."""

    def __init__(self, program: Program) -> None:
        self.directory = tempfile.mkdtemp(prefix="s2sad_fuzz_")
        self.name = f"s2sad_fuzz_{os.getpid()}_{next(_serial)}"
        self.path = os.path.join(self.directory, self.name + ".py")
        with open(self.path, "w") as handle:
            handle.write(program.source)
        spec = importlib.util.spec_from_file_location(self.name, self.path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.name] = module
        spec.loader.exec_module(module)
        self.f = module.f
        self.trace = Trace()
        scope = {"_gap": lambda *a: self.trace(*a)}
        exec(compile(program.render(instrumented=True), self.path + "-traced", "exec"), scope)
        self.traced = scope["f"]

    def run(self, args):
        """``f``'s value at ``args`` (copied) and the trace of its jumps."""
        self.trace = Trace()
        out = self.traced(*copy.deepcopy(args))
        return out, self.trace

    def close(self) -> None:
        sys.modules.pop(self.name, None)
        os.remove(self.path)
        os.rmdir(self.directory)
        s2sad.clear_cache()


# ---- numbers ----------------------------------------------------------------------------


def _vector(value) -> np.ndarray:
    """A value (float, array, tuple of those) as one flat complex vector."""
    if isinstance(value, (tuple, list)):
        parts = [_vector(v) for v in value]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.ravel(np.asarray(value, dtype=complex))


def _inner(a, b) -> float:
    """The real inner product (a complex number as the pair of its parts)."""
    return float(np.sum((np.conj(_vector(a)) * _vector(b)).real))


def _keep(condition, reason: str) -> None:
    """``assume(condition)``, counting the examples discarded for ``reason``."""
    if not condition:
        COUNTS["discarded: " + reason] += 1
    assume(condition)


def _moved(args, direction, h):
    return [a + h * d if d is not None else a for a, d in zip(args, direction)]


def _difference(run, args, direction, h, sides):
    """Central difference of ``run`` along ``direction``, Richardson-extrapolated from
    steps ``h`` and ``h / 2``; discards the example if a moved point crosses a jump."""
    def at(step):
        out, trace = run(_moved(args, direction, step))
        if sides is not None:
            _keep(trace.sides == sides, "a moved point crosses a jump")
        return _vector(out)

    coarse = (at(h) - at(-h)) / (2 * h)
    fine = (at(h / 2) - at(-h / 2)) / h
    return (4 * fine - coarse) / 3


def _assert_close(actual, expected, rtol, atol, what, program, args, extra=""):
    actual, expected = _vector(actual), _vector(expected)
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    if actual.shape != expected.shape or not np.all(
            np.abs(actual - expected) <= atol * scale + rtol * np.abs(expected)):
        raise AssertionError(
            f"{what}: s2sad gives {actual}, the numbers {expected}{extra}\n"
            f"at args={args!r}\n{program.source}")


class Tolerance:
    def __init__(self, program: Program) -> None:
        low = program.low_precision
        self.step = 1e-2 if low else 1e-3
        self.rtol = 1e-3 if low else 1e-5
        self.atol = 1e-3 if low else 1e-6


# ---- the check --------------------------------------------------------------------------


def _positions(args):
    return tuple(i for i, a in enumerate(args) if not isinstance(a, int))


def _random_like(value, rng):
    if isinstance(value, complex):
        return complex(rng.normal(), rng.normal())
    if isinstance(value, float):
        return float(rng.normal())
    return rng.normal(size=np.shape(value)).astype(value.dtype)


def _refused(error: Exception, order: str, loaded: Loaded | None = None) -> str:
    """Counts a refusal; one of the program itself must name its file and line."""
    if loaded is not None and f"{loaded.path}:" not in str(error):
        raise AssertionError(f"a refusal naming no line of the program: "
                             f"{type(error).__name__}: {error}")
    COUNTS["refused" + order] += 1
    message = f"{type(error).__name__}: {str(error).splitlines()[0].split(': ', 1)[-1][:60]}"
    REFUSALS[message] += 1
    EXAMPLES.setdefault(message, str(error))
    return "refused"


class _OutOfTime(Exception):
    pass


@contextlib.contextmanager
def _time_bound(seconds: float):
    """Raise ``_OutOfTime`` in the block once it has used ``seconds`` of processor time
    (not wall time: on a loaded machine a check waits without being slow)."""
    def expire(signum, frame):
        raise _OutOfTime
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check(program: Program, args: tuple, second_order: bool = True) -> str:
    loaded = Loaded(program)
    try:
        try:
            with _time_bound(PRIMAL_SECONDS):
                loaded.run(tuple(args))
        except _OutOfTime:
            _keep(False, "runs too long")
        except Exception:
            pass  # a raising program is checked below
        try:
            with _time_bound(DERIVATIVE_SECONDS):
                return _check(loaded, program, tuple(args), second_order)
        except _OutOfTime:
            raise AssertionError(
                f"the check ran over {DERIVATIVE_SECONDS:.0f} s where f runs in under "
                f"{PRIMAL_SECONDS} s\nat args={args!r}\n{program.source}") from None
    finally:
        loaded.close()


def _check(loaded: Loaded, program: Program, args: tuple, second_order: bool) -> str:
    f = loaded.f
    tol = Tolerance(program)
    try:
        value, trace = loaded.run(args)
    except Exception as raised:  # the program raises: so must its derivatives
        return _check_raises(f, program, args, raised)
    _keep(trace.least >= MARGIN, "too close to a jump")
    _keep(np.all(np.isfinite(_vector(value))) and np.max(np.abs(_vector(value)), initial=0) < 1e6,
          "not finite or too large")
    sides = trace.sides
    scalar = np.ndim(value) == 0 and not isinstance(value, (tuple, list))
    positions = _positions(args)
    rng = np.random.default_rng(0)
    tangents = [_random_like(args[p], rng) for p in positions]
    out_bar = (float(rng.normal()) if scalar
               else rng.normal(size=np.shape(value)))

    def run(moved):
        return loaded.run(moved)

    direction = [None] * len(args)
    for p, t in zip(positions, tangents):
        direction[p] = t
    numeric = _difference(run, args, direction, tol.step, sides)
    check_numeric = _difference(run, args, direction, 2 * tol.step, sides)
    spread = np.max(np.abs(numeric - check_numeric), initial=0.0)
    _keep(spread <= tol.atol + tol.rtol * np.max(np.abs(numeric), initial=0.0),
          "differences disagree")

    try:
        y, y_dot = s2sad.jvp(f, copy.deepcopy(args), tuple(tangents))
        out, vjp_fn = s2sad.vjp(f, *copy.deepcopy(args))
        cotangents = vjp_fn(out_bar)
        if scalar:
            grad_value, gradient = s2sad.value_and_grad(f, wrt=positions)(
                *copy.deepcopy(args))
    except S2sadError as error:
        return _refused(error, "", loaded)
    except Exception as error:
        raise AssertionError(
            f"s2sad's derivative raised {type(error).__name__}: {error} where f runs\n"
            f"at args={args!r}\n{program.source}") from error
    COUNTS["first order"] += 1
    _check_second_call(f, program, args, positions, tangents, out_bar,
                       (y, y_dot, [cotangents[p] for p in positions]))

    exact = 1e-6 if program.low_precision else 1e-12
    _assert_close(y, value, exact, exact, "jvp's primal", program, args)
    _assert_close(out, value, exact, exact, "vjp's primal", program, args)
    _assert_close(y_dot, numeric, tol.rtol, tol.atol, "jvp (forward mode)", program, args,
                  f" along {tangents}")
    left = _inner(out_bar, y_dot)
    right = sum(_inner(cotangents[p], t) for p, t in zip(positions, tangents))
    _assert_close(right, left, tol.rtol, tol.atol, "vjp (dot-product identity with jvp)",
                  program, args, f" along {tangents}, out_bar={out_bar}")
    if scalar:
        _assert_close(grad_value, value, exact, exact, "value_and_grad's value", program, args)
        _check_gradient(loaded, program, args, positions, gradient, tol, sides)
    if scalar and second_order and not program.low_precision \
            and not any(isinstance(a, complex) for a in args):
        _check_hvp(f, program, args, positions, gradient, tol)
    COUNTS["passed"] += 1
    return "passed"


def _check_second_call(f, program, args, positions, tangents, out_bar, first) -> None:
    """``jvp`` and ``vjp`` called again with arguments of the same shapes run the versions
    for those shapes (built on a second call): the same numbers as the first call's."""
    try:
        again = s2sad.jvp(f, copy.deepcopy(args), tuple(tangents))
        pulled = s2sad.vjp(f, *copy.deepcopy(args))[1](out_bar)
        cotangents = [pulled[p] for p in positions]
    except S2sadError as error:
        raise AssertionError(f"a second call raised {type(error).__name__}: {error}\n"
                             f"at args={args!r}\n{program.source}") from error
    for found, expected, what in zip((*again, cotangents), first,
                                     ("jvp's primal", "jvp", "vjp")):
        _assert_close(found, expected, 1e-12, 1e-12, f"{what} at a second call", program,
                      args)


def _check_gradient(loaded, program, args, positions, gradient, tol, sides):
    """Every element of ``grad`` against its own central difference."""
    assert isinstance(gradient, tuple) and len(gradient) == len(positions)
    for p, g in zip(positions, gradient):
        arg = args[p]
        assert np.shape(g) == np.shape(arg), f"gradient {p} has shape {np.shape(g)}"
        if isinstance(arg, float):
            assert isinstance(g, float), f"the gradient of float argument {p} is a {type(g)}"
        units = ([1.0, 1j] if isinstance(arg, complex) else [1.0]) if np.ndim(arg) == 0 \
            else list(np.eye(arg.size, dtype=arg.dtype).reshape((arg.size,) + arg.shape))
        expected = []
        for unit in units:
            direction = [None] * len(args)
            direction[p] = unit
            expected.append(_difference(loaded.run, args, direction, tol.step, sides)[0].real)
        if isinstance(arg, complex):
            expected = [complex(expected[0], expected[1])]
        _assert_close(g, np.reshape(expected, np.shape(arg)), tol.rtol, tol.atol,
                      f"grad in argument {p}", program, args)


def _check_hvp(f, program, args, positions, gradient, tol):
    """``hvp`` against differences of s2sad's gradient (checked above at this point)."""
    rng = np.random.default_rng(1)
    direction = tuple(_random_like(args[p], rng) for p in positions)
    grad_f = s2sad.grad(f, wrt=positions)

    def run(moved):
        return grad_f(*moved), None

    full = [None] * len(args)
    for p, d in zip(positions, direction):
        full[p] = d
    try:
        product = s2sad.hvp(f, wrt=positions)(*copy.deepcopy(args), direction)
    except S2sadError as error:
        _refused(error, " (second order)")
        return
    except Exception as error:
        raise AssertionError(
            f"hvp raised {type(error).__name__}: {error} where grad works\n"
            f"at args={args!r}\n{program.source}") from error
    numeric = _difference(run, args, full, tol.step, None)
    check_numeric = _difference(run, args, full, 2 * tol.step, None)
    spread = np.max(np.abs(numeric - check_numeric), initial=0.0)
    if spread > tol.atol + tol.rtol * np.max(np.abs(numeric), initial=0.0):
        COUNTS["second order: differences disagree"] += 1  # no verdict
        return
    _assert_close(product, numeric, 1e2 * tol.rtol, 1e2 * tol.atol, "hvp", program, args,
                  f" along {direction}")
    COUNTS["second order"] += 1


def _check_raises(f, program, args, raised):
    COUNTS["raises"] += 1
    positions = _positions(args)
    try:
        s2sad.jvp(f, copy.deepcopy(args), tuple(_random_like(args[p], np.random.default_rng(0))
                                                 for p in positions))
    except S2sadError as error:
        return _refused(error, " (raising program)")
    except Exception:
        return "raises"
    raise AssertionError(
        f"f raises {type(raised).__name__}: {raised}, its derivatives return\n"
        f"at args={args!r}\n{program.source}")
