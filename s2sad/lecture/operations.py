"""The elementary operations a lecture's trace is made of: how each is written, and its
local partial derivatives, as numbers and as the lecture writes them.

Operands reach an operation as text (``v_1``, or a constant such as ``2``) and as
values; ``partials`` gives one number per operand, ``partial_texts`` the same
derivatives written out, and ``tangent`` the tangent row's right-hand side from the
operands' tangents (``None`` for a constant operand, which has none).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Operation:
    """An elementary operation: its name, how a row writes it, and its local partials."""

    name: str
    arity: int
    evaluate: Callable[..., float]
    written: Callable[..., str]
    partials: Callable[..., tuple[float, ...]]
    partial_texts: Callable[..., tuple[str, ...]]

    def tangent(self, operands: list[str], dots: list[str | None], result: str) -> str:
        """The tangent row's right-hand side: the operands' tangents times the partials."""
        special = _SPECIAL_TANGENTS.get(self.name)
        if special is not None:
            return special(operands, dots)
        texts = self.partial_texts(*operands, result)
        terms = [_scaled(dot, text) for dot, text in zip(dots, texts) if dot is not None]
        return _summed(terms)


def _scaled(dot: str, partial: str) -> str:
    """``partial`` times the tangent ``dot``, as the lecture writes it."""
    if partial == "1":
        return dot
    if partial == "-1":
        return f"-{dot}"
    if partial.startswith("1 / "):
        return f"{dot} / {grouped(partial[4:])}"
    return f"{factor(partial)} * {dot}"


def _top_level(text: str, operators: tuple[str, ...]) -> bool:
    """Whether one of ``operators`` (`` + ``, say) stands in ``text`` outside parentheses."""
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and any(text.startswith(op, i) for op in operators):
            return True
    return False


def grouped(text: str) -> str:
    """``text`` in parentheses when an operator stands at its top level (as the divisor
    of a quotient needs)."""
    return f"({text})" if _top_level(text, (" ",)) else text


def factor(text: str, leading_minus: bool = False) -> str:
    """``text`` as a factor of a product: in parentheses when a sum or difference stands at
    its top level (or, with ``leading_minus``, when it starts with a minus sign)."""
    if _top_level(text, (" + ", " - ")) or (leading_minus and text.startswith("-")):
        return f"({text})"
    return text


def _summed(terms: list[str]) -> str:
    if not terms:
        return "0"
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def _binary_tangent(first: Callable[[str, str], str], second: Callable[[str, str], str]):
    """A tangent for ``a op b`` from the term of each operand's tangent."""
    def tangent(operands: list[str], dots: list[str | None]) -> str:
        a, b = operands
        terms = []
        if dots[0] is not None:
            terms.append(first(dots[0], b))
        if dots[1] is not None:
            terms.append(second(a, dots[1]))
        return _summed(terms)
    return tangent


def _div_tangent(operands: list[str], dots: list[str | None]) -> str:
    a, b = operands
    terms = []
    if dots[0] is not None:
        terms.append(f"{dots[0]} / {b}")
    if dots[1] is not None:
        terms.append(f"-{a} * {dots[1]} / {b} ** 2")
    return _summed(terms)


_SPECIAL_TANGENTS = {
    "mul": _binary_tangent(lambda da, b: f"{da} * {b}", lambda a, db: f"{a} * {db}"),
    "div": _div_tangent,
}


