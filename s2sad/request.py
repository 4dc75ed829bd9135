"""What a derivative is built for: the mode, the parameters and the form of its result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Request:
    #: "forward" | "vector" (forward, K directions at once) | "reverse" | "primal" (the
    #: function alone, its calls bound)
    mode: str
    wrt: tuple[str, ...]
    wrt_tuple: bool = True
    return_value: bool = False
    scalar_check: bool = False
    #: the adjoint also returns its tape, a ``RecordingTape`` (see ``s2sad.tape_size``)
    record_tape: bool = False
    #: the emitted source starts with a report of what the forward sweep records
    report: bool = False
    #: False: the derivative as the rules give it, before any optimization
    optimize: bool = True
    #: an adjoint called from a derivative: "" takes the output's adjoint only; "taken"
    #: takes the forward sweep's result after it too; "checked" compares its recomputation
    #: of the result with it
    result: str = ""

    def __post_init__(self) -> None:  # hashed at every cache lookup: once is enough
        object.__setattr__(self, "_hash", hash((
            self.mode, self.wrt, self.wrt_tuple, self.return_value, self.scalar_check,
            self.record_tape, self.report, self.optimize, self.result)))

    def __hash__(self) -> int:
        return self._hash
