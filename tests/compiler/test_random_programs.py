"""Random programs with loops (``random_programs``), each named by its seed: forward and
reverse mode by ``check_grads``, ``grad`` against finite differences, for some seeds second
derivatives (``grad`` of the gradient, ``hvp``), and deterministic output."""

import numpy as np
import pytest

import s2sad
from s2sad.testing.source import function_from_source
from tests.compiler import corpus_checks as checks
from tests.compiler.random_programs import array_program, scalar_program

FAMILIES = {"scalar": scalar_program, "array": array_program}
SEEDS = {"scalar": range(150), "array": range(100)}
CASES = [(family, seed) for family in FAMILIES for seed in SEEDS[family]]


def _load(program, path):
    path.write_text(program.source)
    return function_from_source(program.source, filename=str(path), name="f")


def _along(function, args, direction, step=1e-4):
    """The derivative of ``function`` (tuple-valued) along ``direction``: central finite
    differences of steps ``step`` and ``step / 2`` extrapolated (Richardson), so that the
    large third derivatives of some programs do not swamp it."""
    def difference(h):
        def at(sign):
            shifted = [a + sign * h * d for a, d in zip(args, direction)]
            return [np.asarray(g, dtype=float) for g in function(*shifted)]

        return [(p - m) / (2 * h) for p, m in zip(at(1), at(-1))]

    return [(4 * fine - coarse) / 3
            for coarse, fine in zip(difference(step), difference(step / 2))]


def _second_derivatives(f, args):
    positions = tuple(range(len(args)))
    rng = np.random.default_rng(1)
    direction = [rng.normal(size=np.shape(a)) if np.ndim(a) else float(rng.normal())
                 for a in args]
    gradient = s2sad.grad(f, wrt=positions)
    expected = _along(gradient, args, direction)
    product = s2sad.hvp(f, wrt=positions)(*args, tuple(direction))
    for got, want in zip(product, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg="hvp")
    if all(np.ndim(a) == 0 for a in args):
        # reverse over reverse: the Hessian's first row
        row = s2sad.grad(s2sad.grad(f, wrt=0), wrt=positions)(*args)
        numeric = [_along(gradient, args, unit.tolist())[0] for unit in np.eye(len(args))]
        np.testing.assert_allclose(row, numeric, rtol=1e-5, atol=1e-6,
                                   err_msg="grad of grad")


@pytest.mark.parametrize("family, seed", CASES, ids=[f"{f}-{s}" for f, s in CASES])
def test_random_program(family, seed, tmp_path):
    program = FAMILIES[family](seed)
    f = _load(program, tmp_path / f"{family}_{seed}.py")
    args = program.args
    try:
        checks.check_forward_and_reverse(f, args)
        checks.check_grad_against_finite_differences(f, args)
        if seed % 3 == 0:
            _second_derivatives(f, args)
    except Exception as error:
        raise AssertionError(
            f"{family} program of seed {seed} at {args!r}:\n{program.source}"
        ) from error


@pytest.mark.parametrize("family", FAMILIES)
def test_same_seed_same_program_and_source(family, tmp_path):
    for seed in range(5):
        first, second = FAMILIES[family](seed), FAMILIES[family](seed)
        assert first.source == second.source
        texts = [
            s2sad.source(_load(p, tmp_path / f"{family}_{seed}_{n}.py"), mode="reverse",
                         wrt=tuple(range(len(p.args))))
            for n, p in enumerate((first, second))
        ]
        assert texts[0] == texts[1]
