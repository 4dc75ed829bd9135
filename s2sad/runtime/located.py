"""The user's line a refusal made at run time comes from.

Some refusals can only be made when a derivative runs, on the values it is given (a field
read of an object that is not a dataclass, a write into something that is not an array).
The helper raising them is called from generated code; following that code back to the
user's statement (``s2sad/origin.py``) lets the message start where the user looks:
``model.py:12:4: ...``.
"""

from __future__ import annotations

import gc
import linecache
import sys
import types
from typing import Any

from s2sad.origin import is_generated, user_function, user_origin


def located(message: str) -> str:
    """``message`` headed by the user's file, line and column that the nearest generated
    code up the stack comes from (the line of the user's function's ``def`` when the
    statement cannot be told for sure); unchanged when none is (a helper called directly).

    >>> located("a write into a tuple")
    'a write into a tuple'
    """
    where = _user_place(sys._getframe(1))
    return message if where is None else f"{where}: {message}"


def _user_place(frame: types.FrameType | None) -> str | None:
    while frame is not None:
        code = frame.f_code
        function = _function_of(code) if is_generated(code.co_filename) else None
        if function is not None:  # (a comprehension's own frame has no primal: go out)
            origin = user_origin(function, frame.f_lineno, exact=True)
            if origin is not None:
                line = linecache.getline(origin.filename, origin.lineno)
                column = len(line) - len(line.lstrip())
                return f"{origin.filename}:{origin.lineno}:{column}"
            definition = _definition(user_function(function))
            if definition is not None:
                return definition
        frame = frame.f_back
    return None


def _definition(function: Any) -> str | None:
    """``file:line:column`` of ``function``'s ``def``, with its name."""
    code = getattr(function, "__code__", None)
    if code is None or is_generated(code.co_filename):
        return None
    line = linecache.getline(code.co_filename, code.co_firstlineno)
    column = len(line) - len(line.lstrip())
    return f"{code.co_filename}:{code.co_firstlineno}:{column} (in {function.__qualname__})"


def _function_of(code: types.CodeType) -> Any:
    """A function running ``code`` (on an error path only: it searches the heap)."""
    for referrer in gc.get_referrers(code):
        if isinstance(referrer, types.FunctionType) and referrer.__code__ is code:
            return referrer
    return None

