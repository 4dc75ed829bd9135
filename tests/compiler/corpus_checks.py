"""Checks shared by the corpora of compiled functions (``corpus_control``, ``corpus_inplace``,
``corpus_calls``, ``corpus_containers``), independent of the compiler where they can be, and
``standard_tests``, which builds the parametrized tests every corpus gets.

A corpus is a list of ``(function, args)``. An argument is a *float argument* (perturbed by
the checks and differentiated by default) when all its leaves are Python floats or float
arrays; leaves sit in (nested) tuples, lists and dicts. Integer arrays, ints, None and
objects are never perturbed. Every call of a corpus function here gets deep copies of its
arguments, since several of them write into their arguments, as Python allows.
"""

from __future__ import annotations

import copy
import os
import sys

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

HERE = os.path.dirname(os.path.abspath(__file__))


def ids(corpus):
    """The function's name; ``name-1``, ``name-2``, ... for a function listed more than once."""
    names = [f.__name__ for f, _ in corpus]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if names.count(name) == 1:
            out.append(name)
        else:
            seen[name] = seen.get(name, 0) + 1
            out.append(f"{name}-{seen[name]}")
    return out


# ---- structures ----------------------------------------------------------------------


def leaves(value):
    """The leaves of nested tuples, lists and dicts (dicts in their key order)."""
    if isinstance(value, (list, tuple)):
        return [leaf for part in value for leaf in leaves(part)]
    if isinstance(value, dict):
        return [leaf for key in value for leaf in leaves(value[key])]
    return [value]


def rebuild(value, new_leaves):
    """``value`` with its leaves replaced, in order, by ``new_leaves``."""
    it = iter(new_leaves)

    def build(v):
        if isinstance(v, (list, tuple)):
            return type(v)(build(part) for part in v)
        if isinstance(v, dict):
            return {key: build(v[key]) for key in v}
        return next(it)

    return build(value)


def aligned_leaves(value, template, where="the result"):
    """The leaves of ``value`` in the order of ``template``'s, after asserting that the two
    have the same structure: the same container types, lengths and dict keys."""
    if isinstance(template, (list, tuple, dict)):
        assert type(value) is type(template), (
            f"{where} is a {type(value).__name__}, the argument a {type(template).__name__}"
        )
        assert len(value) == len(template), f"{where} has {len(value)} parts, not {len(template)}"
        if isinstance(template, dict):
            assert set(value) == set(template), (
                f"{where} has keys {sorted(value)}, the argument {sorted(template)}"
            )
            return [
                leaf
                for key in template
                for leaf in aligned_leaves(value[key], template[key], f"{where}[{key!r}]")
            ]
        return [
            leaf
            for k, (v, t) in enumerate(zip(value, template))
            for leaf in aligned_leaves(v, t, f"{where}[{k}]")
        ]
    return [value]


def is_float(value):
    """A float argument: a Python float, a float array, or a container of those."""
    parts = leaves(value)
    return bool(parts) and all(
        type(v) is float or isinstance(v, np.ndarray) and v.dtype.kind == "f" for v in parts
    )


def float_positions(args):
    return tuple(i for i, a in enumerate(args) if is_float(a))


def call(function, args):
    """``function(*args)`` on deep copies: the corpus's arguments are never changed."""
    return function(*copy.deepcopy(list(args)))


def scalar_output(function, args):
    out = call(function, args)
    return not isinstance(out, (tuple, list, dict)) and np.ndim(out) == 0


def output_vector(out):
    """All leaves of an output, flattened into one float vector."""
    parts = [np.ravel(np.asarray(leaf, dtype=float)) for leaf in leaves(out)]
    return np.concatenate(parts) if parts else np.zeros(0)


# ---- finite differences ----------------------------------------------------------------


def _element_moves(args, position):
    """For every element of every leaf of argument ``position``: a function of ``eps``
    giving the arguments with that element moved by ``eps``."""
    parts = leaves(args[position])
    moves = []
    for k, leaf in enumerate(parts):
        count = 1 if isinstance(leaf, float) else leaf.size
        for j in range(count):

            def at(eps, k=k, j=j):
                moved_parts = list(parts)
                if isinstance(parts[k], float):
                    moved_parts[k] = parts[k] + eps
                else:
                    moved = parts[k].copy()
                    moved.flat[j] += eps
                    moved_parts[k] = moved
                shifted = list(args)
                shifted[position] = rebuild(args[position], moved_parts)
                return shifted

            moves.append((k, j, at))
    return parts, moves


def numeric_vjp(function, args, position, out_bar, eps=1e-6):
    """``<out_bar, d out / d element>`` by central differences for every element of
    argument ``position``: a list with one entry (float or array) per leaf."""
    bar = output_vector(out_bar)
    parts, moves = _element_moves(args, position)
    result = [0.0 if isinstance(leaf, float) else np.zeros(leaf.shape) for leaf in parts]
    for k, j, at in moves:
        plus = output_vector(call(function, at(eps)))
        minus = output_vector(call(function, at(-eps)))
        value = float(bar @ ((plus - minus) / (2 * eps)))
        if isinstance(parts[k], float):
            result[k] = value
        else:
            result[k].flat[j] = value
    return result


