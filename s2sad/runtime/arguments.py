"""Checks of the values a derivative is called with: arrays whose operators or storage
mean something else than a plain ``np.ndarray``'s are refused, not differentiated wrongly.

``np.matrix`` (``*`` and ``**`` are matrix products and powers), masked arrays (the masked
entries take no part), record arrays and arrays of a structured or ``object`` dtype.
"""

from __future__ import annotations

import array
import copy
from typing import Any

import numpy as np

from s2sad.runtime.duck import is_duck_array
from s2sad.runtime.records import field_names, is_record

_FLOAT64 = np.dtype(np.float64)  # the dtype of most arrays, tested first by identity

#: array types that behave unlike ``np.ndarray`` under the rules' arithmetic: how to spell
#: them, and why
_REFUSED = {
    np.matrix: ("numpy.matrix", "its * and ** are matrix operations"),
    np.ma.MaskedArray: ("masked array", "its masked entries take no part in it"),
    np.recarray: ("numpy.recarray", "its fields are not numbers"),
}


def check_arguments(function_name: str, names: tuple[str, ...], *values: Any,
                    function: Any = None) -> None:
    """Raise a ``TypeError`` naming the argument when one of ``values`` (the arguments
    ``names`` of ``function_name``) is, or holds, an array s2sad does not differentiate.
    Floats and real ``np.ndarray``s cost a type test each. Given the ``function`` whose
    output ``grad`` has not computed (it is real for real arguments), check that output
    when an argument is complex: called on copies of the arguments.

    >>> check_arguments("f", ("x", "m"), 1.0, np.ones(2, dtype=object))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: f's argument m is an array of dtype object, which s2sad does not ...
    """
    for value in values:
        kind = type(value)
        if kind is float or kind is np.ndarray and (
                value.dtype is _FLOAT64 or value.dtype.kind in "biuf"):
            continue
        for name, value in zip(names, values):
            refused = _refused(value, name)
            if refused is not None:
                raise TypeError(f"{function_name}'s {refused}")
        from s2sad.runtime.core import all_real, check_scalar

        if function is not None and not all_real(*values):
            check_scalar(function(**copy.deepcopy(dict(zip(names, values)))), function_name)
        return


def refuse_arrays(where: str, names: Any, values: Any) -> None:
    """``check_arguments`` for the API's own callers (``jvp``'s tangents, ``vjp``'s
    cotangent): ``where`` says whose values they are."""
    for name, value in zip(names, values):
        refused = _refused(value, name)
        if refused is not None:
            raise TypeError(f"{where} {refused}")


def _refused(value: Any, path: str) -> str | None:
    """Why ``value`` (found at ``path``) is refused, or None."""
    if isinstance(value, np.ndarray):
        for kind, (spelled, why) in _REFUSED.items():
            if isinstance(value, kind):
                return (f"argument {path} is a {spelled}, which s2sad does not "
                        f"differentiate ({why}); convert it with np.asarray({path})")
        if value.dtype.kind == "O":
            return (f"argument {path} is an array of dtype object, which s2sad does not "
                    f"differentiate; convert it to numbers with {path}.astype(float)")
        if value.dtype.kind == "V":
            return (f"argument {path} is an array of structured dtype {value.dtype}, which "
                    f"s2sad does not differentiate; pass its fields as arrays of their own")
        return None
    if _foreign_array(value):
        return (f"argument {path} is a {type(value).__name__}, an array of another library "
                "that s2sad does not differentiate (its values reach NumPy through "
                f"__array__ or __array_ufunc__); convert it with np.asarray({path})")
    if is_record(value):
        for name in field_names(value):
            found = _refused(getattr(value, name), f"{path}.{name}")
            if found is not None:
                return found
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            found = _refused(item, f"{path}[{index}]")
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _refused(item, f"{path}[{key!r}]")
            if found is not None:
                return found
    return None


def _foreign_array(value: Any) -> bool:
    """Whether ``value`` is an array-like NumPy converts (a pandas ``Series``, an image
    with ``__array_interface__``, a ``memoryview``) but is neither a NumPy array nor value
    nor a duck array whose derivatives s2sad keeps in their library (``runtime/duck.py``)."""
    if isinstance(value, (np.ndarray, np.generic, type)) or is_duck_array(value):
        return False  # (a type, np.float64 as a dtype, has __array__ too)
    if isinstance(value, (memoryview, array.array)):
        return True
    return any(hasattr(value, attribute) for attribute in (
        "__array__", "__array_ufunc__", "__array_interface__", "__array_struct__"))
