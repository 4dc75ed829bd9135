"""The s2sad command on files as people have them: beside modules they import, empty,
written into folders that may not exist; run as a subprocess from another folder."""

import subprocess
import sys
import textwrap

import numpy as np

HELPER = "def scale(x):\n    return 2.0 * x\n"
MODEL = textwrap.dedent("""\
    import numpy as np
    from helper import scale


    def f(x):
        return float(np.sum(np.sin(x))) * scale(1.0)
    """)


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "s2sad", *args], capture_output=True,
                          text=True, cwd=cwd)


def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "helper.py").write_text(HELPER)
    (folder / "model.py").write_text(MODEL)
    return folder


def test_a_file_imports_the_modules_beside_it(tmp_path):
    folder = project(tmp_path)
    done = run(str(folder / "model.py"), "-o", str(tmp_path / "out.py"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "out.py").read_text()
    imports = [line for line in written.splitlines() if line.startswith(("import", "from"))]
    assert len(imports) == len(set(imports)), imports
    assert "from builtins import" not in written
    check = subprocess.run(
        [sys.executable, "-c", "import numpy as np, out; "
         "print(repr(out.f_adjoint(np.array([0.1, 0.2])).tolist()))"],
        capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": f"{folder}:{':'.join(sys.path)}"})
    assert check.returncode == 0, check.stderr
    np.testing.assert_allclose(eval(check.stdout), 2.0 * np.cos([0.1, 0.2]), rtol=1e-12)


def test_writing_into_a_missing_folder_is_a_usage_error(tmp_path):
    folder = project(tmp_path)
    done = run(str(folder / "model.py"), "-o", str(tmp_path / "missing" / "out.py"),
               cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"s2sad: cannot write {tmp_path / 'missing' / 'out.py'}: no folder " \
                          f"{tmp_path / 'missing'}\n"


def test_wrt_naming_a_parameter_twice_is_a_usage_error(tmp_path):
    folder = project(tmp_path)
    done = run(str(folder / "model.py"), "--wrt", "x,x", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "s2sad: --wrt x,x: names x twice\n"
    done = run(str(folder / "model.py"), "--wrt", "0,x", cwd=tmp_path)
    assert done.returncode == 2 and "names x twice" in done.stderr


def test_an_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.py").write_text("")
    done = run("empty.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "s2sad: empty.py defines no function to differentiate\n"
    assert done.stdout == ""


def test_version_and_bad_options_exit_codes(tmp_path):
    import s2sad

    done = run("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"s2sad {s2sad.__version__}\n")
    assert run("--mode", "sideways", "x.py", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2
