"""What lowered ``raise`` statements and f-strings call: a ``raise`` is a call of
``raise_error``, an f-string a call of ``formatted`` (``s2sad/lowering/messages.py``)."""

from __future__ import annotations

from typing import Any


def raise_error(exception: Any, cause: Any = None) -> None:
    """``raise exception`` (``from cause`` when one is given), as the user's ``raise`` did.

    >>> raise_error(ValueError("x must be positive"))
    Traceback (most recent call last):
    ValueError: x must be positive
    """
    if cause is not None:
        raise exception from cause
    raise exception


def formatted(template: str, *values: Any) -> str:
    """The text of an f-string: ``template.format(*values)``, ``template`` made from it.

    >>> formatted("x = {!r:>6}", 1.5)
    'x =    1.5'
    """
    return template.format(*values)
