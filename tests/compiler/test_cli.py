"""The s2sad command, run as a subprocess."""

import runpy
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from s2sad.testing.source import function_from_source

USER_FILE = textwrap.dedent("""\
    import math

    import numpy as np


    def f(x1, x2):
        return math.log(x1) + x1 * x2 - math.sin(x2)


    def layer(x, W):
        h = np.tanh(W @ x)
        return np.sum(h ** 2)
    """)


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "s2sad", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "user.py"
    path.write_text(USER_FILE)
    return path


def test_prints_every_function_by_default(user_file, tmp_path):
    result = run(str(user_file), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "def f_adjoint(x1, x2, y_bar=1.0):" in result.stdout
    assert "def layer_adjoint(x, W, y_bar=1.0):" in result.stdout


def test_both_modes_and_wrt(user_file, tmp_path):
    result = run(str(user_file), "layer", "--mode", "both", "--wrt", "x,W", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "def layer_tangent(x, W, x_dot, W_dot):" in result.stdout
    assert "return match(x_bar, x), match(W_bar, W)" in result.stdout


def test_output_module_runs_with_numpy_and_runtime_only(user_file, tmp_path):
    out = tmp_path / "derivatives.py"
    result = run(str(user_file), "--mode", "both", "--wrt", "0,1", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "s2sad.runtime" in text
    imported = {}
    exec(compile(text, str(out), "exec"), imported)
    x, W = np.array([0.5, -0.2]), np.array([[0.1, 0.3], [-0.4, 0.2], [0.7, 0.1]])
    gx, gW = imported["layer_adjoint"](x, W)
    h = np.tanh(W @ x)
    t_bar = 2 * h * (1 - h * h)
    np.testing.assert_allclose(gx, W.T @ t_bar)
    np.testing.assert_allclose(gW, np.outer(t_bar, x))
    y, y_dot = imported["f_tangent"](2.0, 5.0, 1.0, 0.0)
    assert y_dot == pytest.approx(5.5)


def test_user_error_exit_1_with_location(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("def f(x):\n    y = (lambda t: t)(x)\n    return y\n")
    result = run(str(path), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:2:9: lambda expressions inside the function are not")
    assert lines[1:] == ["    y = (lambda t: t)(x)", "         ^"]


def test_usage_errors_exit_2(user_file, tmp_path):
    assert run("missing.py", cwd=tmp_path).returncode == 2
    assert run(str(user_file), "nope", cwd=tmp_path).returncode == 2
    assert run(str(user_file), "f", "--wrt", "z", cwd=tmp_path).returncode == 2
    assert run(str(user_file), "--mode", "sideways", cwd=tmp_path).returncode == 2


def test_help_documents_usage(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--mode" in result.stdout and "--wrt" in result.stdout and "-o" in result.stdout
    assert "rules" in result.stdout


def test_rules_lists_the_functions_with_rules(tmp_path):
    result = run("rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "| `numpy.sin` " in result.stdout and result.stderr == ""
    as_json = run("rules", "--json", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout.startswith("{")
    assert run("rules", "--bogus", cwd=tmp_path).returncode == 2
    assert run("rules", "--help", cwd=tmp_path).returncode == 0


def test_a_file_named_rules_is_given_as_a_path(tmp_path):
    (tmp_path / "rules").write_text(USER_FILE)
    result = run("./rules", "f", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "def f_adjoint(x1, x2, y_bar=1.0):" in result.stdout
    listed = run("rules", cwd=tmp_path)
    assert listed.returncode == 0 and "| `numpy.sin` " in listed.stdout
    assert "./rules" in listed.stderr


def test_report_shows_what_the_forward_sweep_records(tmp_path):
    path = tmp_path / "loops.py"
    path.write_text("import numpy as np\n\n\ndef f(x, W):\n    for _ in range(3):\n"
                    "        x = np.tanh(W @ x)\n    return np.sum(x)\n")
    result = run(str(path), "--wrt", "x,W", "--report", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "# What the forward sweep records for the reverse sweep:" in result.stdout
    assert "1 value per iteration (x)" in result.stdout and "len(range(3))" in result.stdout


def test_written_module_includes_the_derivatives_of_called_helpers(tmp_path):
    (tmp_path / "calls_mod.py").write_text(
        "import numpy as np\n\n\ndef helper(a, b):\n    return np.sin(a) * b\n\n\n"
        "def f(x, w):\n    for _ in range(2):\n        x = helper(x, w)\n    return np.sum(x)\n")
    result = run("calls_mod.py", "f", "--wrt", "x,w", "-o", "calls_der.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = in_fresh_interpreter(
        "import numpy as np, s2sad, calls_der, calls_mod\n"
        "x = np.array([0.3, 0.5])\n"
        "mine = calls_der.f_adjoint(x, 0.7)\n"
        "theirs = s2sad.vjp(calls_mod.f, x, 0.7)[1](1.0)\n"
        "assert np.allclose(mine[0], theirs[0]) and np.isclose(mine[1], theirs[1])\n"
        "print('same')", tmp_path)
    assert printed == "same"


def test_written_module_imports_the_files_own_globals(tmp_path):
    (tmp_path / "globals_mod.py").write_text(
        "import numpy as np\n\nSCALE = np.array([1.0, 2.0])\n\n\n"
        "def f(x):\n    return np.sum(np.sin(x) * SCALE)\n")
    result = run("globals_mod.py", "-o", "globals_der.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "from globals_mod import SCALE" in (tmp_path / "globals_der.py").read_text()
    assert printed_gradient("globals_der", tmp_path) == ["[1.", "2.]"]


LOOP_FILE = ("import numpy as np\n\n\ndef f(W, xs):\n    h = np.zeros(W.shape[0])\n"
             "    for t in range(xs.shape[0]):\n        h = np.tanh(W @ h + xs[t])\n"
             "    return np.sum(np.abs(h) ** 2)\n")


def test_written_module_has_what_the_general_version_needs(tmp_path):
    """A loop gets a version for real arguments and a general one, which uses conj: the
    written module imports it too, and gives complex arguments the gradient dL/dRe + i
    dL/dIm (central differences here)."""
    (tmp_path / "loop_mod.py").write_text(LOOP_FILE)
    result = run("loop_mod.py", "--wrt", "W", "-o", "loop_der.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rng = np.random.default_rng(0)
    real = rng.standard_normal((3, 3)) / 2
    xs = rng.standard_normal((4, 3))
    for W in (real, real + 0.1j * real.T):
        np.save(tmp_path / "W.npy", W)
        np.save(tmp_path / "xs.npy", xs)
        in_fresh_interpreter("import numpy as np, loop_der\n"
                             "W_bar = loop_der.f_adjoint(np.load('W.npy'), np.load('xs.npy'))\n"
                             "np.save('W_bar.npy', W_bar)", tmp_path)
        f = function_from_source(LOOP_FILE, filename=str(tmp_path / "loop_mod.py"), name="f")
        expected = np.zeros_like(W, dtype=complex)
        for k in np.ndindex(W.shape):
            for step in (1e-6, 1e-6j):
                moved = np.zeros_like(W, dtype=complex)
                moved[k] = step
                expected[k] += (f(W + moved, xs) - f(W - moved, xs)) / 2e-6 * step / abs(step)
        W_bar = np.load(tmp_path / "W_bar.npy")
        np.testing.assert_allclose(W_bar, expected if np.iscomplexobj(W) else expected.real,
                                   rtol=1e-6, atol=1e-9)


def in_fresh_interpreter(code: str, cwd) -> str:
    """What ``code`` prints, run by a fresh interpreter in ``cwd`` (it must succeed)."""
    check = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    return check.stdout.strip()


def printed_gradient(module: str, cwd) -> list[str]:
    """What a fresh interpreter prints for ``module.f_adjoint(np.zeros(2))``."""
    return in_fresh_interpreter(f"import numpy as np, {module}\n"
                                f"print({module}.f_adjoint(np.zeros(2)))", cwd).split()


def test_vector_mode_from_the_command_line(tmp_path):
    source = tmp_path / "layer.py"
    source.write_text("import numpy as np\n\n\ndef layer(x, W):\n    return np.tanh(W @ x)\n")
    out = tmp_path / "layer_tangents.py"
    result = subprocess.run([sys.executable, "-m", "s2sad", str(source), "--mode", "vector",
                             "--wrt", "x", "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    namespace = runpy.run_path(str(out))
    rng = np.random.default_rng(0)
    x, W = rng.normal(size=2), rng.normal(size=(3, 2))
    _, columns = namespace["layer_tangents"](x, W, np.eye(2))
    np.testing.assert_allclose(columns.T, (1 - np.tanh(W @ x) ** 2)[:, None] * W)


def test_a_file_with_future_imports_gives_a_module_that_imports(tmp_path):
    (tmp_path / "future_mod.py").write_text(
        "from __future__ import annotations\n\nimport numpy as np\n\n\n"
        "def f(x: np.ndarray) -> float:\n    return np.sum(np.exp(x))\n")
    result = run("future_mod.py", "-o", "future_der.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert printed_gradient("future_der", tmp_path) == ["[1.", "1.]"]


def test_fused_idioms_in_a_written_module(tmp_path):
    (tmp_path / "fused_mod.py").write_text(textwrap.dedent("""\
        import numpy as np


        def stress(W, D):
            diff = W[:, None, :] - W[None, :, :]
            d2 = np.sum(diff ** 2, axis=-1)
            m = np.max(d2)
            return m + np.log(np.sum(np.exp(d2 - m))) + np.sum((d2 - D) ** 2)
        """))
    result = run("fused_mod.py", "--mode", "both", "-o", "fused_der.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "fused_der.py").read_text()
    assert "self_sq_distances(W)" in text and "logsumexp(d2)" in text
    assert "from s2sad.runtime." in text and "s2sad.rules" not in text
    namespace = runpy.run_path(str(tmp_path / "fused_der.py"))
    rng = np.random.default_rng(0)
    W, D = rng.normal(size=(5, 2)), rng.random((5, 5))
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff ** 2, axis=-1)
    p = np.exp(d2 - d2.max()) / np.sum(np.exp(d2 - d2.max()))
    g = p + 2 * (d2 - D)
    expected = 2 * np.sum((g + g.T)[:, :, None] * diff, axis=1)
    np.testing.assert_allclose(namespace["stress_adjoint"](W, D), expected, rtol=1e-10)
