"""A graph written to a file: DOT text, or a drawing by Graphviz's ``dot`` program when it
is installed, else by Matplotlib."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from s2sad.errors import S2sadError

FORMATS = (".dot", ".gv", ".svg", ".png")


def draw(graph, path: str) -> str:
    """Write ``graph`` to ``path`` and say how: "dot", "graphviz" or "matplotlib"."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise S2sadError(f"cannot write a graph as {path}: give a file ending in "
                         f"{', '.join(FORMATS)}")
    if suffix in (".dot", ".gv"):
        Path(path).write_text(graph.dot)
        return "dot"
    program = shutil.which("dot")
    if program is not None:
        subprocess.run([program, f"-T{suffix[1:]}", "-o", str(path)], input=graph.dot,
                       text=True, check=True, capture_output=True)
        return "graphviz"
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise S2sadError(
            f"drawing {path} needs Graphviz's dot program (apt install graphviz, brew install "
            "graphviz) or Matplotlib (pip install matplotlib); a .dot file is written "
            "without either") from None
    _matplotlib_drawing(graph, Figure).savefig(path, bbox_inches="tight")
    return "matplotlib"


def layers(graph) -> dict[str, tuple[int, int]]:
    """Each node's column (its longest path from an input) and row within the column."""
    depth = {n.id: 0 for n in graph.nodes}
    for edge in graph.edges:  # the edges come in the order the operations ran
        depth[edge.target] = max(depth[edge.target], depth[edge.source] + 1)
    rows: dict[int, int] = {}
    placed = {}
    for node in graph.nodes:
        column = depth[node.id]
        placed[node.id] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return placed


def _matplotlib_drawing(graph, figure_class):
    placed = layers(graph)
    columns = max(c for c, _ in placed.values()) + 1
    height = max(r for _, r in placed.values()) + 1
    figure = figure_class(figsize=(3.2 * columns, 1.6 * height + 0.5))
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_xlim(-0.6, columns - 0.4)
    axes.set_ylim(-height + 0.4, 0.6)
    where = {node: (column, -row) for node, (column, row) in placed.items()}
    for edge in graph.edges:
        (x0, y0), (x1, y1) = where[edge.source], where[edge.target]
        skips = x1 - x0 > 1  # an edge past a column bends around its boxes
        axes.annotate("", xy=(x1 - 0.3, y1), xytext=(x0 + 0.3, y0),
                      arrowprops={"arrowstyle": "->", "color": "0.4",
                                  "connectionstyle": f"arc3,rad={-0.3 if skips else 0}"})
        if edge.label:
            lift = 0.08 + (0.3 * (x1 - x0 - 1) if skips else 0)
            axes.text((x0 + x1) / 2, (y0 + y1) / 2 + lift, edge.label, fontsize=7,
                      ha="center", color="0.3")
    for node in graph.nodes:
        x, y = where[node.id]
        axes.text(x, y, "\n".join(node.lines), ha="center", va="center", fontsize=8,
                  bbox={"boxstyle": "round", "facecolor": "#eef3fb" if node.kind != "input"
                        else "#fdf1dc", "edgecolor": "0.5"})
    return figure
