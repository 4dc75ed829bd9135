"""How the lecture writes a trace: v_{-1}, v̇_3, v̄_3, and a trace as plain text, a
markdown table or LaTeX."""

from __future__ import annotations

import re
import unicodedata

from s2sad.lecture.operations import factor, grouped

DOT = "\u0307"  # combining dot above: v̇
BAR = "\u0304"  # combining macron: v̄


def name(index: int) -> str:
    """``v_3``, ``v_0``, ``v_{-1}``."""
    return f"v_{index}" if index >= 0 else f"v_{{{index}}}"


def dotted(index: int) -> str:
    return "v" + DOT + name(index)[1:]


def barred(index: int) -> str:
    return "v" + BAR + name(index)[1:]


def dotted_input(parameter: str) -> str:
    """ẋ1 for the parameter x1 (one character where Unicode has it with its dot)."""
    return unicodedata.normalize("NFC", parameter[0] + DOT + parameter[1:])


def barred_input(parameter: str) -> str:
    return unicodedata.normalize("NFC", parameter[0] + BAR + parameter[1:])


def adjoint_term(child_bar: str, partial: str) -> str:
    """v̄_child times the local partial, which the lecture writes out even when it is 1."""
    if partial.startswith("1 / "):
        return f"{child_bar} / {grouped(partial[4:])}"
    return f"{child_bar} * {factor(partial, leading_minus=True)}"


def number(value: float) -> str:
    """A value in a trace's value column: six decimals, or six significant digits in
    exponent form for very large and very small numbers."""
    if value == 0 or 1e-4 <= abs(value) < 1e9:
        return f"{value:.6f}"
    return f"{value:.6e}"


def width(text: str) -> int:
    """The columns ``text`` takes on a terminal (combining marks take none)."""
    return sum(not unicodedata.combining(char) for char in text)


def _padded(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def _where(row) -> str:
    parts = [f"line {row.line}"] if row.line is not None else []
    if row.iteration:
        parts.append(row.iteration)
    return ", ".join(parts)


_TRACES = ("primal", "tangent", "adjoint")
#: the widest expression the value column is aligned after
WIDEST_ALIGNED = 48


def as_text(trace) -> str:
    """The traces as aligned columns for a terminal."""
    lines = [trace.title()]
    headings = trace.headings()
    for kind in _TRACES:
        rows = trace.of(kind)
        if not rows:
            continue
        lines.append(headings[kind])
        names = max(width(r.name) for r in rows)
        # a long row runs past the column rather than pushing every value far right
        expressions = max([width(r.expression) for r in rows
                           if width(r.expression) <= WIDEST_ALIGNED] or [0])
        for r in rows:
            text = (f"  {_padded(r.name, names)} = {_padded(r.expression, expressions)}"
                    f" = {number(r.value):>15}")
            where = _where(r)
            lines.append(f"{text}   {where}" if where else text)
    return "\n".join(lines) + "\n"


def as_markdown(trace) -> str:
    """One markdown table per trace."""
    blocks = [f"**{trace.title()}**"]
    headings = trace.headings()
    for kind in _TRACES:
        rows = trace.of(kind)
        if not rows:
            continue
        table = [f"{headings[kind]}", "", "| row | value | where |", "|:---|---:|:---|"]
        table += [f"| `{r.text}` | {number(r.value)} | {_where(r)} |" for r in rows]
        blocks.append("\n".join(table))
    return "\n\n".join(blocks) + "\n"


def as_latex(trace) -> str:
    """One ``array`` per trace, for a LaTeX document or a notebook's math."""
    blocks = []
    headings = trace.headings()
    for kind in _TRACES:
        rows = trace.of(kind)
        if not rows:
            continue
        body = [f"  {latex(r.name)} &= {latex(r.expression)} &= {number(r.value)} \\\\"
                for r in rows]
        blocks.append(f"% {latex_comment(headings[kind])}\n\\begin{{array}}{{lll}}\n"
                      + "\n".join(body) + "\n\\end{array}")
    return "\n\n".join(blocks) + "\n"


_FUNCTIONS = ("ln", "sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "arcsin", "arccos",
              "arctan")
_INDEX = r"(?:\{-?\d+\}|\d+)"


def latex(text: str) -> str:
    """A row's text in LaTeX: v̇_{-1} as \\dot{v}_{-1}, ln as \\ln, sqrt(a) as \\sqrt{a},
    a ** b as a^{b}, * as \\cdot."""
    text = unicodedata.normalize("NFD", text)
    text = re.sub(rf"v{DOT}_({_INDEX})", lambda m: rf"\dot{{v}}_{_braced(m[1])}", text)
    text = re.sub(rf"v{BAR}_({_INDEX})", lambda m: rf"\bar{{v}}_{_braced(m[1])}", text)
    text = re.sub(rf"(?<![\\{{])v_({_INDEX})", lambda m: f"v_{_braced(m[1])}", text)
    text = re.sub(rf"(\w){DOT}(\w*)", r"\\dot{\1}\2", text)
    text = re.sub(rf"(\w){BAR}(\w*)", r"\\bar{\1}\2", text)
    text = re.sub(r"sqrt\(([^()]*)\)", r"\\sqrt{\1}", text)
    text = re.sub(r"\b(" + "|".join(_FUNCTIONS) + r")\(", r"\\\1(", text)
    text = re.sub(r" \*\* (\S+)", r"^{\1}", text)
    return text.replace(" * ", r" \cdot ").replace("|", r"\lvert ", 1).replace("|", r"\rvert ")


def _braced(index: str) -> str:
    return index if index.startswith("{") else f"{{{index}}}"


def latex_comment(text: str) -> str:
    return unicodedata.normalize("NFD", text).replace(DOT, "-dot").replace(BAR, "-bar")
