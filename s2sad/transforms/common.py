"""What the transforms share: which adjoints add with ``+``, an index written as a value,
the user's line a statement comes from."""

from __future__ import annotations

import gast
import numpy as np

from s2sad.analyses.operations import NUMPY_MARKER, index_value, targets_of
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import parameters
from s2sad.trees import copy_tree, walk


def plain_names(prepared: Prepared) -> set[str]:
    """Names that certainly hold numbers or arrays, whose adjoints add with ``+``; any other
    adjoint is added with ``runtime.add``, which also adds tuples and lists element by
    element. A name is plain when it takes part in arithmetic, or is indexed the way only
    an array can be (with ``None`` or several indices: ``W[:, None]``, ``A[i, j]``), and the
    kind analysis does not say it may hold a sequence; and in a version for arguments of
    known types, the parameters given arrays, in real scalar code every parameter."""
    plain: set[str] = set(prepared.array_parameters)
    if prepared.scalar_code:
        plain.update(parameters(prepared.core))
    kinds = prepared.kinds
    for operation in prepared.operations:
        value = getattr(operation.statement, "value", None)
        if isinstance(value, (gast.BinOp, gast.UnaryOp)):
            plain.update(n.id for n in walk(value) if isinstance(n, gast.Name))
            plain.update(targets_of(operation.statement))
        elif (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
              and _array_only_index(value.slice)):
            plain.add(value.value.id)
    return {n for n in plain if kinds is None or not kinds.is_sequence(n)}


def _array_only_index(index: gast.expr) -> bool:
    if isinstance(index, gast.Tuple):
        return True  # a tuple or list takes one index at a time
    return isinstance(index, gast.Constant) and index.value is None


def index_as_value(namespace, index: gast.expr) -> gast.expr:
    """An index as a value (``np.s_[1:, j]`` for a slice), ``np`` bound by ``namespace``."""
    value = index_value(copy_tree(index))
    numpy = namespace.name_for(np, "np")
    for node in walk(value):
        if isinstance(node, gast.Name) and node.id == NUMPY_MARKER:
            node.id = numpy
    return value


def header(parsed, statement: gast.stmt) -> str:
    """The user's line a statement (or the statement it came from) starts on."""
    origin = getattr(statement, "origin", statement)
    lines = parsed.lines
    if 0 < origin.lineno <= len(lines):
        return lines[origin.lineno - 1].strip()
    return ""
