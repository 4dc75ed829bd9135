"""Control flow through the compiler: the standard tests of ``corpus_checks`` on every
CONTROL_CORPUS function (forward and reverse mode, grad against finite differences taken
there, the corpus's soundness), and deterministic output."""

import inspect
import os
import subprocess
import sys

import pytest

import s2sad
from s2sad import pipeline
from s2sad.testing.source import function_from_source
from tests.compiler import corpus_checks as checks
from tests.compiler.corpus_control import CONTROL_CORPUS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCALAR_CASES = checks.scalar_cases(CONTROL_CORPUS)

# some float arguments only pick a branch (a threshold, a budget): their derivative is zero
test_forward_and_reverse, test_grad_matches_finite_differences, test_corpus_case_is_sound = (
    checks.standard_tests(CONTROL_CORPUS, every_argument=False)
)


def test_scalar_cases_cover_most_of_the_corpus():
    assert len(SCALAR_CASES) >= len(CONTROL_CORPUS) - 10
    # the other results are arrays, never tuples or lists
    for function, args in CONTROL_CORPUS:
        assert not isinstance(checks.call(function, args), (tuple, list)), function.__name__


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
    wrt = checks.float_positions(args)
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
