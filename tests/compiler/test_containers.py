"""Containers through the compiler: every CONTAINERS_CORPUS function in forward and reverse
mode, grad (scalar results) and vjp/jvp (tuple results) against finite differences and the
corpus's soundness (the standard tests of ``corpus_checks``), with gradients in their
arguments' structure."""

import numpy as np

import s2sad
from tests.compiler import corpus_checks as checks
from tests.compiler.corpus_containers import (
    CONTAINERS_CORPUS,
    dict_of_lists,
    dict_params,
    list_of_arrays,
    nested_tuple_params,
    nested_tuple_result,
    tuple_result,
)


def test_corpus_size_and_kinds():
    assert 12 <= len({f for f, _ in CONTAINERS_CORPUS}) <= 25
    tuple_results = checks.vjp_cases(CONTAINERS_CORPUS)
    assert len(tuple_results) >= 3
    # every result that is not a scalar is a tuple, with only float arguments (vjp_cases)
    scalar = checks.scalar_cases(CONTAINERS_CORPUS)
    assert len(scalar) + len(tuple_results) == len(CONTAINERS_CORPUS)
    for (function, args), _ in tuple_results:
        assert isinstance(checks.call(function, args), tuple)


(
    test_forward_and_reverse,
    test_grad_matches_finite_differences,
    test_vjp_and_jvp_match_finite_differences,
    test_corpus_case_is_sound,
) = checks.standard_tests(CONTAINERS_CORPUS, vjp_and_jvp=True)


# ---- gradients come back in their argument's structure ------------------------------------

_R = np.random.default_rng(3)
_X = np.array([0.5, -0.7, 1.2])


def test_dict_argument_gives_a_dict_gradient():
    params = {"W": _R.normal(size=(2, 3)), "b": _R.normal(size=2), "scale": 1.5}
    g = s2sad.grad(dict_params)(params, _X)
    assert type(g) is dict and list(g) == ["W", "b", "scale"]
    assert g["W"].shape == (2, 3) and g["b"].shape == (2,) and type(g["scale"]) is float
    np.testing.assert_allclose(g["scale"], dict_params(params, _X) / 1.5, rtol=1e-12)
    gp, gx = s2sad.grad(dict_params, wrt=("params", "x"))(params, _X)
    assert type(gp) is dict and set(gp) == set(params) and gx.shape == _X.shape


def test_nested_dict_list_tuple_argument_gives_the_same_nesting():
    params = {"layers": [_R.normal(size=(4, 3)), _R.normal(size=(2, 4))],
              "affine": (_R.normal(size=2), 0.8)}
    g = s2sad.grad(dict_of_lists)(params, _X)
    assert type(g) is dict and set(g) == {"layers", "affine"}
    assert type(g["layers"]) is list and [a.shape for a in g["layers"]] == [(4, 3), (2, 4)]
    assert type(g["affine"]) is tuple and len(g["affine"]) == 2
    assert g["affine"][0].shape == (2,) and type(g["affine"][1]) is float


def test_tuple_and_list_arguments_keep_their_types():
    params = ((_R.normal(size=(4, 3)), _R.normal(size=4)), (_R.normal(size=(2, 4)), np.zeros(2)))
    g = s2sad.grad(nested_tuple_params)(params, _X)
    assert type(g) is tuple and all(type(layer) is tuple and len(layer) == 2 for layer in g)
    assert [a.shape for layer in g for a in layer] == [(4, 3), (4,), (2, 4), (2,)]
    xs = [_R.normal(size=3) for _ in range(3)]
    gl = s2sad.grad(list_of_arrays)(xs)
    assert type(gl) is list and len(gl) == 3
    expected = [np.cos(v) for v in xs]
    expected[0] = expected[0] + xs[-1]
    expected[-1] = expected[-1] + xs[0]
    for a, e in zip(gl, expected):
        np.testing.assert_allclose(a, e, rtol=1e-12)


# ---- tuple results ---------------------------------------------------------------------------


def test_vjp_of_a_tuple_result_takes_a_tuple_of_cotangents():
    y = np.array([0.9, 0.1, -0.3])
    out, vjp_fn = s2sad.vjp(tuple_result, _X, y)
    assert type(out) is tuple and len(out) == 2
    gx, gy = vjp_fn((1.0, np.zeros(3)))  # the first result only: d sum(x*y)
    np.testing.assert_allclose(gx, y, rtol=1e-12)
    np.testing.assert_allclose(gy, _X, rtol=1e-12)
    gx, gy = vjp_fn((0.0, np.ones(3)))  # the second result only: d sum(x*cos(y))
    np.testing.assert_allclose(gx, np.cos(y), rtol=1e-12)
    np.testing.assert_allclose(gy, -_X * np.sin(y), rtol=1e-12)


def test_jvp_of_a_nested_tuple_result_has_the_same_nesting():
    t = np.array([1.0, 0.0, -2.0])
    y, y_dot = s2sad.jvp(nested_tuple_result, (_X,), (t,))
    assert type(y_dot) is tuple and len(y_dot) == 3
    assert type(y_dot[1]) is tuple and len(y_dot[1]) == 2
    s = float(np.sum(_X**2))
    s_dot = float(2.0 * _X @ t)
    np.testing.assert_allclose(y_dot[0], np.cos(_X) * t, rtol=1e-12)
    np.testing.assert_allclose(y_dot[1][0], s_dot, rtol=1e-12)
    np.testing.assert_allclose(
        y_dot[1][1], -np.sin(_X) * t * s + np.cos(_X) * s_dot, rtol=1e-12
    )
    np.testing.assert_allclose(y_dot[2], 2.0 * s_dot, rtol=1e-12)
    out, vjp_fn = s2sad.vjp(nested_tuple_result, _X)
    (gx,) = vjp_fn((np.zeros(3), (1.0, np.zeros(3)), 0.0))
    np.testing.assert_allclose(gx, 2.0 * _X, rtol=1e-12)
