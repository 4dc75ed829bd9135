"""The closure of the rules: every callable that first-order generated code names has
rules for both modes, so that every derivative can be differentiated again.

The callables are not listed by hand: each spec row (one per function of the table in
``test_rules.py``, made a user function as ``test_rules_compiled.py`` makes it) and each
corpus function (``tests/compiler/corpus*.py``) is differentiated in forward and reverse
mode, and every callable the emitted code reaches through its bindings is collected (the
general version's too, and the derivatives of the user functions it calls). Each must be
one of: a function with rules (a JVP and a VJP, or linear, for each argument it has rules
for; or nondifferentiable), code the compiler transforms itself (user functions, their
derivatives and the stand-ins for them), or a builtin whose loops the lowering rewrites.
Helpers still without rules are listed in ``OPEN``: the test fails when one of them gets
rules (so the list only shrinks) and when a callable outside it has none.

Second order is checked with numbers: ``s2sad.hvp`` against central differences of
``s2sad.grad`` along the same direction (every third spec function, for time, and the
constructs of the issue that led here: sort, cumsum, concatenate, array, max, diagonal,
det, hypot, std, einsum, the FFTs, in-place writes), reverse over reverse through
in-place writes, and a third derivative through ``x ** i`` in a loop.

Figures when written: 954 functions in two modes name 1563 callables: 510 with rules for
both modes, 1041 user functions, their derivatives and stand-ins, 4 loop builtins and
transforms' own, and 8 helpers still open; 132 spec functions checked at second order
(none meets an open helper).
"""

from __future__ import annotations

import inspect
import math
import types

import numpy as np
import pytest

import s2sad
from s2sad.errors import InternalRuleError, MissingRuleError
from s2sad.pipeline import Request, derivative
from s2sad.rules import RULES
from s2sad.runtime.indexing import accumulate_at
from s2sad.testing.rules import is_differentiable
from s2sad.testing.source import function_from_source
from tests.compiler.corpus import CORPUS
from tests.compiler.corpus_calls import CALLS_CORPUS
from tests.compiler.corpus_containers import CONTAINERS_CORPUS
from tests.compiler.corpus_control import CONTROL_CORPUS
from tests.compiler.corpus_inplace import INPLACE_CORPUS
from tests.rules.test_rules import SPECS
from tests.rules.test_rules_compiled import make_case

#: builtins the lowering turns into loops over ``range`` (no derivative flows through
#: them), and accumulate_at, the in-place sum every transform writes its own derivative
#: for (``s2sad/transforms``: forward, reverse, vector)
LOWERED = {reversed, zip, range, enumerate, len, accumulate_at}

#: runtime helpers generated code calls that have no rules yet (qualified names)
OPEN = {
    "s2sad.rules.pairwise.self_adjoint_a", "s2sad.rules.pairwise.self_adjoint_a_dot",
    "s2sad.runtime.indexing.restore_part", "s2sad.runtime.linalg_chains.multi_dot_jvp",
    "s2sad.runtime.linalg_chains.multi_dot_vjp",
    "s2sad.runtime.products.einsum_adjoints_tangent",
    "s2sad.runtime.products.einsum_second_tangent",
    "s2sad.runtime.shapes.pad_constant_adjoint",
}

#: helpers only second-order code calls that have no rules yet
OPEN_SECOND = {"s2sad.runtime.norms.vector_norm_direction_tangent",
               "s2sad.runtime.norms.norm_direction_tangent"}


def _generated(generated):
    """``generated``, its general version and the derivatives of the functions it calls."""
    yield generated
    if generated.general is not None:
        yield from _generated(generated.general.generated())
    for callee, _ in generated.depends:
        yield from _generated(callee)


def _cases():
    """(label, function, names differentiated): one spec row per function and set of
    keywords and number of arguments (the rows that differ in shapes only call the same
    helpers), every corpus function."""
    seen, cases = set(), []
    for spec in SPECS:
        key = (id(spec.fn), tuple(sorted(spec.kwargs)), len(spec.args))
        if key in seen:
            continue
        seen.add(key)
        case = make_case(spec)
        function = case.function(f"closure {len(cases)} {spec.name()}")
        params = list(inspect.signature(function).parameters)
        cases.append((spec.name(), function, tuple(params[i] for i in case.wrt)))
    corpus = CORPUS + CALLS_CORPUS + CONTAINERS_CORPUS + CONTROL_CORPUS + INPLACE_CORPUS
    for function, args in corpus:
        params = list(inspect.signature(function).parameters)
        names = tuple(p for p, a in zip(params, args) if is_differentiable(a))
        cases.append((function.__name__, function, names))
    return cases


@pytest.fixture(scope="module")
def callables():
    """Every callable the first-order code names, by id: (object, where it was met)."""
    found = {}
    for label, function, names in _cases():
        for mode in ("forward", "reverse"):
            for generated in _generated(derivative(function, Request(mode, names))):
                for value in generated.bindings.values():
                    if callable(value):
                        found.setdefault(id(value), (value, label))
    return found


