"""Fuse the max-shifted log-sum-exp, log-softmax and softmax into one call each.

The stable forms people write,

    m = np.max(z)                                   m = np.max(z, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m)))         s = z - m
                                                    out = s - np.log(np.sum(np.exp(s),
                                                                     axis=1, keepdims=True))

are ``logsumexp(z)`` and ``log_softmax(z, axis=1, keepdims=True)``
(``s2sad/runtime/softmax.py``): the same NumPy calls, so the same value, and the softmax
as their derivative. Differentiated as written, the shift ``m`` would get an adjoint
through ``np.max`` (tie-splitting weights) that cancels to zero, and be recorded for it.
A log-sum-exp read only to make the softmax, ``p = np.exp(z - lse)``, becomes
``p = softmax(z)``, whose adjoint reads ``p`` instead of computing it again.

The six core statements must follow one another, ``np.max`` and ``np.sum`` must take the
same ``axis`` and ``keepdims``, and the shift must line up with the reduction (all axes, or
``keepdims=True``), which is when its adjoint is zero. ``m`` and the shifted values may be
read only by the idiom.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer, names_in
>>> from s2sad.normalize import Normalizer
>>> tree = gast.parse('''
... def lse(z):
...     m = np.max(z)
...     return m + np.log(np.sum(np.exp(z - m)))''')
>>> core = Normalizer(Namer(names_in(tree))).function(tree.body[0])
>>> fuse_log_sum_exp(core, lambda name: np, lambda function: function.__name__)
True
>>> print(to_source(core), end="")
def lse(z):
    _y = logsumexp(z)
    return _y
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast
import numpy as np

from s2sad.nodes import load
from s2sad.optimize.fusion import CoreNames, Fusion, binary, is_name, target
from s2sad.runtime.softmax import log_softmax, logsumexp, softmax

__all__ = ["fuse_log_sum_exp"]


def fuse_log_sum_exp(core: gast.FunctionDef, resolve: Callable[[str], Any],
                     name_for: Callable[[Any], str], names: CoreNames | None = None) -> bool:
    """Rewrite every softmax, log-sum-exp and log-softmax of ``core`` in place; whether
    anything changed (``resolve`` and ``name_for`` as for ``fuse_pairwise_distances``)."""
    softmax_found = Softmax(core, resolve, name_for, names).run()
    return LogSumExp(core, resolve, name_for, names).run() or softmax_found


class LogSumExp(Fusion):
    size = 6

    def match(self, window: list[gast.Assign]) -> gast.Assign | None:
        found = self.recognise(window)
        if found is None:
            return None
        function, z, options = found
        keywords = {k: gast.Constant(value=v, kind=None) for k, v in options.items()}
        return self.fused(window[-1], function, [load(z)], keywords)

    def recognise(self, window: list[gast.Assign]):
        """``(logsumexp or log_softmax, z, options)`` when the six statements compute one
        of them of ``z`` (their last one assigning it), else None."""
        top, shift, exponential, total, log, result = window
        maximum = self.reduction(top.value, np.max, "max")
        if maximum is None:
            return None
        z, options = maximum
        m, s, e, t, l = (target(st) for st in (top, shift, exponential, total, log))
        if len({z, m, s, e, t, l, target(result)}) < 7 or not self.aligned(options):
            return None
        difference = binary(shift.value, gast.Sub)
        if difference is None or not (is_name(difference[0], z) and is_name(difference[1], m)):
            return None
        exp = self.numpy_call(exponential.value, np.exp)
        if exp is None or exp[0] != s or exp[1] or exp[2]:
            return None
        if self.reduction(total.value, np.sum, "sum") != (e, options):
            return None
        logarithm = self.numpy_call(log.value, np.log)
        if logarithm is None or logarithm[0] != t or logarithm[1] or logarithm[2]:
            return None
        added, subtracted = binary(result.value, gast.Add), binary(result.value, gast.Sub)
        if added is not None and {_name(added[0]), _name(added[1])} == {m, l} and \
                self.read_only_by_the_idiom({m: 2, s: 1, e: 1, t: 1, l: 1}):
            return logsumexp, z, options
        if subtracted is not None and is_name(subtracted[0], s) and \
                is_name(subtracted[1], l) and \
                self.read_only_by_the_idiom({m: 1, s: 2, e: 1, t: 1, l: 1}):
            return log_softmax, z, options
        return None

    def reduction(self, value: gast.expr, function: Any, method: str):
        """``(x, {"axis": a, "keepdims": k})`` for ``function(x, axis, keepdims=k)`` or the
        method, with literal options (those given); None otherwise."""
        call = self.numpy_call(value, function, method)
        if call is None:
            return None
        x, arguments, keywords = call
        if len(arguments) > 1 or set(keywords) - {"axis", "keepdims"} or \
                arguments and "axis" in keywords:
            return None
        given = dict(keywords)
        if arguments:
            given["axis"] = arguments[0]
        options = {}
        for name, node in sorted(given.items()):
            value = _literal(node)
            if value is _NOT_LITERAL:
                return None
            options[name] = value
        return x, options

    @staticmethod
    def aligned(options: dict) -> bool:
        """Whether the shift lines up with the reduction (its adjoint is then zero)."""
        return options.get("axis") is None or options.get("keepdims") is True


_NOT_LITERAL = object()


def _literal(node: gast.expr):
    """The value of an int, ``None`` or bool constant (or a negative int), else
    ``_NOT_LITERAL``."""
    for value in (None, True, False):
        if isinstance(node, gast.Constant) and node.value is value:
            return value
    if isinstance(node, gast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and \
            isinstance(node.operand, gast.Constant) and type(node.operand.value) is int:
        return -node.operand.value
    return _NOT_LITERAL


def _name(node: gast.expr) -> str | None:
    return node.id if isinstance(node, gast.Name) else None


class Softmax(LogSumExp):
    """``p = np.exp(z - lse)`` after the six statements of ``lse``'s log-sum-exp, with
    ``lse`` and the difference read only there: ``p = softmax(z)``."""

    size = 8

    def match(self, window: list[gast.Assign]) -> gast.Assign | None:
        found = self.recognise(window[:6])
        if found is None or found[0] is not logsumexp:
            return None
        _, z, options = found
        lse, shift, exponential = target(window[5]), window[6], window[7]
        difference = binary(shift.value, gast.Sub)
        if difference is None or not (is_name(difference[0], z) and is_name(difference[1], lse)):
            return None
        exp = self.numpy_call(exponential.value, np.exp)
        if exp is None or exp[0] != target(shift) or exp[1] or exp[2] or \
                not self.read_only_by_the_idiom({lse: 1, target(shift): 1}):
            return None
        keywords = {k: gast.Constant(value=v, kind=None) for k, v in options.items()}
        return self.fused(exponential, softmax, [load(z)], keywords)
