"""The computational graph of a scalar function: a node per v_i (its operation and, given
arguments, its value, tangent and adjoint), an edge from each operand to the operation
reading it (labelled, given arguments, with the local partial derivative), as Graphviz
DOT text."""

from __future__ import annotations

from dataclasses import dataclass

from s2sad.errors import S2sadError
from s2sad.lecture import notation
from s2sad.lecture.operations import number_text
from s2sad.lecture.recording import Variable, record
from s2sad.lecture.traces import Trace, trace


@dataclass(frozen=True)
class Node:
    """A node of the graph: its DOT name and the lines of its label."""

    id: str
    lines: tuple[str, ...]
    kind: str  # "input", "operation" or "output"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""


class Graph:
    """The computational graph; ``str(graph)`` and ``graph.dot`` are its DOT text."""

    def __init__(self, name: str, nodes: list[Node], edges: list[Edge]) -> None:
        self.name = name
        self.nodes = nodes
        self.edges = edges

    @property
    def dot(self) -> str:
        lines = [f"digraph {_quoted(self.name)} {{", "  rankdir=LR;",
                 '  node [shape=box, style=rounded, fontname="DejaVu Sans"];',
                 '  edge [fontname="DejaVu Sans", fontsize=10];']
        for node in self.nodes:
            shape = {"input": ", shape=ellipse", "output": ", shape=doublecircle"}.get(
                node.kind, "")
            lines.append(f"  {node.id} [label={_quoted(_label(node.lines))}{shape}];")
        inputs = [n.id for n in self.nodes if n.kind == "input"]
        if inputs:
            lines.append(f"  {{rank=same; {'; '.join(inputs)};}}")
        for edge in self.edges:
            label = f" [label={_quoted(edge.label)}]" if edge.label else ""
            lines.append(f"  {edge.source} -> {edge.target}{label};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.dot

    def __repr__(self) -> str:
        return f"<s2sad graph of {self.name}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def save(self, path: str) -> None:
        """Write the graph to ``path``: DOT text for ``.dot``, a drawing for ``.svg`` or
        ``.png`` (by Graphviz when installed, else by Matplotlib)."""
        from s2sad.lecture.drawing import draw

        draw(self, path)


def _label(lines: tuple[str, ...]) -> str:
    return "\n".join(lines)


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def node_id(index: int) -> str:
    """A DOT identifier for v_index: v_m1 for v_{-1}."""
    return f"v_m{-index}" if index < 0 else f"v_{index}"


def graph(function, *args, seed=None, wrt=None) -> Graph:
    """The computational graph of ``function``, a function of real numbers. Given
    arguments, each node carries its value, its tangent along ``seed`` (the first input's
    direction by default) and its adjoint for ȳ = 1, each edge its local partial; without
    them, the operations alone (of code whose operations do not depend on the values).

    >>> import math
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> g = graph(f, 2.0, 5.0)
    >>> [e.source + " -> " + e.target for e in g.edges][:3]
    ['v_m1 -> v_1', 'v_m1 -> v_2', 'v_0 -> v_2']
    """
    wrt = (wrt,) if isinstance(wrt, str) else wrt
    if not args:
        recording = record(function, None, None if wrt is None else tuple(wrt))
        return _graph(recording, None)
    traced = trace(function, *args, seed=seed, wrt=wrt)
    return _graph(traced.recording, traced)


def _graph(recording, traced: Trace | None) -> Graph:
    nodes, edges = [], []
    for v in recording.inputs:
        nodes.append(Node(node_id(v.index), (f"{notation.name(v.index)} = {v.names[0]}",)
                          + _numbers(v, traced), "input"))
    for v in recording.intermediates:
        operands = [notation.name(o.index) if isinstance(o, Variable) else number_text(o)
                    for o in v.operands]
        first = f"{notation.name(v.index)} = {v.operation.written(*operands)}"
        nodes.append(Node(node_id(v.index), (first,) + _numbers(v, traced), "operation"))
        texts = v.operation.partial_texts(*operands, notation.name(v.index))
        for operand, text, partial in zip(v.operands, texts, v.partials):
            if isinstance(operand, Variable):
                label = f"{text} = {notation.number(partial)}" if traced and not \
                    _is_number(text) else text
                edges.append(Edge(node_id(operand.index), node_id(v.index), label))
    output = recording.output
    if not isinstance(output, Variable):
        raise S2sadError(f"the graph of {recording.function_name}: its output is the "
                         f"constant {output}, which depends on no input")
    nodes.append(Node("y", (recording.output_name,), "output"))
    edges.append(Edge(node_id(output.index), "y"))
    return Graph(recording.function_name, nodes, edges)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numbers(v: Variable, traced: Trace | None) -> tuple[str, ...]:
    if traced is None:
        return ()
    return (f"value {notation.number(v.value)}",
            f"{notation.dotted(v.index)} = {notation.number(traced.tangents[v.index])}",
            f"{notation.barred(v.index)} = {notation.number(traced.adjoints[v.index])}")
