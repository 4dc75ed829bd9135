"""The adjoints a derivative returns, as a person would return them: without ``match``
where the adjoint is certainly of its parameter's type already, and named after the
parameter rather than a temporary.
"""

from __future__ import annotations

import gast
import numpy as np

from s2sad.namespace import Namespace
from s2sad.runtime.core import match, zeros_like
from s2sad.runtime.rank_one import outer_columns
from s2sad.trees import walk


def drop_matches(definition: gast.FunctionDef, float64_arrays: set[str],
                 namespace: Namespace) -> None:
    """``return match(x_bar, x)`` as ``return x_bar`` for the parameters ``x`` that are
    float64 arrays: in real code, s2sad's rules give an adjoint its primal's shape and
    dtype. Not where the code calls anything else that may make an adjoint (a rule or a
    derivative the user wrote, whose result ``match`` checks) or a lazy outer product
    (``outer_columns``, which ``match`` makes an array)."""
    called = [namespace.bindings.get(n.func.id) for n in walk(definition)
              if isinstance(n, gast.Call) and isinstance(n.func, gast.Name)]
    if any(f is outer_columns or not _ours(f) for f in called if f is not None):
        return
    fresh = _fresh_arrays(definition, namespace)
    _drop_returned_matches(definition, namespace, lambda g, x: isinstance(x, gast.Name)
                           and x.id in float64_arrays and isinstance(g, gast.Name)
                           and g.id in fresh)


#: functions that return a new array (never one of their arguments, nor a view of it)
_NEW_ARRAYS = {np.outer, np.zeros_like, zeros_like, np.zeros}


def _fresh_arrays(definition: gast.FunctionDef, namespace: Namespace) -> set[str]:
    """The names every assignment of which makes a new array: arithmetic (``g * x``,
    ``W.T @ g``), or a function that makes one; never a parameter, nor a name that may
    hold a parameter's own array (``x_bar = k``), which ``match`` would copy."""
    arguments = {a.id for a in (*definition.args.posonlyargs, *definition.args.args,
                                *definition.args.kwonlyargs)}
    verdicts: dict[str, bool] = {}
    for node in walk(definition):
        if isinstance(node, (gast.For, gast.comprehension)):
            for name in (n for n in walk(node.target) if isinstance(n, gast.Name)):
                verdicts[name.id] = False
        if not isinstance(node, gast.Assign):
            continue
        value = node.value
        new = isinstance(value, (gast.BinOp, gast.UnaryOp)) or (
            isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and namespace.bindings.get(getattr(value.func.value, "id", None)) is np
            and getattr(np, value.func.attr, None) in _NEW_ARRAYS) or (
            isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and namespace.bindings.get(value.func.id) in _NEW_ARRAYS)
        for target in node.targets:
            if isinstance(target, gast.Name):
                verdicts[target.id] = verdicts.get(target.id, True) and new
            else:
                for name in (n for n in walk(target) if isinstance(n, gast.Name)):
                    verdicts[name.id] = False
    return {name for name, new in verdicts.items() if new and name not in arguments}


def copy_returned_arguments(definition: gast.FunctionDef, arrays: set[str],
                            namespace: Namespace) -> None:
    """``return k`` (or ``match(k, x)``) of a parameter ``k`` that is an array, as
    ``k.copy()``, wherever it stands in the returned tuples (with the value, or the tape):
    a gradient is never one of the arguments (the caller may write into it);
    simplification can leave one (``1.0 * k``).

    >>> from s2sad.emit import to_source
    >>> from s2sad.naming import Namer
    >>> namespace = Namespace({}, Namer(set()), set())
    >>> name = namespace.name_for(match, "match")
    >>> tree = gast.parse(f"def f(x, k):\\n    return y, ({name}(k, x), zeros_like(k))")
    >>> copy_returned_arguments(tree.body[0], {"x", "k"}, namespace)
    >>> print(to_source(tree.body[0]).splitlines()[-1])
        return y, (match(k.copy(), x), zeros_like(k))
    """
    returned = definition.body[-1]
    if isinstance(returned, gast.Return) and returned.value is not None:
        returned.value = _copied(returned.value, arrays, namespace)


def _copied(node: gast.expr, arrays: set[str], namespace: Namespace) -> gast.expr:
    if isinstance(node, gast.Tuple):
        node.elts = [_copied(e, arrays, namespace) for e in node.elts]
        return node
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.args \
            and namespace.bindings.get(node.func.id) is match:
        node.args[0] = _copied(node.args[0], arrays, namespace)
        return node
    if isinstance(node, gast.Name) and node.id in arrays:
        method = gast.Attribute(value=node, attr="copy", ctx=gast.Load())
        return gast.Call(func=method, args=[], keywords=[])
    return node


def _drop_returned_matches(definition: gast.FunctionDef, namespace: Namespace,
                           needless) -> None:
    """``match(g, x)`` in the returned value as ``g`` where ``needless(g, x)``."""
    returned = definition.body[-1]
    if not isinstance(returned, gast.Return) or returned.value is None:
        return
    values = returned.value.elts if isinstance(returned.value, gast.Tuple) else [returned.value]
    for position, value in enumerate(values):
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and \
                namespace.bindings.get(value.func.id) is match and len(value.args) == 2 \
                and needless(*value.args):
            values[position] = value.args[0]
    if not isinstance(returned.value, gast.Tuple):
        returned.value = values[0]


def _ours(function) -> bool:
    """Whether ``function`` is NumPy's, SciPy's, Python's or one of s2sad's runtime helpers."""
    module = getattr(function, "__module__", None) or getattr(
        type(function), "__module__", "") or ""
    return module.split(".")[0] in ("numpy", "scipy", "math", "builtins", "operator",
                                    "_operator") or module.startswith("s2sad.runtime")


def name_returned_adjoints(definition: gast.FunctionDef, wrt: list[str]) -> None:
    """``return W1_bar, _t2_bar`` as ``return W1_bar, b1_bar``: an adjoint returned for a
    parameter from a temporary (copy propagation took ``b1_bar = _t2_bar`` away) is
    renamed after its parameter, where that name is free and the temporary returned once.

    >>> from s2sad.emit import to_source
    >>> tree = gast.parse("def f(x, b):\\n    _t2_bar = g * 2\\n    return x_bar, _t2_bar")
    >>> name_returned_adjoints(tree.body[0], ["x", "b"])
    >>> print(to_source(tree.body[0]).splitlines()[-1])
        return x_bar, b_bar
    """
    returned = definition.body[-1]
    if not isinstance(returned, gast.Return) or returned.value is None:
        return
    values = returned.value.elts if isinstance(returned.value, gast.Tuple) else [returned.value]
    if len(values) != len(wrt):
        return
    used = {n.id for n in walk(definition) if isinstance(n, gast.Name)}
    used |= {a.id for a in (*definition.args.posonlyargs, *definition.args.args,
                            *definition.args.kwonlyargs)}
    counts: dict[str, int] = {}
    for value in values:
        if isinstance(value, gast.Name):
            counts[value.id] = counts.get(value.id, 0) + 1
    renames = {}
    for parameter, value in zip(wrt, values):
        wanted = f"{parameter}_bar"
        if isinstance(value, gast.Name) and value.id.startswith("_t") and \
                value.id.endswith("_bar") and counts[value.id] == 1 and wanted not in used:
            renames[value.id] = wanted
            used.add(wanted)
    if renames:
        for node in walk(definition):
            if isinstance(node, gast.Name) and node.id in renames:
                node.id = renames[node.id]
