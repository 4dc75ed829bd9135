"""The lecture's own views of automatic differentiation: evaluation traces in the
lecture's notation (``trace``), the computational graph (``graph``), derivative source
to look at (highlighted text, an HTML page)."""

from s2sad.lecture.graph import Graph, graph
from s2sad.lecture.traces import Row, Trace, trace

__all__ = ["Graph", "Row", "Trace", "graph", "trace"]
