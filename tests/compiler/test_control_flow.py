"""Control flow through the compiler: every CONTROL_CORPUS function in forward and reverse
mode, grad against finite differences taken here, and deterministic output."""

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest

import s2sad
from s2sad import pipeline
from s2sad.testing import check_grads
from s2sad.testing.source import function_from_source
from tests.compiler.corpus_control import CONTROL_CORPUS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _ids(corpus):
    """The function's name; ``name-1``, ``name-2``, ... for a function listed more than once."""
    names = [f.__name__ for f, _ in corpus]
    seen: dict[str, int] = {}
    ids = []
    for name in names:
        if names.count(name) == 1:
            ids.append(name)
        else:
            seen[name] = seen.get(name, 0) + 1
            ids.append(f"{name}-{seen[name]}")
    return ids


IDS = _ids(CONTROL_CORPUS)


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for part in value for leaf in _leaves(part)]
    return [value]


def _rebuild(value, leaves):
    """``value`` with its leaves replaced, in order, by ``leaves``."""
    it = iter(leaves)

    def build(v):
        if isinstance(v, (list, tuple)):
            return type(v)(build(part) for part in v)
        return next(it)

    return build(value)


def _is_float(value):
    """A float argument (differentiated by default): a Python float, a float array, or a
    list/tuple of those. Ints (trip counts, labels) and None are not."""
    leaves = _leaves(value)
    return bool(leaves) and all(
        type(v) is float or isinstance(v, np.ndarray) and v.dtype.kind == "f" for v in leaves
    )


def _float_positions(args):
    return tuple(i for i, a in enumerate(args) if _is_float(a))


def _scalar_output(function, args):
    out = function(*args)
    return not isinstance(out, (tuple, list)) and np.ndim(out) == 0


def _numeric_gradient(function, args, position, eps=1e-6):
    """Central differences of a scalar function in every element of argument ``position``,
    leaf by leaf (a list with one entry per leaf of the argument)."""
    args = list(args)
    leaves = _leaves(args[position])
    gradient = []

    def at(k, moved_leaf):
        moved = list(leaves)
        moved[k] = moved_leaf
        shifted = list(args)
        shifted[position] = _rebuild(args[position], moved)
        return float(function(*shifted))

    for k, leaf in enumerate(leaves):
        if isinstance(leaf, float):
            gradient.append((at(k, leaf + eps) - at(k, leaf - eps)) / (2 * eps))
            continue
        g = np.zeros(leaf.shape)
        for j in range(leaf.size):
            plus, minus = leaf.copy(), leaf.copy()
            plus.flat[j] += eps
            minus.flat[j] -= eps
            g.flat[j] = (at(k, plus) - at(k, minus)) / (2 * eps)
        gradient.append(g)
    return gradient


@pytest.mark.parametrize("function, args", CONTROL_CORPUS, ids=IDS)
def test_forward_and_reverse(function, args):
    check_grads(function, args)


SCALAR_CASES = [(case, id_) for case, id_ in zip(CONTROL_CORPUS, IDS) if _scalar_output(*case)]


@pytest.mark.parametrize(
    "function, args", [case for case, _ in SCALAR_CASES], ids=[id_ for _, id_ in SCALAR_CASES]
)
def test_grad_matches_finite_differences(function, args):
    positions = _float_positions(args)
    gradients = s2sad.grad(function, wrt=positions)(*args)
    assert isinstance(gradients, tuple) and len(gradients) == len(positions)
    for position, gradient in zip(positions, gradients):
        expected = _numeric_gradient(function, args, position)
        actual = _leaves(gradient)
        assert len(actual) == len(expected), f"argument {position}: structure differs"
        for a, e, primal in zip(actual, expected, _leaves(args[position])):
            if type(primal) is float:
                assert type(a) is float, f"argument {position}: {type(a).__name__}, not float"
            assert np.shape(a) == np.shape(primal), f"argument {position}: shape differs"
            np.testing.assert_allclose(
                a, e, rtol=1e-5, atol=1e-7, err_msg=f"gradient in argument {position}"
            )


