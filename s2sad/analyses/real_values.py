"""Which code keeps real values real: the values it reads from outside, the operations
that may make complex values out of real ones, Python arithmetic on real numbers."""

from __future__ import annotations

import operator
import types

import gast
import numpy as np

from s2sad.analyses.operations import Operation
from s2sad.frontend import ParsedFunction


def real_free_values(nodes: list[gast.AST], parsed: ParsedFunction, locals_: set[str],
                      arrays: bool = False) -> list[tuple[str, tuple[str, ...]]] | None:
    """The paths to the values the function (its ``nodes``, its local names ``locals_``)
    reads from outside (a global or closure variable, ``math.pi``) if each is a real
    number (or, with ``arrays``, a real array), as real code assumes; else None."""
    called = {id(n.func) for n in nodes if isinstance(n, gast.Call)}
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for node in nodes:
        if id(node) in called:
            continue
        chain, names = node, []
        while isinstance(chain, gast.Attribute):
            names.append(chain.attr)
            chain = chain.value
        if not (isinstance(chain, gast.Name) and isinstance(chain.ctx, gast.Load)) or \
                chain.id in locals_ or (names and node is not chain and
                                        isinstance(getattr(node, "ctx", None), gast.Store)):
            continue
        value = parsed.resolve(chain.id)
        for attr in reversed(names):
            value = getattr(value, attr, None)
        if isinstance(value, (types.ModuleType, type)) or callable(value):
            continue
        if not (arrays and isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
                or isinstance(value, (int, float))):
            return None
        found[(chain.id, tuple(reversed(names)))] = None
    return list(found)


#: Parts of NumPy and SciPy that may make complex values out of real ones.
_COMPLEX_MAKERS = ("fft", "eig", "emath", "scimath", "schur", "hilbert", "complex")


def operation_keeps_real(operation: Operation) -> bool:
    """Whether the operation's result is real when its arguments are: not a complex
    maker (FFT, eigenvalues), no dtype given (``np.zeros(3, complex)``, ``astype``), no
    Python power that may be complex (``s ** 0.5`` of a negative float)."""
    value = getattr(operation.statement, "value", None)
    if isinstance(value, gast.Call) and (any(k.arg == "dtype" for k in value.keywords)
                                         or any(_may_name_a_dtype(a) for a in _unnamed(
                                             operation, value))):
        return False
    if operation.kind in ("copy", "display", "unpack", "setitem", "append", "pop",
                          "accumulate", "takeout", "inactive"):
        return True
    if operation.kind != "apply":
        return False  # user functions, methods found when called, functions without rules
    if operation.function is operator.pow and not _real_power(operation):
        return False
    name = (operation.rules.name if operation.rules is not None else "").lower()
    return not any(part in name for part in _COMPLEX_MAKERS) and not name.endswith(
        (".astype", ".view"))


def _unnamed(operation: Operation, call: gast.Call) -> list[gast.expr]:
    """The call's positional arguments that may give a dtype: those its rules bind to
    a parameter of another name (``np.einsum``'s subscripts, ``norm``'s ``ord``) may not."""
    bound = {id(a): name for name, a in operation.arguments.items()}
    return [a for a in call.args if id(a) not in bound or "type" in bound[id(a)]]


def _may_name_a_dtype(node: gast.expr) -> bool:
    """A call's argument that may be a dtype: a type's name (``complex``, ``np.complex64``,
    ``float``), a string (``"c16"``) or an attribute named like one."""
    if isinstance(node, gast.Constant):
        return isinstance(node.value, str)
    name = node.id if isinstance(node, gast.Name) else \
        node.attr if isinstance(node, gast.Attribute) else ""
    return "complex" in name.lower() or name in ("dtype", "float", "int", "bool")


def _real_power(operation: Operation) -> bool:
    """``a ** b`` that is real for real ``a`` and ``b``: an integer exponent, or a base
    that is a positive number (a Python float's fractional power of a negative base is
    complex)."""
    base, exponent = (list(operation.arguments.values()) + [None, None])[:2]
    if isinstance(exponent, gast.Constant) and type(exponent.value) is int:
        return True
    return isinstance(base, gast.Constant) and isinstance(base.value, (int, float)) \
        and not isinstance(base.value, bool) and base.value > 0


def is_scalar_arithmetic(operation: Operation) -> bool:
    """Python arithmetic on numbers (``math``, ``operator``, ``abs``, ``min``, ``max``,
    ``float``) that gives a real number for real ones."""
    if operation.kind in ("copy", "inactive"):
        return True
    if operation.function is operator.pow and not _real_power(operation):
        return False  # a negative float's fractional power is complex
    module = getattr(operation.function, "__module__", None)
    return operation.kind == "apply" and (module in ("math", "_operator", "operator")
                                          or operation.function in (abs, min, max, float))