def random_structure_like(value, rng):
    """A random float value with the structure and shapes of ``value``."""
    return rebuild(
        value,
        [
            float(rng.standard_normal())
            if np.ndim(leaf) == 0
            else rng.standard_normal(np.shape(leaf))
            for leaf in leaves(value)
        ],
    )


# ---- checks run on each entry -----------------------------------------------------------


def assert_close_leaves(actual, expected, primals, what):
    assert len(actual) == len(expected), f"{what}: {len(actual)} parts, not {len(expected)}"
    for a, e, primal in zip(actual, expected, primals):
        if type(primal) is float:
            assert type(a) is float, f"{what}: a {type(a).__name__}, not a float"
        shape = np.shape(primal)
        assert np.shape(a) == shape, f"{what}: shape {np.shape(a)}, not {shape}"
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-7, err_msg=what)


def check_forward_and_reverse(function, args):
    """``s2sad.testing.check_grads``: forward mode against finite differences, reverse mode
    against forward mode, in every float argument."""
    check_grads(function, args)


def check_grad_against_finite_differences(function, args):
    """``s2sad.grad`` in every float argument at once, against central differences, with
    each gradient in its argument's structure."""
    positions = float_positions(args)
    gradients = s2sad.grad(function, wrt=positions)(*args)
    assert isinstance(gradients, tuple) and len(gradients) == len(positions)
    for position, gradient in zip(positions, gradients):
        expected = numeric_vjp(function, args, position, 1.0)
        what = f"the gradient in argument {position}"
        actual = aligned_leaves(gradient, args[position], what)
        assert_close_leaves(actual, expected, leaves(args[position]), what)


def check_vjp_and_jvp_against_finite_differences(function, args, seed=0):
    """For every argument (all of them float arguments): ``s2sad.vjp`` with a random output
    adjoint against central differences element by element, and ``s2sad.jvp`` along a
    random direction against a central difference along it."""
    assert float_positions(args) == tuple(range(len(args))), "every argument must be a float"
    rng = np.random.default_rng(seed)
    expected_out = call(function, args)
    out, vjp_fn = s2sad.vjp(function, *args)
    aligned_leaves(out, expected_out, "vjp's output")
    for a, e in zip(leaves(out), leaves(expected_out)):
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-12, err_msg="vjp's output")
    out_bar = random_structure_like(expected_out, rng)
    cotangents = vjp_fn(out_bar)
    assert isinstance(cotangents, tuple) and len(cotangents) == len(args)
    for position, cotangent in enumerate(cotangents):
        what = f"the cotangent of argument {position}"
        actual = aligned_leaves(cotangent, args[position], what)
        expected = numeric_vjp(function, args, position, out_bar)
        assert_close_leaves(actual, expected, leaves(args[position]), what)

    tangents = tuple(random_structure_like(a, rng) for a in args)
    y, y_dot = s2sad.jvp(function, args, tangents)
    aligned_leaves(y, expected_out, "jvp's output")
    aligned_leaves(y_dot, expected_out, "jvp's output tangent")
    eps = 1e-6

    def along(alpha):
        moved = [
            rebuild(a, [p + alpha * t for p, t in zip(leaves(a), leaves(v))])
            for a, v in zip(args, tangents)
        ]
        return output_vector(call(function, moved))

    numeric = (along(eps) - along(-eps)) / (2 * eps)
    np.testing.assert_allclose(
        output_vector(y_dot), numeric, rtol=1e-5, atol=1e-7, err_msg="jvp vs finite differences"
    )


# ---- the corpus itself is sound (independent of the compiler) ---------------------------


def path(function, args):
    """The lines executed on ``args`` in every function defined under tests/compiler
    (the corpus function, its helpers, nested functions and lambdas, recursive calls), in
    order, and the result."""
    here = os.path.abspath(__file__)
    lines = []

    def tracer(frame, event, arg):
        filename = os.path.abspath(frame.f_code.co_filename)
        if os.path.dirname(filename) != HERE or filename == here:
            return None
        if event == "line":
            lines.append((filename, frame.f_code.co_name, frame.f_lineno))
        return tracer

    args = copy.deepcopy(list(args))
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        out = function(*args)
    finally:
        sys.settrace(previous)
    return lines, out


def moved_args(args, directions, alpha):
    """Float arguments moved by ``alpha`` times their size along ``directions``."""
    moved = list(args)
    for i, direction in directions.items():
        new = [
            type(a)(a + alpha * d * max(abs(a), 0.1))
            if isinstance(a, float)
            else a + alpha * d * np.maximum(np.abs(a), 0.1)
            for a, d in zip(leaves(args[i]), direction)
        ]
        moved[i] = rebuild(args[i], new)
    return moved