def _transformed_by_the_compiler(value) -> bool:
    """User functions, derivatives of them and the stand-ins the compiler calls them by."""
    module = getattr(value, "__module__", None) or ""
    if module in ("s2sad.callees", "s2sad.deferred"):
        return True
    if isinstance(value, types.FunctionType) and not module.startswith(("s2sad", "scipy")):
        return True
    return type(value).__module__ in ("s2sad.callees", "s2sad.deferred")


def _complete(rules) -> bool:
    """Both modes for every argument the rules speak of (linear counts for both)."""
    if rules.nondifferentiable:
        return True
    arguments = set(rules.vjps) | set(rules.jvps) | rules.linear
    return bool(arguments) and all(
        (a in rules.jvps or a in rules.linear) and (a in rules.vjps or a in rules.linear)
        for a in arguments)


def _name(value) -> str:
    from s2sad.rules.registry import qualified_name

    return qualified_name(value)


def test_every_callable_of_generated_code_has_rules_for_both_modes(callables):
    missing, incomplete, closed = [], [], []
    for value, label in callables.values():
        if value in LOWERED or _transformed_by_the_compiler(value):
            continue
        rules = RULES.find(value)
        name = _name(value)
        if rules is None:
            if name not in OPEN:
                missing.append(f"{name} (met in {label})")
        elif not _complete(rules):
            incomplete.append(f"{name} (met in {label}): {rules.modes()}")
        elif name in OPEN:
            closed.append(name)
    assert not missing, f"{len(missing)} callables without rules: {sorted(missing)}"
    assert not incomplete, f"rules for one mode only: {sorted(incomplete)}"
    assert not closed, f"now with rules, take them out of OPEN: {sorted(closed)}"
    met = {_name(value) for value, _ in callables.values()}
    assert OPEN <= met, f"never met, take them out of OPEN: {sorted(OPEN - met)}"


def test_the_collection_finds_what_it_checks(callables):
    """The figures the module docstring speaks of: hundreds of callables, most with rules."""
    with_rules = [v for v, _ in callables.values() if RULES.find(v) is not None]
    assert len(callables) > 400
    assert len(with_rules) > 250


# ---- second order: every spec function, with numbers --------------------------------


def _scalar_rows():
    """One row per spec function (every third one, for time) whose output is one real
    array and whose first differentiated argument is a real float or array, as a scalar
    function ``sum(f(...) * W)`` of its parameters."""
    rows, seen = [], set()
    for spec in SPECS:
        if id(spec.fn) in seen:
            continue
        seen.add(id(spec.fn))
        if len(seen) % 3:
            continue
        case = make_case(spec)
        if not case.wrt:
            continue
        f = case.function(f"closure second {len(seen)} {spec.name()}")
        out = f(*case.args)
        x = case.args[case.wrt[0]]
        if (not isinstance(out, (float, np.ndarray)) or np.iscomplexobj(out)
                or not isinstance(x, (float, np.ndarray)) or np.iscomplexobj(x)
                or np.asarray(out).dtype.kind != "f"):
            continue
        rows.append(pytest.param(spec, case, f, id=spec.name()))
    return rows


def _scalar(case, f, label):
    params = list(inspect.signature(f).parameters)
    weights = np.random.default_rng(1).normal(size=np.shape(f(*case.args)))
    source = (f"def scalar({', '.join(params)}):\n"
              f"    return np.sum(f({', '.join(params)}) * W)\n")
    return function_from_source(source, {"np": np, "f": f, "W": weights},
                                filename=f"<closure scalar {label}>", name="scalar")


@pytest.mark.parametrize("spec, case, f", _scalar_rows())
def test_second_order_of_every_rule(spec, case, f, request):
    """``hvp`` against central differences of ``grad`` along the same direction, at the
    row's sample; or an error naming a helper of ``OPEN``. The second-order code's own
    callables are collected and checked as the first-order code's are."""
    k = case.wrt[0]
    scalar = _scalar(case, f, request.node.name)
    x = case.args[k]
    v = np.random.default_rng(2).normal(size=np.shape(x))
    v = float(v) if np.ndim(x) == 0 else v
    try:
        product = s2sad.hvp(scalar, wrt=k)(*case.args, v)
    except MissingRuleError as error:
        assert error.function_name in OPEN, str(error)
        if isinstance(error, InternalRuleError):
            assert "please report it" in str(error)
        pytest.xfail(f"open: {error.function_name}")
    gradient = s2sad.grad(scalar, wrt=k)

    def at(step):
        args = list(case.args)
        args[k] = x + step * v
        return np.asarray(gradient(*args))

    eps = spec.eps * 10
    numeric = (at(eps) - at(-eps)) / (2 * eps)
    np.testing.assert_allclose(product, numeric, rtol=1e-4, atol=1e-6)
    name = list(inspect.signature(scalar).parameters)[k]
    second = derivative(s2sad.grad(scalar, wrt=k), Request("forward", (name,)))
    for generated in _generated(second):
        for value in generated.bindings.values():
            if callable(value) and not (value in LOWERED
                                        or _transformed_by_the_compiler(value)):
                rules = RULES.find(value)
                known = (_name(value) in OPEN | OPEN_SECOND if rules is None
                         else _complete(rules))
                assert known, f"{_name(value)} in the second-order code"


