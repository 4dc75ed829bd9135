"""Versions of real array code for the arguments' shapes: built on the first call with
such arguments, they give the numbers of the version for any shapes (within 1e-12), and
arguments they were not built for go elsewhere."""

from __future__ import annotations

import inspect
import math
import tempfile

import numpy as np
import pytest

import s2sad
from s2sad.dispatch import ShapeDispatch
from s2sad.pipeline import Request, derivative
from s2sad.testing.rules import is_differentiable, tree_leaves
from tests.compiler.emitted import _corpora, _random
from tests.readability.functions import ALL_FUNCTIONS


def _entries():
    found = [(key, f, args) for key, f, args in _corpora()]
    found += [(f"readability.{f.__name__}", f, args) for f, (args, _) in ALL_FUNCTIONS.items()]
    return found


ENTRIES = _entries()


def _compare(function, args, mode="reverse"):
    """The version for ``args``' shapes against the version for any shapes, in ``mode``
    (an adjoint of a scalar output, or a tangent in random directions)."""
    names = tuple(p for p, a in zip(inspect.signature(function).parameters, args)
                  if is_differentiable(a))
    if not names:
        pytest.skip("nothing to differentiate")
    request = Request("reverse", names, scalar_check=True) if mode == "reverse" else \
        Request("forward", names)
    try:
        generated = derivative(function, request)
    except s2sad.S2sadError:
        pytest.skip("refused")
    shaped, general = generated.shaped, generated.function
    if shaped is None and generated.general is not None:  # float code's, behind its guard
        general = generated.general.generated().function
        shaped = generated.general.generated().shaped
    if shaped is None:
        pytest.skip("no versions by shape")
    rng = np.random.default_rng(7)
    full = list(args) + ([] if mode == "reverse" else [
        rng.normal(size=np.shape(a)) if isinstance(a, np.ndarray) else 0.7
        for a in args if is_differentiable(a)])
    types = shaped.types_of(dict(zip(shaped.parameters, full)))
    version = None if types is None else shaped.version(types)
    if version is None:
        pytest.skip("no version for these arguments, or the same code")
    try:
        expected = general(*full)
    except Exception as error:  # the version must raise what the general one raises
        with pytest.raises(type(error)):
            version.function(*full)
        return
    found = version.function(*full)
    for a, b in zip(tree_leaves(found), tree_leaves(expected), strict=True):
        assert type(a) is type(b)
        assert np.asarray(a).dtype == np.asarray(b).dtype
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key, function, args", ENTRIES, ids=[k for k, _, _ in ENTRIES])
def test_the_version_for_the_shapes_gives_the_same_numbers(key, function, args):
    _compare(function, args)


@pytest.mark.parametrize("key, function, args", ENTRIES, ids=[k for k, _, _ in ENTRIES])
def test_the_tangent_for_the_shapes_gives_the_same_numbers(key, function, args):
    _compare(function, args, "forward")


def test_jvp_goes_to_the_version_for_its_shapes():
    rng = np.random.default_rng(8)
    for n, m in [(3, 2), (4, 5), (3, 2)]:
        args = (rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m))
        directions = tuple(rng.normal(size=np.shape(a)) for a in args)
        value, tangent = s2sad.jvp(layer, args, directions)
        eps = 1e-6
        up = layer(*(a + eps * d for a, d in zip(args, directions)))
        down = layer(*(a - eps * d for a, d in zip(args, directions)))
        np.testing.assert_allclose(tangent, (up - down) / (2 * eps), rtol=1e-6)
        assert value == layer(*args)


def test_random_programs_give_the_same_numbers():
    with tempfile.TemporaryDirectory() as directory:
        compared = 0
        for _, function, args in _random(directory):
            for mode in ("reverse", "forward"):
                try:
                    _compare(function, args, mode)
                    compared += 1
                except pytest.skip.Exception:
                    pass
        assert compared > 20


def layer(x, W, b):
    return np.sum(np.tanh(W @ x + b) ** 2)


def _differences(function, args, position, eps=1e-6):
    x = args[position]
    found = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        up = list(args)
        up[position] = x + step
        down = list(args)
        down[position] = x - step
        found[i] = (function(*up) - function(*down)) / (2 * eps)
    return found


