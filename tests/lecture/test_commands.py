"""The lecture's commands, run as subprocesses: s2sad trace, graph and html."""

import subprocess
import sys
import textwrap

import pytest

LECTURE_FILE = textwrap.dedent("""\
    import math


    def f(x1, x2):
        return math.log(x1) + x1 * x2 - math.sin(x2)


    def lecture_loss(w1, w2):
        return w2 * math.log(w1) + math.sqrt(w2 * math.log(w1))


    def norm(x):
        return x.sum()
    """)


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "s2sad", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture
def lecture_file(tmp_path):
    (tmp_path / "lecture.py").write_text(LECTURE_FILE)
    return tmp_path


def test_trace_answers_the_exercise_in_one_command(lecture_file):
    shown = run("trace", "lecture.py", "f", "--at", "2,5", "--seed", "1,0", cwd=lecture_file)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "f(x1=2, x2=5)"
    assert any(line.startswith("  y ") and line.split("=")[-1].strip() == "11.652071"
               for line in lines)
    assert any(line.startswith("  ẏ ") and line.endswith("5.500000") for line in lines)
    assert any(line.startswith("  x̄1 ") and line.endswith("5.500000") for line in lines)
    assert any(line.startswith("  x̄2 ") and line.endswith("1.716338") for line in lines)


def test_trace_modes_and_formats(lecture_file):
    forward = run("trace", "lecture.py", "lecture_loss", "--at", "2,3", "--mode", "forward",
                  "--format", "markdown", cwd=lecture_file)
    assert forward.returncode == 0, forward.stderr
    assert "tangent trace (ẇ1 = 1, ẇ2 = 0)" in forward.stdout
    assert "adjoint trace" not in forward.stdout
    latex = run("trace", "lecture.py", "f", "--at", "2,5", "--mode", "reverse", "--format",
                "latex", cwd=lecture_file)
    assert r"\bar{x}1 &= \bar{v}_{-1} &= 5.500000 \\" in latex.stdout


def test_trace_errors(lecture_file):
    refused = run("trace", "lecture.py", "norm", "--at", "2", cwd=lecture_file)
    assert refused.returncode == 1
    assert refused.stderr.startswith("lecture.py:13:11: a trace cannot follow the method sum of "
                                    "a number")
    assert run("trace", "lecture.py", "f", cwd=lecture_file).returncode == 2  # no --at
    wrong = run("trace", "lecture.py", "f", "--at", "2", cwd=lecture_file)
    assert wrong.returncode == 2 and "--at" in wrong.stderr
    missing = run("trace", "nowhere.py", "f", "--at", "2", cwd=lecture_file)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_graph_command(lecture_file):
    shown = run("graph", "lecture.py", "f", "--at", "2,5", cwd=lecture_file)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith('digraph "f" {')
    assert "v_m1 -> v_2" in shown.stdout and "v_5 -> y;" in shown.stdout
    written = run("graph", "lecture.py", "lecture_loss", "-o", "loss.dot", cwd=lecture_file)
    assert written.returncode == 0, written.stderr
    assert 'v_5 [label="v_5 = sqrt(v_4)"];' in (lecture_file / "loss.dot").read_text()
    refused = run("graph", "lecture.py", "f", "-o", "f.pdf", cwd=lecture_file)
    assert refused.returncode == 1 and "give a file ending in .dot" in refused.stderr