# ---- second order of the constructs of the issue, and third order ----------------------


def sorted_cubes(x):
    return np.sum(np.sort(x) ** 3)


def running_sums(x):
    return np.sum(np.cumsum(x) ** 2) + np.sum(np.cumsum(np.reshape(x, (2, 2)), axis=0) ** 3)


def joined(x):
    return np.sum(np.concatenate([x ** 2, np.sin(x)]) ** 2)


def stacked(x):
    return np.sum(np.array([x[0] ** 2, x[1] * x[2], x[3]]) ** 3)


def largest(x):
    return max(x[0] * x[1], x[2] ** 2, x[3]) ** 2


def diagonal_terms(x):
    m = np.outer(x, x)
    return np.sum(np.diagonal(m) ** 2) + np.trace(m) ** 2 + np.sum(np.diag(x) ** 3)


def determinant(x):
    return np.linalg.det(np.reshape(x, (2, 2)) + 3.0 * np.eye(2))


def radius(x):
    return (np.hypot(x[0], x[1]) ** 3 + np.sum(np.hypot(x[2:], 2.0))
            + math.hypot(x[0], x[2], x[3]) ** 2)


def contractions(x):
    m = np.reshape(x, (2, 2))
    return np.einsum("ij,jk,k->", m, m, x[:2]) ** 2 + np.sum(np.einsum("ii->i", m) ** 3)


def spectra(x):
    return (np.sum(np.abs(np.fft.fft(x, n=6)) ** 2) + np.sum(np.fft.irfft(x[:3] * x[1:]) ** 3)
            + np.sum(np.abs(np.fft.rfft(x ** 2, n=3)) ** 2))


def masked_sum(x):
    return np.sum(np.sum(x ** 3, where=x > 0))


def spreads(x):
    m = np.reshape(x, (2, 2))
    return np.std(x) * np.var(x[:3], ddof=1) + np.sum(m.std(axis=0) ** 3) + np.nanstd(x)


def shifted_squares(x):
    y = x * 1.0
    y[1:] += y[:-1] ** 2
    return np.sum(y ** 2)


def rows_updated(x):
    m = np.outer(x, x)
    m[1] = m[1] * m[2]
    m[:, 0] -= m[:, 3] ** 2
    y = x.copy()
    y[::2] *= np.sin(y[1::2])
    return np.sum(m ** 2) + np.sum(y ** 3)


IN_PLACE = [shifted_squares, rows_updated]
SECOND_ORDER = IN_PLACE + [spreads, sorted_cubes, running_sums, joined, stacked, largest,
                           diagonal_terms, determinant, radius, masked_sum, contractions, spectra]


@pytest.mark.parametrize("function", SECOND_ORDER, ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences_of_the_gradient(function):
    rng = np.random.default_rng(3)
    x = rng.permutation(np.arange(1.0, 5.0)) * 0.4 + rng.uniform(0, 0.1, 4)
    v = rng.normal(size=4)
    eps = 1e-5
    gradient = s2sad.grad(function)
    numeric = (gradient(x + eps * v) - gradient(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(s2sad.hvp(function)(x, v), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("function", IN_PLACE, ids=lambda f: f.__name__)
def test_reverse_over_reverse_through_writes_the_gradient_undoes(function):
    """The gradient writes into an array, and later writes back what it saved: views of
    the array read only after that are what they were (``s2sad/analyses/restores.py``)."""
    rng = np.random.default_rng(4)
    x, v = rng.uniform(0.5, 1.5, 4), rng.normal(size=4)
    eps = 1e-5
    gradient = s2sad.grad(function)
    numeric = (gradient(x + eps * v) - gradient(x - eps * v)) / (2 * eps)
    hessian = s2sad.jacrev(s2sad.grad(function))(x)
    np.testing.assert_allclose(hessian @ v, numeric, rtol=1e-6, atol=1e-7)


def powers(x):
    s = 0.0
    for i in range(4):
        s = s + x ** i
    return s


def test_third_derivative_through_powers_in_a_loop():
    third = s2sad.grad(s2sad.grad(s2sad.grad(powers)))
    assert third(1.5) == pytest.approx(6.0, rel=1e-12)  # d3/dx3 (1 + x + x^2 + x^3)