def test_each_call_goes_to_the_version_for_its_shapes():
    rng = np.random.default_rng(1)
    gradient = s2sad.grad(layer, wrt=(0, 1, 2))
    assert isinstance(gradient, ShapeDispatch)
    for n, m in [(3, 2), (4, 5), (3, 2), (1, 1), (4, 5)]:
        args = (rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m))
        found = gradient(*args)
        again = gradient(*args)  # the version for these shapes, built on a second call
        assert tuple((a.shape, a.dtype) for a in args) in gradient._table
        assert gradient.version_for(*args) is not gradient.__s2sad_generic__
        for a, b in zip(found, again):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
        for position in range(3):
            np.testing.assert_allclose(found[position], _differences(layer, args, position),
                                       rtol=1e-6, atol=1e-8)
            assert found[position].shape == args[position].shape


def _other_arguments(kind):
    rng = np.random.default_rng(2)
    x, W, b = rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=2)
    return {"float32": ((x.astype(np.float32), W.astype(np.float32), b.astype(np.float32)),
                        {}),
            "int": ((np.array([1, 2, 3]), W, b), {}),
            "broadcast bias": ((x, W, np.array([0.5])), {}),
            "empty": ((np.zeros(0), np.zeros((2, 0)), b), {}),
            "zero-d": ((x, W, np.array(0.5)), {}),
            "list": ((list(x), W, b), {}),
            "keyword": ((x, W), {"b": b}),
            "complex": ((x + 1j, W, b), {}),
            "matrix subclass": ((x, np.asmatrix(W), b), {}),
            "same shapes": ((x, W, b), {})}[kind]


def _outcome(function, args, keywords):
    try:
        return function(*args, **keywords)
    except Exception as error:
        return error


@pytest.mark.parametrize("kind", ["float32", "int", "complex", "broadcast bias", "empty",
                                  "zero-d", "list", "keyword", "matrix subclass",
                                  "same shapes"])
def test_other_arguments_get_the_numbers_of_the_version_for_any_shapes(kind):
    gradient = s2sad.grad(layer, wrt=(0, 1, 2))
    rng = np.random.default_rng(2)
    gradient(rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=2))
    general = derivative(layer, Request("reverse", ("x", "W", "b"), wrt_tuple=True,
                                        scalar_check=True)).function
    args, keywords = _other_arguments(kind)
    outcome = _outcome(gradient, args, keywords)
    reference = _outcome(general, args, keywords)
    assert type(outcome) is type(reference)
    if isinstance(outcome, Exception):
        assert str(outcome) == str(reference)
        return
    for found, expected in zip(tree_leaves(outcome), tree_leaves(reference), strict=True):
        assert np.asarray(found).dtype == np.asarray(expected).dtype
        np.testing.assert_allclose(found, expected, rtol=1e-12, atol=1e-12)


def test_beyond_the_limit_the_version_for_any_shapes_serves():
    gradient = s2sad.grad(layer, wrt=(0, 1, 2))
    rng = np.random.default_rng(3)
    for n in range(1, 13):
        args = (rng.normal(size=n), rng.normal(size=(2, n)), rng.normal(size=2))
        found = gradient(*args)
        np.testing.assert_allclose(found[0], _differences(layer, args, 0), rtol=1e-6,
                                   atol=1e-8)


def test_second_derivatives_read_the_version_for_any_shapes():
    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=2)
    gradient = s2sad.grad(layer)
    gradient(x, W, b)
    hessian = s2sad.jacfwd(gradient)(x, W, b)
    eps = 1e-6
    for k in range(3):
        step = np.eye(3)[k] * eps
        column = (gradient(x + step, W, b) - gradient(x - step, W, b)) / (2 * eps)
        np.testing.assert_allclose(hessian[:, k], column, rtol=1e-5, atol=1e-8)


def uses_a_gradient(x, W, b):
    return np.sum(LAYER_GRADIENT(x, W, b) ** 2)


LAYER_GRADIENT = s2sad.grad(layer)


def test_differentiated_code_calls_the_version_for_any_shapes():
    rng = np.random.default_rng(5)
    x, W, b = rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=2)
    found = s2sad.grad(uses_a_gradient)(x, W, b)
    np.testing.assert_allclose(found, _differences(uses_a_gradient, (x, W, b), 0),
                               rtol=1e-5, atol=1e-8)


