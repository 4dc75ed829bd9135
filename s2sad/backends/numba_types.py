"""The types of a derivative's local variables, as Numba will see them: learnt from one
run of the Python version the arguments select.

The compiled form needs a type where the Python code has none: a variable first bound to
``None`` before a loop (a value the tape saves before the loop assigns it) and the tape
buffers themselves. A run of the Python derivative on the arguments at hand shows the
type each variable holds. Numba types the compiled function for every path, not only the
one that ran. A buffer's type is the one place a guess could lose a value (an int in the
run seen, a float in another call: `x if c else 1`), so recorded integers are kept in float
buffers (exact to 2**53); any other wrong guess makes compilation fail.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

#: tags of the scalar types a tape buffer holds, and their NumPy dtypes
SCALAR_DTYPES = {"f8": "np.float64", "i8": "np.int64", "b1": "np.bool_"}


def type_tag(value: Any) -> str | None:
    """``"f8"``, ``"i8"`` or ``"b1"`` for a Python or NumPy scalar of those kinds,
    ``"array"`` for an array, None for None and anything else."""
    if isinstance(value, (bool, np.bool_)):
        return "b1"
    if isinstance(value, (int, np.integer)):
        return "i8"
    if isinstance(value, (float, np.floating)):
        return "f8"
    if isinstance(value, np.ndarray):
        return "array"
    return None


#: how many times each line's arrival reads the locals (a loop's body holds values of
#: the same types at each iteration, as compiled code needs)
_READS_PER_LINE = 3


def local_types(function: Any, args: tuple, kwargs: dict,
                arrays: dict[str, set[tuple]] | None = None) -> dict[str, set[str]]:
    """Calls ``function`` and returns, for each local variable of its own frame, the
    type tags of the values it held when a line was reached (the first few times each)
    and when it returned; ``arrays`` receives each array's ``(dtype, shape)``."""
    found = frame_types(function, args, kwargs, ())[function.__code__]
    if arrays is not None:
        arrays.update(found[1])
    return found[0]


def frame_types(function: Any, args: tuple, kwargs: dict,
                callees: tuple) -> dict[Any, tuple[dict[str, set[str]], dict[str, set[tuple]]]]:
    """Calls ``function`` and returns, for its code and each code object in ``callees``
    (the functions it calls), the type tags of each local variable's values in their
    frames (the first few times each line was reached, and at each return) and each
    array's ``(dtype, shape)``."""
    codes = (function.__code__,) + tuple(callees)
    found: dict[Any, tuple[dict, dict]] = {code: ({}, {}) for code in codes}
    reads: dict[tuple, int] = {}

    def record(frame: Any) -> None:
        seen, arrays = found[frame.f_code]
        for name, value in frame.f_locals.items():
            tag = type_tag(value)
            if tag is not None:
                seen.setdefault(name, set()).add(tag)
            if tag == "array":
                arrays.setdefault(name, set()).add((value.dtype.str, value.shape))

    def local_trace(frame: Any, event: str, arg: Any) -> Any:
        where = (frame.f_code, frame.f_lineno)
        count = reads.get(where, 0)
        if count < _READS_PER_LINE or event == "return":
            reads[where] = count + 1
            record(frame)
        return local_trace

    def global_trace(frame: Any, event: str, arg: Any) -> Any:
        return local_trace if frame.f_code in found else None

    previous = sys.gettrace()
    sys.settrace(global_trace)
    try:
        function(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return found


def single_tag(tags: set[str] | None) -> str | None:
    """The one tag of a variable's values (an int that is also a float is a float), or
    None when there is none or more than one."""
    if not tags:
        return None
    if tags == {"i8", "f8"}:
        return "f8"
    return next(iter(tags)) if len(tags) == 1 else None
