"""Casts: what a ``dtype=`` argument does to a derivative.

A result cast to an integer or boolean dtype (``x.astype(np.int32)``,
``np.asarray(x, dtype=int)``, ``np.sum(x, dtype="i8")``, ``np.full_like(x, v, dtype=bool)``)
carries no derivative: its operation becomes inactive. A cast to a float or complex dtype
keeps the rule, which casts the tangent alike (the adjoint goes back to the input's dtype
through ``match``). The dtype is read from the code: a constant (``"int32"``, ``'f4'``), a
type (``int``, ``np.float32``) or a local name set once to one; ``x.dtype`` for the value
``x`` being cast is no cast. A dtype the code does not show is checked at run time by
``astype``'s rules; for any other function it is refused where a derivative would flow
through it.
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from s2sad.runtime.shapes import cast_adjoint, cast_tangent

_UNKNOWN = object()
#: functions whose rules read the dtype at run time (and the helpers those rules call,
#: met again in a derivative being differentiated)
_CHECKED_AT_RUN_TIME = (np.ndarray.astype, cast_adjoint, cast_tangent)


def dtype_of(atom: gast.expr, resolve, definitions: dict[str, gast.expr],
             local_names: set[str]) -> Any:
    """The ``np.dtype`` an argument names, ``None`` for no cast, or ``_UNKNOWN``."""
    seen = 0
    while isinstance(atom, gast.Name) and atom.id in definitions and seen < 8:
        atom, seen = definitions[atom.id], seen + 1  # _t1 = np.int32
    if isinstance(atom, gast.Constant):
        value = atom.value
    else:
        chain, names = atom, []
        while isinstance(chain, gast.Attribute):
            names.append(chain.attr)
            chain = chain.value
        if not isinstance(chain, gast.Name) or chain.id in local_names:
            return _UNKNOWN  # x.dtype: known when the code runs
        value = resolve(chain.id)
        for name in reversed(names):
            value = getattr(value, name, _UNKNOWN)
    if value is None:
        return None
    try:
        return np.dtype(value)
    except (TypeError, ValueError):
        return _UNKNOWN


def _definitions(operations: list, local_names: set[str]) -> tuple[dict[str, gast.expr],
                                                                   dict[str, int]]:
    """Local names assigned exactly once, from a name, an attribute chain or a constant;
    and how many times each name is assigned."""
    counts: dict[str, int] = {}
    values: dict[str, gast.expr] = {}
    for op in operations:
        statement = op.statement
        for target in getattr(statement, "targets", []):
            for node in (target.elts if isinstance(target, (gast.Tuple, gast.List))
                         else [target]):
                if isinstance(node, gast.Name):
                    counts[node.id] = counts.get(node.id, 0) + 1
                    if isinstance(statement.value, (gast.Name, gast.Attribute, gast.Constant)):
                        values[node.id] = statement.value
    return {n: v for n, v in values.items() if counts[n] == 1 and n in local_names}, counts


def _own_dtype(op, definitions: dict[str, gast.expr], counts: dict[str, int]) -> bool:
    """Whether ``op`` casts its first argument ``x`` to ``x.dtype`` (``x`` assigned at most
    once): no cast."""
    atom, first = op.arguments["dtype"], next(iter(op.arguments.values()))
    value = definitions.get(atom.id) if isinstance(atom, gast.Name) else atom
    return (isinstance(value, gast.Attribute) and value.attr == "dtype"
            and isinstance(value.value, gast.Name) and isinstance(first, gast.Name)
            and value.value.id == first.id and counts.get(first.id, 0) <= 1)


def settle_casts(operations: list, resolve, local_names: set[str]) -> dict[int, Any]:
    """Make operations cast to an integer or boolean dtype inactive; give the positions of
    those whose dtype the code does not show."""
    definitions, counts = _definitions(operations, local_names)
    unknown: dict[int, Any] = {}
    for index, op in enumerate(operations):
        if op.kind != "apply" or "dtype" not in op.arguments:
            continue
        dtype = dtype_of(op.arguments["dtype"], resolve, definitions, local_names)
        if dtype is _UNKNOWN:
            if op.function not in _CHECKED_AT_RUN_TIME and not _own_dtype(
                    op, definitions, counts):
                unknown[index] = op.arguments["dtype"]
        elif dtype is not None and dtype.kind not in "fc":
            op.kind = "inactive"
    return unknown


def check_dtypes(unknown: dict[int, Any], operations: list, active: set[str], error) -> None:
    """Refuse a ``dtype=`` the code does not show where a derivative flows through it."""
    from s2sad.analyses.operations import targets_of

    for index, atom in unknown.items():
        op = operations[index]
        if not any(t in active for t in targets_of(op.statement)):
            continue
        where = atom if getattr(atom, "lineno", None) else op.statement
        raise error(where, f"s2sad cannot tell whether this dtype is an integer, boolean or "
                    f"float type: the derivative of {op.rules.name} depends on it",
                    "pass the type itself (dtype=np.float32, dtype=int) or a string "
                    "constant ('float64'), or cast with .astype(dtype), which checks its "
                    "dtype when it runs")
