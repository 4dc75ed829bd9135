"""Backends that compile s2sad's emitted derivatives further than Python bytecode
(``backend="numba"``: :mod:`s2sad.backends.numba_backend`)."""

from pathlib import Path


class NotFinite(ArithmeticError):
    """Raised by a compiled derivative whose result is not finite: where Python raises
    (``math.log(-1.0)``), compiled code gives NaN or infinity, so the Python version runs
    again to do what Python does."""


def numba_runtime_path() -> str:
    """The file of the helpers compiled derivatives call (part of their cache key)."""
    return str(Path(__file__).with_name("numba_runtime.py"))


class ShapeChanged(ValueError):
    """Raised by a compiled derivative when an array has another shape than the one its
    compilation assumed (a tape buffer's rows): the Python version runs instead."""
