"""A field read ``p.a`` of a dataclass or NamedTuple, and the adjoint it gives ``p``: a
record of ``p``'s type holding the adjoint in ``a`` and zeros elsewhere."""

from __future__ import annotations

from typing import Any

from s2sad.runtime.core import zeros_like
from s2sad.runtime.located import located
from s2sad.runtime.records import field_names, is_record, rebuilt


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
        raise TypeError(located(
            f"s2sad differentiates reads of attributes of dataclasses and NamedTuples, but "
            f".{name} is read from a {type(record).__name__}: pass the numbers as arguments, "
            f"or make {type(record).__name__} a dataclass"))
    return rebuilt(record, {f: g if f == name else zeros_like(getattr(record, f))
                            for f in field_names(record)})