def check_sound(function, args, seed=0, every_argument=True):
    """Finite; the same path through every function under tests/compiler when any float
    argument moves by a thousandth of its size; smooth there (no mask or kink switching:
    central differences with steps 1e-5 and 1e-3 agree); and with a derivative that is
    not zero along five random directions (seen with steps 1e-5 and 1e-6), moving all
    float arguments or, with ``every_argument``, one at a time (without it a float argument
    may have a zero derivative, as a threshold that only picks a branch has)."""
    lines, out = path(function, args)
    vector = output_vector(out)
    assert vector.size and np.all(np.isfinite(vector)), "output not finite"
    positions = float_positions(args)
    assert positions, "no float argument"
    rng = np.random.default_rng(seed)

    def value(directions, alpha):
        return output_vector(call(function, moved_args(args, directions, alpha)))

    def direction_for(i):
        return [rng.standard_normal(np.shape(leaf)) for leaf in leaves(args[i])]

    for _ in range(5):
        directions = {i: direction_for(i) for i in positions}
        for alpha in (1e-3, -1e-3):
            moved_lines, _ = path(function, moved_args(args, directions, alpha))
            assert moved_lines == lines, f"a relative move of {alpha} changes the path"
        small = (value(directions, 1e-5) - value(directions, -1e-5)) / 2e-5
        large = (value(directions, 1e-3) - value(directions, -1e-3)) / 2e-3
        np.testing.assert_allclose(
            small,
            large,
            rtol=2e-3,
            atol=1e-6 * (1.0 + np.max(np.abs(vector))),
            err_msg="not smooth within a relative move of 1e-3 (a mask or kink switches)",
        )
        assert np.max(np.abs(small)) > 1e-8, "derivative is zero along a direction"
        tiny = value(directions, 1e-6) - value(directions, -1e-6)
        assert np.max(np.abs(tiny)) > 1e-10, "derivative is zero along a direction (step 1e-6)"
        for i in positions if every_argument else ():
            alone = {i: direction_for(i)}
            difference = value(alone, 1e-6) - value(alone, -1e-6)
            assert np.max(np.abs(difference)) > 1e-12, f"no derivative in argument {i}"


# ---- the parametrized tests of a corpus -----------------------------------------------


def scalar_cases(corpus):
    """The entries of ``corpus`` with a scalar result, as ``((function, args), id)``."""
    return [(case, i) for case, i in zip(corpus, ids(corpus)) if scalar_output(*case)]


def vjp_cases(corpus):
    """The entries of ``corpus`` whose result is not a scalar and whose arguments are all
    float arguments (where vjp and jvp are checked), as ``((function, args), id)``."""
    return [
        (case, i)
        for case, i in zip(corpus, ids(corpus))
        if not scalar_output(*case) and float_positions(case[1]) == tuple(range(len(case[1])))
    ]


def _parametrized_test(name, check, cases, **options):
    """A test named ``name`` running ``check(function, args, **options)`` on each of
    ``cases``."""

    @pytest.mark.parametrize(
        "function, args", [case for case, _ in cases], ids=[i for _, i in cases]
    )
    def test(function, args):
        check(function, args, **options)

    test.__name__ = test.__qualname__ = name
    test.__doc__ = check.__doc__
    return test


def standard_tests(corpus, *, vjp_and_jvp=False, every_argument=True):
    """The parametrized tests of ``corpus``, in this order:

    - ``test_forward_and_reverse``: every entry, ``check_forward_and_reverse``;
    - ``test_grad_matches_finite_differences``: the entries with a scalar result,
      ``check_grad_against_finite_differences``;
    - ``test_vjp_and_jvp_match_finite_differences`` (only with ``vjp_and_jvp``): the entries
      of ``vjp_cases``, ``check_vjp_and_jvp_against_finite_differences``;
    - ``test_corpus_case_is_sound``: every entry, ``check_sound`` (with ``every_argument``).

    A test module binds them to module-level names of the same names, which pytest collects::

        test_forward_and_reverse, test_grad_matches_finite_differences, ... = (
            checks.standard_tests(CORPUS)
        )
    """
    every = list(zip(corpus, ids(corpus)))
    tests = [
        _parametrized_test("test_forward_and_reverse", check_forward_and_reverse, every),
        _parametrized_test(
            "test_grad_matches_finite_differences",
            check_grad_against_finite_differences,
            scalar_cases(corpus),
        ),
    ]
    if vjp_and_jvp:
        tests.append(
            _parametrized_test(
                "test_vjp_and_jvp_match_finite_differences",
                check_vjp_and_jvp_against_finite_differences,
                vjp_cases(corpus),
            )
        )
    tests.append(
        _parametrized_test(
            "test_corpus_case_is_sound", check_sound, every, every_argument=every_argument
        )
    )
    return tuple(tests)