def test_the_source_for_given_arguments_is_the_version_they_select():
    x, W, b = np.ones(3), np.ones((2, 3)), np.ones(2)
    text = s2sad.source(layer, wrt=(0, 1, 2), args=(x, W, b))
    assert text.splitlines()[1] == (
        "    # for x: float64 array of shape (3,), W: float64 array of shape (2, 3), "
        "b: float64 array of shape (2,), y_bar: float")
    assert "unbroadcast(" not in text and "matmul_adjoint" not in text
    assert "np.outer(" in text and "W.T @ " in text
    assert "unbroadcast(" in s2sad.source(layer, wrt=(0, 1, 2))
    assert s2sad.source(layer, wrt=(0, 1, 2), args=(x + 1j, W, b)) == s2sad.source(
        layer, wrt=(0, 1, 2), general=True)
    assert math.isfinite(s2sad.grad(layer)(x, W, b).sum())


# -- regressions: each a derivative the first versions by shape got wrong ---------------

from tests.compiler import regressions_shaped as cases  # noqa: E402


def _central(function, args, position, eps=1e-6):
    x = np.asarray(args[position], dtype=float)
    found = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        up, down = list(args), list(args)
        up[position] = (x + step) if x.ndim else float(x + step)
        down[position] = (x - step) if x.ndim else float(x - step)
        found[i] = (function(*up) - function(*down)) / (2 * eps)
    return found


def test_a_returned_name_defined_again_keeps_its_other_shapes():
    x = np.array([1.0, 2.0, 3.0])
    _, pullback = s2sad.vjp(cases.returned_name_reused, x, x)
    for position, found in enumerate(pullback(1.0)):
        np.testing.assert_allclose(found, _central(cases.returned_name_reused, (x, x),
                                                   position), rtol=1e-6)
    _, pullback = s2sad.vjp(cases.returned_name_reused_scalar, x, 0.5)
    np.testing.assert_allclose(pullback(1.0)[1], 3.0)


@pytest.mark.parametrize("function, args", [
    (cases.complex_by_positional_dtype, (np.array([0.3, 2.0]),)),
    (cases.complex_zeros, (np.array([0.3, 2.0]),)),
    (cases.fractional_power_of_a_float, (-4.0,)),
    (cases.fractional_power_of_a_math_result, (-1.0,)),
])
def test_complex_values_made_from_real_arguments_get_the_complex_rules(function, args):
    found = s2sad.grad(function)(*args)
    assert np.isrealobj(found)
    np.testing.assert_allclose(found, _central(function, args, 0), rtol=1e-6, atol=1e-8)


def test_generalized_ufuncs_and_two_result_ufuncs_are_not_elementwise():
    rng = np.random.default_rng(9)
    W, x, Y = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=(3, 3))
    found = s2sad.grad(cases.matmul_function, wrt=(0, 1))(W, x, Y)
    for position in (0, 1):
        assert found[position].shape == (W, x)[position].shape
        np.testing.assert_allclose(found[position],
                                   _central(cases.matmul_function, (W, x, Y), position),
                                   rtol=1e-6)
    args = (np.ones(1), np.array([1.0, 2.0, 3.0]))
    found = s2sad.grad(cases.divmod_quotient)(*args)
    assert found.shape == (1,)
    np.testing.assert_allclose(found, _central(cases.divmod_quotient, args, 0), rtol=1e-6)


@pytest.mark.parametrize("k", [np.arange(3), np.array([True, False, True]),
                               np.array([0.5, 1.5, 2.5])])
def test_a_gradient_is_a_new_float_array_never_an_argument(k):
    x = np.ones(3)
    for gradient in (s2sad.grad(cases.times_a_constant_array),
                     lambda x, k: s2sad.value_and_grad(cases.times_a_constant_array)(x, k)[1],
                     lambda x, k: s2sad.vjp(cases.times_a_constant_array, x, k)[1](1.0)[0]):
        found = gradient(x, k)
        found = gradient(x, k)  # the second call: the version for these shapes
        assert found is not k and not np.shares_memory(found, k)
        assert found.dtype == np.float64
        np.testing.assert_array_equal(found, k.astype(float))


