"""What the fusion passes share: a window of consecutive core statements matched against
an idiom and replaced by one call of a fused runtime function.

A fusion pass subclasses :class:`Fusion` with ``size`` (how many statements the idiom
takes in A-normal form) and ``match(window)``, which returns the fused statement or None.
The base class walks every block, counts how often each name is read (an intermediate may
disappear only when the idiom itself is its one reader), and recognises calls of NumPy
functions whatever the user calls NumPy (``np.sum(x)``, ``numpy.sum(x)``, ``x.sum()``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gast

from s2sad.normalize import COMPOUND, local_names
from s2sad.trees import walk


@dataclass
class CoreNames:
    """How often each name is read, and the local variables: what the passes consult.
    Shared by passes run one after another, the counts can only be too high (a fusion
    reads its inputs once where the idiom read them once or more), which makes a later
    pass cautious, never wrong."""

    reads: Counter
    locals: set[str]


def core_names(core: gast.FunctionDef) -> CoreNames:
    reads = Counter(n.id for n in walk(core)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load))
    return CoreNames(reads, local_names(core))


class Fusion:
    #: how many consecutive statements the idiom takes
    size = 0

    def __init__(self, core: gast.FunctionDef, resolve: Callable[[str], Any],
                 name_for: Callable[[Any], str], names: CoreNames | None = None) -> None:
        self.core = core
        self.resolve = resolve
        self.name_for = name_for
        names = names or core_names(core)
        self.reads = names.reads
        self.locals = names.locals

    def run(self) -> bool:
        """Rewrite every match in place; whether anything changed."""
        return self._block(self.core.body)

    def match(self, window: list[gast.Assign]) -> gast.Assign | None:
        raise NotImplementedError

    def _block(self, body: list[gast.stmt]) -> bool:
        changed = False
        for statement in body:
            if isinstance(statement, COMPOUND):
                changed |= self._block(statement.body)
                changed |= self._block(getattr(statement, "orelse", []))
        start = 0
        while start + self.size <= len(body):
            window = body[start:start + self.size]
            fused = None
            if all(isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)
                   for s in window):
                fused = self.match(window)
            if fused is None:
                start += 1
                continue
            body[start:start + self.size] = [fused]
            changed = True
        return changed

    # -- helpers for match ----------------------------------------------------------------
    def read_only_by_the_idiom(self, counts: dict[str, int]) -> bool:
        """Whether each intermediate is read exactly as often as the idiom reads it."""
        return all(self.reads[name] == count for name, count in counts.items())

    def function(self, func: gast.expr) -> Any:
        """The object an attribute chain of a global (``np.sum``) names, or None."""
        chain = []
        while isinstance(func, gast.Attribute):
            chain.append(func.attr)
            func = func.value
        if not isinstance(func, gast.Name) or func.id in self.locals:
            return None
        value = self.resolve(func.id)
        for attr in reversed(chain):
            value = getattr(value, attr, None)
        return value

    def numpy_call(self, value: gast.expr, function: Any, method: str | None = None):
        """``(x, arguments, keywords)`` for ``function(x, ...)`` or ``x.method(...)`` with
        ``x`` a name, else None."""
        if not isinstance(value, gast.Call):
            return None
        func = value.func
        keywords = {k.arg: k.value for k in value.keywords}
        if None in keywords:
            return None
        if method is not None and isinstance(func, gast.Attribute) and func.attr == method \
                and isinstance(func.value, gast.Name) and func.value.id in self.locals:
            return func.value.id, list(value.args), keywords
        if value.args and isinstance(value.args[0], gast.Name) and \
                self.function(func) is function:
            return value.args[0].id, list(value.args[1:]), keywords
        return None

    def fused(self, replaced: gast.Assign, function: Any, arguments: list[gast.expr],
              keywords: dict[str, gast.expr] | None = None) -> gast.Assign:
        """``target = function(arguments..., keywords...)`` in place of ``replaced`` (the
        last statement of the idiom: its target, position and user statement)."""
        func = gast.Name(id=self.name_for(function), ctx=gast.Load(), annotation=None,
                         type_comment=None)
        call = gast.Call(func=func, args=arguments, keywords=[
            gast.keyword(arg=k, value=v) for k, v in (keywords or {}).items()])
        statement = gast.Assign(targets=[replaced.targets[0]], value=call, type_comment=None)
        gast.copy_location(statement, replaced)
        if hasattr(replaced, "origin"):
            statement.origin = replaced.origin
        return statement




def target(statement: gast.Assign) -> str:
    return statement.targets[0].id


def is_name(node: gast.expr, name: str) -> bool:
    return isinstance(node, gast.Name) and node.id == name


def is_constant(node: gast.expr, value: Any) -> bool:
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and \
            isinstance(value, int) and not isinstance(value, bool):
        return is_constant(node.operand, -value)
    return isinstance(node, gast.Constant) and type(node.value) is type(value) and \
        node.value == value


def binary(value: gast.expr, op: type) -> tuple[gast.expr, gast.expr] | None:
    """``(left, right)`` of ``left OP right``."""
    if isinstance(value, gast.BinOp) and isinstance(value.op, op):
        return value.left, value.right
    return None