def test_scalar_cases_cover_most_of_the_corpus():
    assert len(SCALAR_CASES) >= len(CONTROL_CORPUS) - 10


# ---- the generated source is deterministic -------------------------------------------

FUNCTIONS = {}
for _function, _args in CONTROL_CORPUS:
    FUNCTIONS.setdefault(_function, _args)


def _fresh_copy(function, filename):
    """A new function object (new code, a copy of the globals) from the same source text."""
    source = inspect.getsource(function)
    namespace = dict(function.__globals__)
    return function_from_source(source, namespace, filename=filename, name=function.__name__)


@pytest.mark.parametrize("function, args", FUNCTIONS.items(), ids=[f.__name__ for f in FUNCTIONS])
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_source_is_deterministic(function, args, mode):
    wrt = _float_positions(args)
    texts = []
    for _ in range(2):
        copy = _fresh_copy(function, f"control_{function.__name__}.py")
        before = pipeline.stats["transformations"]
        texts.append(s2sad.source(copy, mode=mode, wrt=wrt))
        assert pipeline.stats["transformations"] == before + 1, "not transformed afresh"
    assert texts[0] == texts[1]
    assert texts[0] == s2sad.source(function, mode=mode, wrt=wrt)


def test_source_is_deterministic_across_processes():
    """Hash randomization (sets of variable names, say) must not reach the output."""
    code = (
        "import s2sad\n"
        "from tests.compiler.corpus_control import CONTROL_CORPUS\n"
        "done = set()\n"
        "for f, _ in CONTROL_CORPUS:\n"
        "    if f in done:\n"
        "        continue\n"
        "    done.add(f)\n"
        "    for m in ('forward', 'reverse'):\n"
        "        print(s2sad.source(f, mode=m, wrt=0))\n"
    )
    outputs = []
    for seed in (1, 2, 3):
        run = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("def ") >= 2 * len(FUNCTIONS)


# ---- the corpus itself is sound (independent of the compiler) ------------------------


def _path(function, args):
    """The lines of ``function`` executed on ``args``, in order, and its result."""
    code = function.__code__
    lines = []

    def tracer(frame, event, arg):
        if frame.f_code is not code:
            return None
        if event == "line":
            lines.append(frame.f_lineno)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        out = function(*args)
    finally:
        sys.settrace(previous)
    return lines, out


def _moved(args, directions, alpha):
    """Every float argument moved by ``alpha`` times its size along ``directions``."""
    moved = list(args)
    for i, direction in directions.items():
        leaves = [
            type(a)(a + alpha * d * max(abs(a), 0.1))
            if isinstance(a, float)
            else a + alpha * d * np.maximum(np.abs(a), 0.1)
            for a, d in zip(_leaves(args[i]), direction)
        ]
        moved[i] = _rebuild(args[i], leaves)
    return moved


@pytest.mark.parametrize("function, args", CONTROL_CORPUS, ids=IDS)
def test_corpus_case_is_sound(function, args):
    """Finite, far from every branch switch and change of trip count, and with a
    derivative that is not zero (so the checks above can fail)."""
    path, out = _path(function, args)
    assert not isinstance(out, (tuple, list)) and np.all(np.isfinite(out))
    rng = np.random.default_rng(0)
    for _ in range(5):
        directions = {
            i: [rng.standard_normal(np.shape(leaf)) for leaf in _leaves(args[i])]
            for i in _float_positions(args)
        }
        for alpha in (1e-3, -1e-3):
            assert _path(function, _moved(args, directions, alpha))[0] == path, (
                f"a relative move of {alpha} changes the path"
            )
        difference = np.asarray(function(*_moved(args, directions, 1e-6)), dtype=float) - (
            np.asarray(function(*_moved(args, directions, -1e-6)), dtype=float)
        )
        assert np.max(np.abs(difference)) > 1e-10, "derivative is zero along a direction"