def test_keyword_only_parameters_and_methods_are_called_as_they_are_given():
    x, b = np.array([0.3, -0.2]), np.array([0.1, 0.4])
    found = s2sad.grad(cases.keyword_only)(x, b=b)
    np.testing.assert_allclose(found, _central(lambda x: cases.keyword_only(x, b=b), (x,), 0),
                               rtol=1e-6)
    model = cases.Model()
    np.testing.assert_allclose(s2sad.grad(cases.Model.loss, wrt=1)(model, x),
                               _central(lambda x: model.loss(x), (x,), 0), rtol=1e-6)

    class Bound:
        def loss(self, x):
            return np.sum(np.tanh(x) ** 2)
        gradient = s2sad.grad(loss, wrt=1)

    np.testing.assert_allclose(Bound().gradient(x), _central(Bound().loss, (x,), 0),
                               rtol=1e-6)


def test_a_parameter_rebound_to_a_ragged_list():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(s2sad.grad(cases.rebound_to_a_ragged_list)(x),
                               [4.0, 4.0, 6.0, 0.0])  # 2 x0 twice, 2 x1, 2 x2


@pytest.mark.parametrize("seed", [np.ones((2, 3)), np.arange(3.0)])
def test_an_adjoint_seed_of_another_shape_is_treated_as_before(seed):
    x, b = np.array([0.1, 0.2, 0.3]), np.array([0.5, -0.5, 0.0])

    def reference():
        generated = derivative(layer_vector, Request("reverse", ("x", "b"), wrt_tuple=True,
                                                     return_value=True))
        return generated.function(x, b, **{generated.extra_parameters[0]: seed})[1]

    expected = _outcome(reference, (), {})
    found = _outcome(lambda: s2sad.vjp(layer_vector, x, b)[1](seed), (), {})
    assert type(found) is type(expected)
    if not isinstance(found, Exception):
        for a, b_ in zip(found, expected):
            np.testing.assert_allclose(a, b_, rtol=1e-12)


def layer_vector(x, b):
    return np.tanh(x + b)


def test_a_zero_d_argument_keeps_its_type():
    x = np.array(0.4)
    found = s2sad.grad(cases.zero_d_input)(x, 2.0)
    assert type(found) is np.ndarray and found.shape == ()


def softplus_mean(w, X):
    return np.mean(np.log1p(np.exp(-(X @ w))))


def weighted_mean(p, labels):
    t = labels * np.log(p) + (1 - labels) * np.log(1 - p)
    return -np.mean(t)


@pytest.mark.parametrize("function, args", [
    (softplus_mean, (np.array([0.3, -0.2, 0.5]), np.arange(12.0).reshape(4, 3) / 7)),
    (weighted_mean, (np.array([0.2, 0.7, 0.4, 0.9, 0.6]), np.array([0.0, 1, 1, 0, 1]))),
])
def test_a_mean_of_a_known_shape_divides_by_its_count(function, args):
    text = s2sad.source(function, wrt=0, args=args)
    assert "mean_weights(" not in text and "unreduce(" not in text
    assert f" / {args[0].size if function is weighted_mean else len(args[1])}" in text
    for _ in range(2):  # the first call, then the version for these shapes
        np.testing.assert_allclose(s2sad.grad(function)(*args), _central(function, args, 0),
                                   rtol=1e-6, atol=1e-9)


def weighted_squares(w, x):
    s = 0.0
    for i in range(len(x)):
        s += w[i] * x[i] ** 2
    return s