def _number(value: float) -> str:
    """A constant as a row writes it: ``2`` for 2.0, ``0.5``, ``1e-08``."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _unary(name: str, evaluate: Callable[[float], float], written: str,
           derivative: Callable[[float, float], float], partial: str) -> Operation:
    """A function of one argument; ``written`` and ``partial`` are templates in ``{a}``
    (the operand) and ``{y}`` (the result)."""
    return Operation(
        name, 1, evaluate,
        lambda a: written.format(a=a),
        lambda x, y: (derivative(x, y),),
        lambda a, y: (partial.format(a=a, y=y),),
    )


def _sign(x: float) -> float:
    return float(np.sign(x))


UNARY = {
    "neg": _unary("neg", operator.neg, "-{a}", lambda x, y: -1.0, "-1"),
    "exp": _unary("exp", math.exp, "exp({a})", lambda x, y: y, "exp({a})"),
    "expm1": _unary("expm1", math.expm1, "expm1({a})", lambda x, y: y + 1.0, "exp({a})"),
    "log": _unary("log", math.log, "ln({a})", lambda x, y: 1.0 / x, "1 / {a}"),
    "log1p": _unary("log1p", math.log1p, "ln(1 + {a})", lambda x, y: 1.0 / (1.0 + x),
                    "1 / (1 + {a})"),
    "log2": _unary("log2", math.log2, "log2({a})", lambda x, y: 1.0 / (x * math.log(2.0)),
                   "1 / ({a} * ln(2))"),
    "log10": _unary("log10", math.log10, "log10({a})",
                    lambda x, y: 1.0 / (x * math.log(10.0)), "1 / ({a} * ln(10))"),
    "sin": _unary("sin", math.sin, "sin({a})", lambda x, y: math.cos(x), "cos({a})"),
    "cos": _unary("cos", math.cos, "cos({a})", lambda x, y: -math.sin(x), "-sin({a})"),
    "tan": _unary("tan", math.tan, "tan({a})", lambda x, y: 1.0 + y * y, "1 + tan({a}) ** 2"),
    "sinh": _unary("sinh", math.sinh, "sinh({a})", lambda x, y: math.cosh(x), "cosh({a})"),
    "cosh": _unary("cosh", math.cosh, "cosh({a})", lambda x, y: math.sinh(x), "sinh({a})"),
    "tanh": _unary("tanh", math.tanh, "tanh({a})", lambda x, y: 1.0 - y * y,
                   "1 - tanh({a}) ** 2"),
    "sqrt": _unary("sqrt", math.sqrt, "sqrt({a})", lambda x, y: 0.5 / y,
                   "1 / (2 * sqrt({a}))"),
    "arcsin": _unary("arcsin", math.asin, "arcsin({a})",
                     lambda x, y: 1.0 / math.sqrt(1.0 - x * x), "1 / sqrt(1 - {a} ** 2)"),
    "arccos": _unary("arccos", math.acos, "arccos({a})",
                     lambda x, y: -1.0 / math.sqrt(1.0 - x * x), "-1 / sqrt(1 - {a} ** 2)"),
    "arctan": _unary("arctan", math.atan, "arctan({a})", lambda x, y: 1.0 / (1.0 + x * x),
                     "1 / (1 + {a} ** 2)"),
    "abs": _unary("abs", abs, "|{a}|", lambda x, y: _sign(x), "sign({a})"),
    "square": _unary("square", lambda x: x * x, "{a} ** 2", lambda x, y: 2.0 * x, "2 * {a}"),
}


def _power_partials(a: float, b: float, y: float) -> tuple[float, float]:
    by_base = b * a ** (b - 1) if b != 0 else 0.0
    if a > 0:
        by_exponent = y * math.log(a)
    else:  # 0 ** b is 0 for every b > 0; a negative base has no real powers nearby
        by_exponent = 0.0 if a == 0 and b > 0 else math.nan
    return by_base, by_exponent


def _power_texts(a: str, b: str, y: str) -> tuple[str, str]:
    try:
        lowered = _number(float(b) - 1)
    except ValueError:
        lowered = f"({b} - 1)"
    return f"{b} * {a} ** {lowered}", f"{y} * ln({a})"


BINARY = {
    "add": Operation("add", 2, operator.add, lambda a, b: f"{a} + {b}",
                     lambda a, b, y: (1.0, 1.0), lambda a, b, y: ("1", "1")),
    "sub": Operation("sub", 2, operator.sub, lambda a, b: f"{a} - {b}",
                     lambda a, b, y: (1.0, -1.0), lambda a, b, y: ("1", "-1")),
    "mul": Operation("mul", 2, operator.mul, lambda a, b: f"{a} * {b}",
                     lambda a, b, y: (b, a), lambda a, b, y: (b, a)),
    "div": Operation("div", 2, operator.truediv, lambda a, b: f"{a} / {b}",
                     lambda a, b, y: (1.0 / b, -a / (b * b)),
                     lambda a, b, y: (f"1 / {b}", f"-{a} / {b} ** 2")),
    "pow": Operation("pow", 2, operator.pow, lambda a, b: f"{a} ** {b}",
                     _power_partials, _power_texts),
    # Python's max and min return their first argument on a tie: its partial is 1 there
    "max": Operation("max", 2, max, lambda a, b: f"max({a}, {b})",
                     lambda a, b, y: (float(not b > a), float(b > a)),
                     lambda a, b, y: (f"[{a} >= {b}]", f"[{b} > {a}]")),
    "min": Operation("min", 2, min, lambda a, b: f"min({a}, {b})",
                     lambda a, b, y: (float(not b < a), float(b < a)),
                     lambda a, b, y: (f"[{a} <= {b}]", f"[{b} < {a}]")),
}


def _functions() -> dict[object, str]:
    """The library functions a trace knows, with the operation each is."""
    names = {
        "exp": "exp", "expm1": "expm1", "log": "log", "log1p": "log1p", "log2": "log2",
        "log10": "log10", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh",
        "cosh": "cosh", "tanh": "tanh", "sqrt": "sqrt", "asin": "arcsin", "acos": "arccos",
        "atan": "arctan", "arcsin": "arcsin", "arccos": "arccos", "arctan": "arctan",
        "fabs": "abs", "abs": "abs", "absolute": "abs", "square": "square", "pow": "pow",
        "power": "pow", "negative": "neg",
    }
    found: dict[object, str] = {abs: "abs", pow: "pow", max: "max", min: "min"}
    for module in (math, np):
        for attribute, operation in names.items():
            value = getattr(module, attribute, None)
            if value is not None:
                found[value] = operation
    return found


FUNCTIONS = _functions()


def operation_of(function: object) -> Operation | None:
    """The elementary operation ``function`` computes, or None."""
    try:
        name = FUNCTIONS.get(function)
    except TypeError:  # unhashable: no function of ours
        return None
    if name is None:
        return None
    return UNARY.get(name) or BINARY[name]


def number_text(value: float) -> str:
    """A constant operand as a row writes it."""
    return _number(value)
