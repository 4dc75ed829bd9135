"""The lecture's three traces of a recorded run: the primal trace (v_i), the tangent
trace beside it (v̇_i, forward mode) and the adjoint trace from the output back to the
inputs (v̄_i, reverse mode), one row per elementary operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2sad.errors import S2sadError
from s2sad.lecture import notation
from s2sad.lecture.operations import number_text
from s2sad.lecture.recording import Recording, Variable, record, value_of

MODES = ("forward", "reverse", "both")


@dataclass(frozen=True)
class Row:
    """One row of a trace: ``name = expression``, its value, and where it was computed."""

    trace: str  # "primal", "tangent" or "adjoint"
    name: str
    expression: str
    value: float
    line: int | None = None
    iteration: str = ""

    @property
    def text(self) -> str:
        return f"{self.name} = {self.expression}"


class Trace:
    """The traces of one run of a scalar function, in the lecture's notation."""

    def __init__(self, recording: Recording, mode: str, seed: tuple[float, ...]) -> None:
        self.recording = recording
        self.mode = mode
        self.seed = seed
        self.value = float(value_of(recording.output))
        self.tangents = _tangents(recording, seed)
        self.adjoints = _adjoints(recording)
        self.rows = _primal_rows(recording)
        if mode in ("forward", "both"):
            self.rows += _tangent_rows(recording, seed, self.tangents)
        if mode in ("reverse", "both"):
            self.rows += _adjoint_rows(recording, self.adjoints)

    @property
    def derivative(self) -> float:
        """ẏ: the directional derivative along the seed."""
        output = self.recording.output
        return self.tangents[output.index] if isinstance(output, Variable) else 0.0

    @property
    def gradient(self) -> tuple[float, ...]:
        """(x̄ for each input), with ȳ = 1."""
        return tuple(self.adjoints[v.index] for v in self.recording.inputs)

    def of(self, trace: str) -> list[Row]:
        """The rows of one trace: "primal", "tangent" or "adjoint"."""
        return [row for row in self.rows if row.trace == trace]

    def title(self) -> str:
        given = [f"{v.names[0]}={number_text(v.value)}" for v in self.recording.inputs]
        given += [f"{k}={number_text(v)}" for k, v in self.recording.constants.items()]
        return f"{self.recording.function_name}({', '.join(given)})"

    def headings(self) -> dict[str, str]:
        seeds = ", ".join(f"{notation.dotted_input(v.names[0])} = {number_text(s)}"
                          for v, s in zip(self.recording.inputs, self.seed))
        output = notation.barred_input(self.recording.output_name)
        return {"primal": "primal trace", "tangent": f"tangent trace ({seeds})",
                "adjoint": f"adjoint trace ({output} = 1)"}

    def __str__(self) -> str:
        return notation.as_text(self)

    def __repr__(self) -> str:
        return f"<s2sad trace of {self.title()}: {len(self.rows)} rows>"

    def to_markdown(self) -> str:
        return notation.as_markdown(self)

    def to_latex(self) -> str:
        return notation.as_latex(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def trace(function, *args, mode: str = "both", seed=None, wrt=None) -> Trace:
    """The lecture's evaluation traces of ``function(*args)`` for a function of real
    numbers: the primal trace, with ``mode="forward"`` or ``"both"`` the tangent trace
    along ``seed`` (the first input's direction by default), with ``"reverse"`` or
    ``"both"`` the adjoint trace for ȳ = 1. ``wrt`` names the parameters that are inputs
    (all of them by default), numbered, seeded and in ``gradient`` in the parameters'
    order.

    >>> import math
    >>> def f(x1, x2):
    ...     return math.log(x1) + x1 * x2 - math.sin(x2)
    >>> t = trace(f, 2.0, 5.0, seed=(1, 0))
    >>> round(t.value, 6), t.derivative, tuple(round(g, 6) for g in t.gradient)
    (11.652071, 5.5, (5.5, 1.716338))
    >>> t.of("primal")[2].text
    'v_1 = ln(v_{-1})'
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if isinstance(wrt, str):
        wrt = (wrt,)
    recording = record(function, args, None if wrt is None else tuple(wrt))
    count = len(recording.inputs)
    if seed is None:
        seed = (1.0,) + (0.0,) * (count - 1)
    seed = tuple(float(s) for s in seed)
    if len(seed) != count:
        raise S2sadError(f"trace: the seed has {len(seed)} components for {count} inputs "
                         f"({', '.join(v.names[0] for v in recording.inputs)})")
    return Trace(recording, mode, seed)


def _tangents(recording: Recording, seed: tuple[float, ...]) -> dict[int, float]:
    dots = {v.index: s for v, s in zip(recording.inputs, seed)}
    for v in recording.intermediates:
        dots[v.index] = sum(p * dots[o.index] for o, p in zip(v.operands, v.partials)
                            if isinstance(o, Variable))
    return dots


def _adjoints(recording: Recording) -> dict[int, float]:
    bars = {v.index: 0.0 for v in recording.variables}
    if isinstance(recording.output, Variable):
        bars[recording.output.index] = 1.0
    for v in reversed(recording.intermediates):
        for operand, partial in zip(v.operands, v.partials):
            if isinstance(operand, Variable):
                bars[operand.index] += bars[v.index] * partial
    return bars


def _operand_text(operand: object) -> str:
    return notation.name(operand.index) if isinstance(operand, Variable) \
        else number_text(operand)


def _primal_rows(recording: Recording) -> list[Row]:
    rows = [Row("primal", notation.name(v.index), v.names[0], v.value, v.line)
            for v in recording.inputs]
    for v in recording.intermediates:
        operands = [_operand_text(o) for o in v.operands]
        rows.append(Row("primal", notation.name(v.index), v.operation.written(*operands),
                        v.value, v.line, v.iteration))
    rows.append(Row("primal", recording.output_name, _operand_text(recording.output),
                    value_of(recording.output)))
    return rows


def _tangent_rows(recording: Recording, seed: tuple[float, ...],
                  dots: dict[int, float]) -> list[Row]:
    rows = [Row("tangent", notation.dotted(v.index), notation.dotted_input(v.names[0]), s,
                v.line) for v, s in zip(recording.inputs, seed)]
    for v in recording.intermediates:
        operands = [_operand_text(o) for o in v.operands]
        tangents = [notation.dotted(o.index) if isinstance(o, Variable) else None
                    for o in v.operands]
        expression = v.operation.tangent(operands, tangents, notation.name(v.index))
        rows.append(Row("tangent", notation.dotted(v.index), expression, dots[v.index],
                        v.line, v.iteration))
    output = recording.output
    rows.append(Row("tangent", notation.dotted_input(recording.output_name),
                    notation.dotted(output.index)
                    if isinstance(output, Variable) else "0",
                    dots[output.index] if isinstance(output, Variable) else 0.0))
    return rows


def _adjoint_rows(recording: Recording, bars: dict[int, float]) -> list[Row]:
    """v̄_i = the sum over the operations v_i flows into of v̄_child times the local
    partial, from the output back to the inputs."""
    contributions: dict[int, list[str]] = {v.index: [] for v in recording.variables}
    for child in recording.intermediates:
        operands = [_operand_text(o) for o in child.operands]
        texts = child.operation.partial_texts(*operands, notation.name(child.index))
        for operand, text in zip(child.operands, texts):
            if isinstance(operand, Variable):
                contributions[operand.index].append(
                    notation.adjoint_term(notation.barred(child.index), text))
    output = recording.output
    rows = []
    for v in reversed(recording.variables):
        terms = list(contributions[v.index])
        if isinstance(output, Variable) and v.index == output.index:
            terms.insert(0, notation.barred_input(recording.output_name))
        rows.append(Row("adjoint", notation.barred(v.index), " + ".join(terms) or "0",
                        bars[v.index], v.line, v.iteration))
    rows += [Row("adjoint", notation.barred_input(v.names[0]), notation.barred(v.index),
                 bars[v.index]) for v in recording.inputs]
    return rows
