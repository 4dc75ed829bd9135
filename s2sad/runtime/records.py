"""Dataclasses and NamedTuples as structured values: what a record is, its fields, and a
record of the same type made of other values. A field read and its adjoint are in
``s2sad/runtime/fields.py``.

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
