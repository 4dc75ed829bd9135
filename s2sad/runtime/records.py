"""Dataclasses and NamedTuples as structured values: a field read ``p.a`` and the adjoint
it gives ``p``, a record of ``p``'s type holding the adjoint in ``a`` and zeros elsewhere.

``zeros_like``, ``add`` and ``match`` (``s2sad/runtime/core.py``) go through records field
by field, as they go through tuples, lists and dicts.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any


def is_record(x: Any) -> bool:
    """A dataclass instance or a NamedTuple."""
    return (dataclasses.is_dataclass(x) and not isinstance(x, type)) or (
        isinstance(x, tuple) and hasattr(type(x), "_fields"))


def field_names(x: Any) -> tuple[str, ...]:
    if isinstance(x, tuple):
        return type(x)._fields
    return tuple(f.name for f in dataclasses.fields(x))


def rebuilt(x: Any, values: dict[str, Any]) -> Any:
    """A record of ``x``'s type with ``values`` in its fields (``__init__`` not run: a
    frozen dataclass, or one whose ``__post_init__`` checks its values, is rebuilt too)."""
    if isinstance(x, tuple):
        return type(x)(**values)
    new = copy.copy(x)
    for name, value in values.items():
        object.__setattr__(new, name, value)
    return new


def field(record: Any, name: str) -> Any:
    """``record.name``: the function s2sad sees in an attribute read that is not an array's
    (``p.a`` of a dataclass or a NamedTuple ``p``)."""
    return getattr(record, name)


def field_adjoint(g: Any, record: Any, name: str) -> Any:
    """Adjoint of ``record.name``: a record of the same type with ``g`` in ``name`` and
    zeros in the other fields.

    >>> from typing import NamedTuple
    >>> class P(NamedTuple):
    ...     a: float
    ...     b: float
    >>> field_adjoint(2.0, P(1.0, 7.0), "b")
    P(a=0.0, b=2.0)
    """
    if not is_record(record):
        raise TypeError(
            f"s2sad differentiates reads of attributes of dataclasses and NamedTuples, but "
            f".{name} is read from a {type(record).__name__}: pass the numbers as arguments, "
            f"or make {type(record).__name__} a dataclass")
    from s2sad.runtime.core import zeros_like

    return rebuilt(record, {f: g if f == name else zeros_like(getattr(record, f))
                            for f in field_names(record)})
