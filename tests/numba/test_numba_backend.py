"""backend="numba": derivatives of loops over Python floats compiled by Numba, checked
against central differences and against the NumPy backend (within 1e-12)."""

import importlib.util
import math
import sys
from math import sin, sqrt

import pytest

numba = pytest.importorskip("numba", reason="backend='numba' needs Numba (pip install "
                            "'s2sad[numba]')")

import s2sad  # noqa: E402
from s2sad.backends.numba_backend import NumbaBackendError  # noqa: E402


@pytest.fixture(autouse=True)
def _cache_in(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("S2SAD_NUMBA_CACHE", str(tmp_path_factory.getbasetemp() / "numba"))


def scalar_loop(x, a, b):
    for _ in range(1000):
        x = x * a + math.sin(x) * b
    return x


def short_loop(x, a):
    for _ in range(10):
        x = x - 0.1 * (x * x - a)
    return x


def until_large(x, a):
    while x < 10.0:
        x = x * a + 0.1
    return x


def branches_and_break(x, a, n):
    s = 0.0
    for i in range(n):
        if x > 1.0:
            x = x * a
        else:
            x = x + math.exp(a) * math.cos(x)
        if s > 100.0:
            break
        s = s + x * i
    return s


def lotka_volterra(u, v, a):
    return a * u - u * v, u * v - v


def with_a_helper(a):
    u, v = 1.0, 0.5
    for _ in range(10):
        du, dv = lotka_volterra(u, v, a)
        u = u + 0.05 * du
        v = v + 0.05 * dv
    return u * v


def central_differences(f, args, position, h=1e-5):
    """Richardson-extrapolated central differences of ``f`` in argument ``position``."""
    def step(d):
        up, down = list(args), list(args)
        up[position] += d
        down[position] -= d
        return (f(*up) - f(*down)) / (2 * d)
    return (4 * step(h / 2) - step(h)) / 3


def assert_close_to_numpy(found, expected, rtol=1e-12):
    for got, want in zip(found, expected):
        assert type(got) is float
        assert got == pytest.approx(want, rel=rtol, abs=1e-300)


CASES = [
    (short_loop, (0.8, 2.0)),
    (until_large, (1.0, 1.5)),
    (until_large, (12.0, 1.5)),  # the loop never runs
    (branches_and_break, (1.2, 1.01, 20)),
    (branches_and_break, (0.5, 1.3, 20)),  # takes the else branch, then breaks
    (branches_and_break, (0.5, 0.2, 0)),
]


@pytest.mark.parametrize("f, args", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_match_central_differences_and_the_numpy_backend(f, args):
    floats = tuple(k for k, v in enumerate(args) if type(v) is float)
    found = s2sad.grad(f, wrt=floats, backend="numba")(*args)
    expected = s2sad.grad(f, wrt=floats)(*args)
    assert_close_to_numpy(found, expected)
    for k, position in enumerate(floats):
        assert found[k] == pytest.approx(central_differences(f, args, position),
                                         rel=1e-6, abs=1e-8)


def test_the_1000_step_loop_matches_the_numpy_backend():
    args = (0.3, 0.57, 0.81)
    found = s2sad.grad(scalar_loop, wrt=(0, 1, 2), backend="numba")(*args)
    assert_close_to_numpy(found, s2sad.grad(scalar_loop, wrt=(0, 1, 2))(*args))
    for position in (1, 2):  # d/dx has decayed to nothing
        assert found[position] == pytest.approx(
            central_differences(scalar_loop, args, position), rel=1e-6)


def test_value_and_grad_gives_the_value_and_one_gradient():
    value_and_grad = s2sad.value_and_grad(short_loop, backend="numba")
    value, gradient = value_and_grad(0.8, 2.0)
    assert value == short_loop(0.8, 2.0)
    assert gradient == pytest.approx(central_differences(short_loop, (0.8, 2.0), 0),
                                     rel=1e-7)
    assert value_and_grad(0.7, a=2.0)[0] == short_loop(0.7, 2.0)  # by keyword too


def test_each_argument_type_gets_its_compilation_and_the_cost_is_reported():
    gradient = s2sad.grad(until_large, wrt=(0, 1), backend="numba")
    gradient(1.0, 1.5)
    gradient(2.0, 1.25)
    (version,) = gradient.versions.values()
    assert version.transform_seconds > 0 and version.compile_seconds > 0


def test_the_source_is_what_numba_compiles():
    text = s2sad.source(until_large, wrt=(0, 1), args=(1.0, 1.5), backend="numba")
    assert ".append" not in text and "grown(" in text  # a while: a growing buffer
    text = s2sad.source(short_loop, wrt=(0, 1), args=(0.8, 2.0), backend="numba")
    assert "np.empty(1 * range_length(0, 10, 1), np.float64)" in text  # preallocated
    gradient = s2sad.grad(short_loop, backend="numba")
    gradient(0.8, 2.0)
    assert "def short_loop_grad(x, a):" in gradient.source


def test_a_call_of_a_user_function_is_compiled_with_its_derivative():
    gradient = s2sad.grad(with_a_helper, backend="numba")
    found = gradient(1.1)
    assert found == pytest.approx(s2sad.grad(with_a_helper)(1.1), rel=1e-12)
    assert found == pytest.approx(central_differences(with_a_helper, (1.1,), 0), rel=1e-7)
    text = gradient.source
    assert "def lotka_volterra_adjoint(u, v, a" in text
    assert text.index("def lotka_volterra_adjoint(") < text.index("def with_a_helper_grad(")


def scaled_rates(u, v):
    return SCALE * u - u * v, u * v - v


def with_a_helper_reading_a_global(a):
    u, v = 1.0, 0.5
    for _ in range(10):
        du, dv = scaled_rates(u * a, v)
        u = u + 0.05 * du
        v = v + 0.05 * dv
    return u * v


def test_what_a_called_function_cannot_compile_is_refused_at_its_line():
    with pytest.raises(NumbaBackendError, match="SCALE has no compiled form") as error:
        s2sad.grad(with_a_helper_reading_a_global, backend="numba")(1.1)
    assert f"{__file__}:{scaled_rates.__code__.co_firstlineno + 1}:" in str(error.value)


def test_arguments_other_than_floats_and_float64_arrays_are_refused():
    np = pytest.importorskip("numpy")
    gradient = s2sad.grad(short_loop, backend="numba")
    with pytest.raises(NumbaBackendError, match="argument x is an array of dtype complex128"):
        gradient(np.ones(3, complex), 2.0)
    with pytest.raises(NumbaBackendError, match="argument a is str"):
        gradient(1.0, "2.0")
    with pytest.raises(s2sad.errors.NonScalarOutputError):
        gradient(np.ones(3), 2.0)  # the version for arrays runs: its output is an array
    with pytest.raises(NumbaBackendError, match="general version"):
        gradient(1, 2.0)  # an int x: the version for floats does not take it


def test_unknown_backends_and_options_are_refused():
    with pytest.raises(ValueError, match="backend must be"):
        s2sad.grad(short_loop, backend="jax")
    with pytest.raises(ValueError, match="has_aux"):
        s2sad.grad(short_loop, backend="numba", has_aux=True)


def _module_from(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop(name, None)
    return module


def test_a_changed_source_never_loads_a_stale_compilation(tmp_path):
    path = tmp_path / "changing.py"
    path.write_text("def f(x):\n    for _ in range(3):\n        x = x * 2.0\n    return x\n")
    first = s2sad.grad(_module_from(path, "changing").f, backend="numba")(1.0)
    path.write_text("def f(x):\n    for _ in range(3):\n        x = x * 3.0\n    return x\n")
    second = s2sad.grad(_module_from(path, "changing").f, backend="numba")(1.0)
    assert (first, second) == (8.0, 27.0)


def logs(x, n):
    for _ in range(n):
        x = math.log(x) + 2.0
    return x


def test_where_python_raises_the_compiled_derivative_raises_too():
    gradient = s2sad.grad(logs, backend="numba")
    assert gradient(3.0, 2) == pytest.approx(central_differences(logs, (3.0, 2), 0))
    with pytest.raises(ValueError, match="math domain error"):
        gradient(-3.0, 2)
    with pytest.raises(ValueError, match="math domain error"):
        s2sad.grad(logs, backend="numba")(-3.0, 2)  # at the first call too


@pytest.mark.parametrize("f, args", CASES[:5], ids=lambda v: getattr(v, "__name__", ""))
def test_jvp_and_vjp_satisfy_the_dot_product_identity(f, args):
    floats = [k for k, v in enumerate(args) if type(v) is float]
    tangents = tuple(0.3 + 0.2 * k if k in floats else 0 for k in range(len(args)))
    out, out_dot = s2sad.jvp(f, args, tangents, backend="numba")
    assert out == f(*args)
    expected = s2sad.jvp(f, args, tangents)
    assert out_dot == pytest.approx(expected[1], rel=1e-12, abs=1e-300)
    value, f_vjp = s2sad.vjp(f, *args, backend="numba")
    adjoints = f_vjp(0.7)
    assert value == f(*args)
    assert sum(adjoints[k] * tangents[k] for k in floats) == pytest.approx(
        0.7 * out_dot, rel=1e-10, abs=1e-12)


_IN_A_NEW_PROCESS = """
import sys
sys.path.insert(0, {here!r})
import s2sad
from test_numba_backend import short_loop
gradient = s2sad.grad(short_loop, wrt=(0, 1), backend="numba")
print(repr(gradient(0.8, 2.0)))
(version,) = gradient.versions.values()
print(sum(version.function.stats.cache_hits.values()))
"""


def test_a_new_process_loads_the_compilation_from_numbas_cache(tmp_path):
    import os
    import subprocess
    from pathlib import Path

    code = _IN_A_NEW_PROCESS.format(here=str(Path(__file__).parent))
    environment = dict(os.environ, S2SAD_NUMBA_CACHE=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", code], env=environment, check=True,
                           capture_output=True, text=True).stdout.split() for _ in range(2)]
    assert runs[0][-1] == "0" and runs[1][-1] == "1"  # compiled, then loaded
    assert runs[0][:-1] == runs[1][:-1]
    assert eval("".join(runs[0][:-1])) == pytest.approx(
        s2sad.grad(short_loop, wrt=(0, 1))(0.8, 2.0), rel=1e-12)


def with_imported_names(x, a):
    for _ in range(5):
        x = sin(x) * a + sqrt(x * x + 1.0)
    return x


def test_functions_imported_from_math_by_name():
    args = (0.4, 0.9)
    found = s2sad.grad(with_imported_names, wrt=(0, 1), backend="numba")(*args)
    assert_close_to_numpy(found, s2sad.grad(with_imported_names, wrt=(0, 1))(*args))
    assert found[1] == pytest.approx(central_differences(with_imported_names, args, 1),
                                     rel=1e-7)


SCALE = 2.0


def reads_a_global(x):
    for _ in range(3):
        x = x * SCALE
    return x


def test_a_global_value_is_refused_at_its_line():
    with pytest.raises(NumbaBackendError, match="SCALE has no compiled form") as error:
        s2sad.grad(reads_a_global, backend="numba")(1.0)
    assert f"{__file__}:{reads_a_global.__code__.co_firstlineno + 2}:" in str(error.value)


def test_without_numba_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    with pytest.raises(NumbaBackendError, match=r"pip install 's2sad\[numba\]'"):
        s2sad.grad(short_loop, backend="numba")(0.8, 2.0)


def integer_powers(x, n):
    k = 1
    for _ in range(n):
        k = k * 3
        x = x * 0.5 + 1.0 / k
    return x


def test_integer_products_are_refused_as_they_would_wrap():
    with pytest.raises(NumbaBackendError, match="integer product") as error:
        s2sad.grad(integer_powers, backend="numba")(1.0, 50)  # 3 ** 50 > 2 ** 63
    assert f"{__file__}:{integer_powers.__code__.co_firstlineno + 3}:" in str(error.value)


def steps_of(x, t):
    k = int(t / 0.1)
    for _ in range(k):
        x = x * 0.9
    return x


def test_a_float_made_an_integer_is_refused():
    with pytest.raises(NumbaBackendError, match="a float made an integer"):
        s2sad.grad(steps_of, backend="numba")(1.0, 0.5)


def nested(x, a, n):
    for i in range(n):
        for j in range(i):
            x = math.sin(x * a) + 0.01 * j
    return x


def slow_growth(x, a):
    while x < 100.0:
        x = x * a + 0.1 * math.sin(x)
    return x


def test_a_while_loop_grows_its_buffers_past_their_first_size():
    f, args = slow_growth, (1.0, 1.05)
    text = s2sad.source(f, wrt=(0, 1), args=args, backend="numba")
    assert "grown(" in text and "np.empty(16" in text  # buffers that start small and grow
    found = s2sad.grad(f, wrt=(0, 1), backend="numba")(*args)
    assert_close_to_numpy(found, s2sad.grad(f, wrt=(0, 1))(*args))
    for position in (0, 1):
        assert found[position] == pytest.approx(central_differences(f, args, position),
                                                rel=1e-6)


def nested_while(x, a):
    for i in range(5):
        while x < 3.0 + i:
            x = x * a + 0.1
        x = math.sqrt(x)
    return x


def nested_three_deep(x, a, n):
    for i in range(n):
        for j in range(i):
            k = 0
            while k < j:
                x = math.sin(x * a) + 0.01 * k
                k += 1
            if x > 0.5:
                x = x * 0.9
    return x


@pytest.mark.parametrize("f, args", [(nested, (0.3, 1.1, 12)), (nested, (0.3, 1.1, 0)),
                                     (nested_while, (0.3, 1.1)),
                                     (nested_three_deep, (0.7, 1.2, 6))],
                         ids=lambda v: getattr(v, "__name__", ""))
def test_nested_loops_that_record_match_the_numpy_backend(f, args):
    gradient = s2sad.grad(f, wrt=(0, 1), backend="numba")
    found = gradient(*args)
    assert_close_to_numpy(found, s2sad.grad(f, wrt=(0, 1))(*args))
    for position in (0, 1):
        assert found[position] == pytest.approx(central_differences(f, args, position),
                                                rel=1e-6, abs=1e-9)
    assert ".append(" not in gradient.source and "_lo = " in gradient.source


def int_or_float(x):
    s = 0.0
    for _ in range(2):
        c = 1 if x > 0 else x
        s = s + c * x
    return s


def test_a_value_an_int_in_one_call_and_a_float_in_another_is_recorded_exactly():
    gradient = s2sad.grad(int_or_float, backend="numba")
    for x, expected in [(0.5, 2.0), (-0.5, -2.0), (-0.5, -2.0), (0.5, 2.0)]:
        assert gradient(x) == pytest.approx(expected, rel=1e-12)


def scaled_sines(x, a=2.0):
    s = 0.0
    for i in range(3):
        s = s + a * math.sin(x * i)
    return s


def test_vjp_reads_the_defaults_as_they_are_now():
    expected = sum(i * math.cos(0.7 * i) for i in range(3))
    _, pullback = s2sad.vjp(scaled_sines, 0.7, backend="numba")
    assert pullback(1.0)[0] == pytest.approx(2.0 * expected, rel=1e-12)
    scaled_sines.__defaults__ = (5.0,)
    try:
        _, pullback = s2sad.vjp(scaled_sines, 0.7, backend="numba")
        assert pullback(1.0)[0] == pytest.approx(5.0 * expected, rel=1e-12)
    finally:
        scaled_sines.__defaults__ = (2.0,)


def test_jvp_of_a_function_with_defaults_is_refused_clearly():
    with pytest.raises(ValueError, match="no jvp of a function with default values"):
        s2sad.jvp(scaled_sines, (0.7,), (1.0,), backend="numba")


@pytest.mark.parametrize("make", [s2sad.hessian, s2sad.hvp, s2sad.jacfwd, s2sad.jacrev])
def test_jacobians_and_second_derivatives_refuse_the_numba_backend_clearly(make):
    with pytest.raises(ValueError, match=f"{make.__name__} has no backend='numba' yet"):
        make(short_loop, backend="numba")
    with pytest.raises(ValueError, match="backend must be"):
        make(short_loop, backend="jax")
    assert make(short_loop, backend="numpy") is not None
