"""Each example in examples/ runs (with --fast) and ends with its check line."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"

CHECK_LINES = {
    "jacobian_by_columns_and_rows.py": "reverse mode for n=128, m=2: True",
    "matrix_gradients.py": "match the closed forms, forward mode and finite differences: True",
    "mds.py": "the recovered distances match D: True",
    "train_mlp.py": "training accuracy is above 90%: True",
    "rosenbrock_scipy.py": "both methods find the minimum at the all-ones vector: True",
    "dask_gradient_descent.py":
        "gradient descent on the cluster matches NumPy's on the same data: True",
    "hyperparameter_sweep.py": "and stronger regularization shrinks w: True",
}

#: examples that need an optional dependency: the module they import
NEEDS = {"dask_gradient_descent.py": "dask.distributed"}


@pytest.mark.parametrize("name", sorted(CHECK_LINES))
def test_example_runs(name):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name], reason=f"{name} needs {NEEDS[name]}")
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--fast"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(CHECK_LINES[name]), result.stdout
