"""The examples in docs/ and README.md run, so the docs cannot go stale."""

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS_WITH_DOCTESTS = ["api.md"]


@pytest.mark.parametrize("name", DOCS_WITH_DOCTESTS)
def test_doc_examples(name):
    result = doctest.testfile(
        str(ROOT / "docs" / name),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0 and result.attempted > 0


def test_cli_doc_example(tmp_path):
    text = (ROOT / "docs" / "cli.md").read_text()
    example = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    (tmp_path / "layer.py").write_text(example)
    run = [sys.executable, "-m", "s2sad", "layer.py", "--wrt", "x,W"]
    shown = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert shown.returncode == 0 and "def layer_adjoint(x, W, y_bar=1.0):" in shown.stdout
    written = run[:4] + ["--mode", "both", "--wrt", "x,W", "-o", "layer_derivatives.py"]
    assert subprocess.run(written, cwd=tmp_path).returncode == 0
    module = (tmp_path / "layer_derivatives.py").read_text()
    assert "def layer_tangent" in module and "def layer_adjoint" in module


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.M)


def test_quickstart_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (
        "def f_adjoint" in result.stdout and "matches the hand-written one: True" in result.stdout
    )


def test_lecture_traces_example_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "lecture_traces.py")], capture_output=True,
        text=True)
    assert result.returncode == 0, result.stderr
    assert "  ẏ      = v̇_5                         =        5.500000" in result.stdout
    assert "f = 11.652071, df/dx1 = 5.500000, gradient = (5.500000, 1.716338)" in \
        result.stdout
    assert result.stdout.count("the emitted code gives the traces' numbers: True") == 2
    assert "gradients match the closed forms: True" in result.stdout


def test_hessian_vector_products_example_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "hessian_vector_products.py"), "--fast"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "trace estimate is within 10% of the exact trace: True" in result.stdout


def _readme_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


#: checks run after a README block, in the same interpreter, against closed forms
README_CHECKS = {
    "gx, gW = s2sad.grad": """
h = np.tanh(W @ x)
dh = 2 * h * (1 - h ** 2)
assert np.allclose(gx, W.T @ dh) and np.allclose(gW, np.outer(dh, x))
assert np.isclose(y_dot, gx @ x_dot + np.sum(gW * W_dot))
assert np.allclose(x_bar, gx) and np.allclose(W_bar, gW)
print("checked")
""",
}


@pytest.mark.parametrize("index", range(len(_readme_blocks())))
def test_readme_blocks_run_in_a_fresh_interpreter(index, tmp_path):
    """Each Python block of the README, as pasted into a fresh interpreter (from a file,
    so that s2sad can read the source of the functions it defines)."""
    block = _readme_blocks()[index]
    checks = "".join(code for key, code in README_CHECKS.items() if key in block)
    (tmp_path / "block.py").write_text(block + checks)
    done = subprocess.run([sys.executable, "block.py"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    if checks:
        assert done.stdout.endswith("checked\n")
        assert "def f_adjoint(x, W, y_bar=1.0):" in done.stdout