def test_float_code_given_arrays_takes_a_version_for_their_shapes():
    """Arithmetic written for floats, given arrays whose elements it reads: behind the
    float guard, a version for the arrays' shapes (no helper per element), with the
    numbers of central differences at every call; floats keep the float version."""
    rng = np.random.default_rng(9)
    gradient = s2sad.grad(weighted_squares, wrt=(0, 1))
    for n in (5, 5, 5, 3, 3):
        w, x = rng.uniform(0.5, 1.5, n), rng.normal(size=n)
        found = gradient(w, x)
        for position in (0, 1):
            np.testing.assert_allclose(found[position],
                                       _differences(weighted_squares, (w, x), position),
                                       rtol=1e-6, atol=1e-9)
            assert type(found[position]) is np.ndarray
            assert found[position].dtype == np.float64
    text = s2sad.source(weighted_squares, wrt=(0, 1), args=(w, x))
    assert "# for w: float64 array of shape (3,)" in text
    assert "x_bar[i] = " in text  # each element reached once: assigned, as by hand
    for helper in ("unbroadcast", "conj", "shape_only", "accumulate_at"):
        assert helper not in text
    # lists, ints and complex arrays: the general version's numbers
    w, x = [1.0, 2.0], [3.0, -1.0]
    for _ in range(2):
        assert gradient(w, x) == ([9.0, 1.0], [6.0, -4.0])
    for _ in range(2):
        found = gradient(np.array([1, 2]), np.array([3.0, -1.0]))
        np.testing.assert_allclose(found[0], [9.0, 1.0])
        assert found[0].dtype == np.int64 or found[0].dtype.kind == "f"
    for _ in range(3):  # the seed a parameter of its own
        value, pullback = s2sad.vjp(weighted_squares, np.array([1.0, 2.0]),
                                    np.array([3.0, -1.0]))
        found = pullback(0.5)
        assert value == 11.0
        np.testing.assert_allclose(found[0], [4.5, 0.5])
        np.testing.assert_allclose(found[1], [3.0, -2.0])


def test_float_code_keeps_its_float_version_for_floats():
    def f(x, a):
        for _ in range(3):
            x = x - 0.1 * (x * x - a)
        return x

    gradient = s2sad.grad(f, wrt=(0, 1))
    assert not isinstance(gradient, ShapeDispatch)  # floats go straight to their code
    for _ in range(3):
        found = gradient(0.8, 2.0)
        assert all(type(g) is float for g in found)
        eps = 1e-6
        np.testing.assert_allclose(found[0], (f(0.8 + eps, 2.0) - f(0.8 - eps, 2.0)) / 2 / eps,
                                   rtol=1e-7)


def picked_log_softmax(W, X, labels):
    logits = X @ W
    total = 0.0
    for i in range(logits.shape[0]):
        row = logits[i] - np.max(logits[i])
        p = np.exp(row) / np.sum(np.exp(row))
        total = total - np.log(p[labels[i]])
    return total


def test_an_element_of_an_integer_array_indexes_as_an_int():
    """``p[labels[i]]``: an element of an integer array picks one element, so what
    follows has known shapes (no ``unbroadcast``); the numbers stay those of central
    differences, and boolean arrays, whose elements index otherwise, are not taken so."""
    rng = np.random.default_rng(10)
    W, X = rng.normal(size=(4, 3)), rng.normal(size=(6, 4))
    labels = rng.integers(0, 3, 6)
    gradient = s2sad.grad(picked_log_softmax)
    for _ in range(3):
        np.testing.assert_allclose(gradient(W, X, labels),
                                   _differences(picked_log_softmax, (W, X, labels), 0),
                                   rtol=1e-6, atol=1e-8)
    text = s2sad.source(picked_log_softmax, args=(W, X, labels))
    assert "# for W: float64 array" in text
    assert "unbroadcast(total_bar" not in text and "total_bar = unbroadcast" not in text
    facts = _facts(picked_log_softmax, (W, X, labels))
    assert facts["_t10"] == ()  # p[labels[i]]
    masks = _facts(picked_log_softmax, (W, X, labels.astype(bool)))
    assert masks.get("_t10") is None


def _facts(function, args):
    """The shapes the shape inference finds, by name (a name's last definition)."""
    from s2sad.analyses.operations import targets_of
    from s2sad.analyses.shape_inference import ArgumentType, infer_shapes
    from s2sad.frontend import parse_function
    from s2sad.nodes import parameters
    from s2sad.pipeline import analysed
    from s2sad.versions import specialized

    prepared = specialized(analysed(parse_function(function), Request("reverse", ("W",))))
    names = parameters(prepared.core)
    types = {n: ArgumentType.of(a) for n, a in zip(names, args)}
    facts = infer_shapes(names, prepared.operations, prepared.shapes, types)
    return {t: facts.shapes.get((t, i)) for i, op in enumerate(prepared.operations)
            for t in targets_of(op.statement)}
