"""s2sad.graph: the computational graph's nodes and edges, as DOT text and drawn."""

import math
import re
import shutil

import pytest

import s2sad
from s2sad.errors import S2sadError, UnsupportedSyntaxError
from s2sad.lecture import drawing
from s2sad.testing.source import function_from_source


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def parsed_dot(text):
    """The nodes (id -> label) and edges ((source, target, label)) of DOT text."""
    nodes = dict(re.findall(r'^  (\w+) \[label="((?:[^"\\]|\\.)*)"', text, re.M))
    edges = [(a, b, label or "") for a, b, label in
             re.findall(r'^  (\w+) -> (\w+)(?: \[label="((?:[^"\\]|\\.)*)"\])?;', text, re.M)]
    return nodes, edges


def test_the_graph_of_the_lecture_exercise():
    nodes, edges = parsed_dot(s2sad.graph(f).dot)
    assert nodes == {"v_m1": "v_{-1} = x1", "v_0": "v_0 = x2", "v_1": "v_1 = ln(v_{-1})",
                     "v_2": "v_2 = v_{-1} * v_0", "v_3": "v_3 = v_1 + v_2",
                     "v_4": "v_4 = sin(v_0)", "v_5": "v_5 = v_3 - v_4", "y": "y"}
    assert [(a, b) for a, b, _ in edges] == [
        ("v_m1", "v_1"), ("v_m1", "v_2"), ("v_0", "v_2"), ("v_1", "v_3"), ("v_2", "v_3"),
        ("v_0", "v_4"), ("v_3", "v_5"), ("v_4", "v_5"), ("v_5", "y")]
    assert edges[5][2] == "cos(v_0)" and edges[7][2] == "-1"


def test_values_tangents_and_adjoints_on_the_nodes():
    text = s2sad.graph(f, 2.0, 5.0, seed=(1, 0)).dot
    nodes, edges = parsed_dot(text)
    assert nodes["v_0"].split("\\n") == ["v_0 = x2", "value 5.000000", "v̇_0 = 0.000000",
                                         "v̄_0 = 1.716338"]
    assert nodes["v_5"].split("\\n")[1:] == ["value 11.652071", "v̇_5 = 5.500000",
                                             "v̄_5 = 1.000000"]
    assert ("v_0", "v_4", f"cos(v_0) = {math.cos(5.0):.6f}") in edges
    assert ("v_3", "v_5", "1") in edges


def test_each_adjoint_is_the_sum_over_the_out_edges():
    """v̄_i = sum over the edges i -> j of v̄_j times the edge's partial, read off the DOT."""
    g = function_from_source("import math\ndef g(a, b):\n    c = a * b\n"
                             "    return math.exp(c) + c / a\n", filename="sums.py")
    nodes, edges = parsed_dot(s2sad.graph(g, 0.7, 1.3).dot)
    adjoint = {n: float(label.split("\\n")[3].split("= ")[1]) for n, label in nodes.items()
               if n != "y"}
    for node in adjoint:
        out = [(b, float(label.split("= ")[-1])) for a, b, label in edges
               if a == node and b != "y"]
        if out:
            assert adjoint[node] == pytest.approx(sum(adjoint[b] * p for b, p in out),
                                                  abs=2e-6)
    exact = s2sad.grad(g, wrt=(0, 1))(0.7, 1.3)
    assert (adjoint["v_m1"], adjoint["v_0"]) == pytest.approx(exact, abs=1e-6)


def test_without_arguments_the_operations_may_not_depend_on_values():
    g = function_from_source("def g(x, n):\n    for i in range(n):\n        x = x * x\n"
                             "    return x\n", filename="loop.py")
    with pytest.raises(UnsupportedSyntaxError, match="loop.py:2:19: without arguments"):
        s2sad.graph(g)
    assert len(parsed_dot(s2sad.graph(g, 1.5, 2, wrt="x").dot)[0]) == 4
    k = function_from_source("def k(x):\n    return 3.0\n", filename="flat.py")
    with pytest.raises(S2sadError, match="its output is the constant 3.0"):
        s2sad.graph(k)


def test_written_as_dot(tmp_path):
    s2sad.graph(f, 2, 5).save(str(tmp_path / "f.dot"))
    assert (tmp_path / "f.dot").read_text() == s2sad.graph(f, 2, 5).dot
    with pytest.raises(S2sadError, match="give a file ending in .dot"):
        s2sad.graph(f).save(str(tmp_path / "f.pdf"))


def test_drawing_needs_graphviz_or_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        with pytest.raises(S2sadError, match="needs Graphviz's dot program .* or Matplotlib"):
            s2sad.graph(f).save(str(tmp_path / "f.svg"))
    else:
        assert drawing.draw(s2sad.graph(f, 2, 5), str(tmp_path / "f.svg")) == "matplotlib"
        assert (tmp_path / "f.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_drawn_by_graphviz(tmp_path):
    assert drawing.draw(s2sad.graph(f, 2, 5), str(tmp_path / "f.svg")) == "graphviz"
    assert "<svg" in (tmp_path / "f.svg").read_text()


def test_layers_put_each_node_after_its_operands():
    placed = drawing.layers(s2sad.graph(f))
    assert placed["v_m1"][0] == placed["v_0"][0] == 0
    assert placed["v_5"][0] == 3 and placed["y"][0] == 4
