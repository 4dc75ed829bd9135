"""Floats: which values of real scalar code are certainly Python floats.

Floats come from ``math`` functions, ``/`` and float constants, and spread through
arithmetic (an int or a bool times a float is one). *Strictly* a float: not even a
complex number (a negative float ``** 0.5``) or an integer (``math.floor``). The reverse
transform asks it of adjoints, to return them without ``match``, and of the output, which
``grad`` then need not check.

>>> import gast, math
>>> callee = lambda func: math.sin if getattr(func, "id", None) == "sin" else None
>>> node = gast.parse("sin(x) * k").body[0].value
>>> float_valued(node, set(), callee), float_valued(node.right, {"k"}, callee)
(True, True)
>>> tree = gast.parse("def f(x):\\n    a = sin(x)\\n    b = a ** 2\\n    c = a * 2\\n"
...                   "    return c").body[0]
>>> surely_float_output(tree, tree.body[-1].value, callee)
True
>>> surely_float_output(tree, gast.parse("b").body[0].value, callee)
False
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from s2sad.trees import walk

#: math functions that give integers or bools, not floats
_MATH_NOT_FLOAT = frozenset({"floor", "ceil", "trunc", "factorial", "comb", "perm", "gcd",
                             "lcm", "isqrt", "isnan", "isinf", "isfinite", "isclose"})

Callee = Callable[[gast.expr], Any]


def float_valued(node: gast.expr, floats: set[str], callee: Callee,
                 strict: bool = False) -> bool:
    """Whether ``node`` is certainly a float, given the names ``floats`` hold floats and
    ``callee`` gives the object a called expression refers to (or None)."""
    if isinstance(node, gast.Constant):
        return isinstance(node.value, float)
    if isinstance(node, gast.Name):
        return node.id in floats
    if isinstance(node, gast.Call):
        function = callee(node.func)
        return getattr(function, "__module__", None) == "math" and not (
            strict and getattr(function, "__name__", None) in _MATH_NOT_FLOAT)
    if isinstance(node, gast.UnaryOp):
        return not isinstance(node.op, gast.Not) and float_valued(node.operand, floats,
                                                                   callee, strict)
    if isinstance(node, gast.BinOp):
        if strict and isinstance(node.op, gast.Pow):
            return False
        return isinstance(node.op, gast.Div) or float_valued(node.left, floats, callee,
                                                             strict) or \
            float_valued(node.right, floats, callee, strict)
    return False


def surely_float_output(core: gast.FunctionDef, returned: gast.expr, callee: Callee) -> bool:
    """Whether ``returned`` is strictly a float on every path through ``core``, read as
    real scalar code: the names all of whose definitions strictly give floats do."""
    return float_valued(returned, float_names(core, callee), callee, True)


def float_names(core: gast.FunctionDef, callee: Callable, parameters: frozenset[str] = frozenset(),
                strict: bool = True) -> set[str]:
    """The names of ``core`` all of whose definitions give floats (strictly, with
    ``strict``), its ``parameters`` known to be floats among them."""
    definitions = _definitions(core)
    arguments = {a.id for a in (*core.args.posonlyargs, *core.args.args,
                                *core.args.kwonlyargs)}
    floats: set[str] = set(parameters)
    changed = True
    while changed:
        changed = False
        for name, values in definitions.items():
            if name not in floats and (name not in arguments or name in parameters) and all(
                    v is not None and float_valued(v, floats, callee, strict) for v in values):
                floats.add(name)
                changed = True
    return floats


def _definitions(core: gast.FunctionDef) -> dict[str, list[gast.expr | None]]:
    """Each assigned name -> the values assigned to it (None: not a plain assignment)."""
    definitions: dict[str, list[gast.expr | None]] = {}
    for node in walk(core):
        if not isinstance(node, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For)):
            continue
        targets = node.targets if isinstance(node, gast.Assign) else [node.target]
        for target in targets:
            value = node.value if isinstance(node, gast.Assign) and \
                isinstance(target, gast.Name) else None
            for name in (n for n in walk(target) if isinstance(n, gast.Name)):
                definitions.setdefault(name.id, []).append(value)
    return definitions


def resolve_callee(func: gast.expr, bindings: dict[str, Any], globals_: dict[str, Any]):
    """The object ``func`` (a name or a chain of attributes) refers to: the derivative's
    own bindings first, then the user's globals."""
    if isinstance(func, gast.Name):
        return bindings[func.id] if func.id in bindings else globals_.get(func.id)
    if isinstance(func, gast.Attribute):
        return getattr(resolve_callee(func.value, bindings, globals_), func.attr, None)
    return None
