"""The lecture's evaluation traces, and the derivative code that computes the same numbers.

For f(x1, x2) = log(x1) + x1 x2 - sin(x2) at (x1, x2) = (2, 5): the primal trace (v_i),
the tangent trace with x_dot = (1, 0) (v_dot_i) and the adjoint trace from the output back
to the inputs (v_bar_i), printed by ``s2sad.trace``; then the tangent and adjoint source
s2sad emits, whose results match the traces'. Then L(w1, w2) = w2 log w1 +
sqrt(w2 log w1) in both modes.

Run: python examples/lecture_traces.py
"""

from __future__ import annotations

import math

import s2sad


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def lecture_loss(w1, w2):
    return w2 * math.log(w1) + math.sqrt(w2 * math.log(w1))


def traces(function, args: tuple[float, ...], seed: tuple[float, ...]) -> bool:
    """Print the traces and the derivative source; whether the emitted code's numbers are
    the traces'."""
    traced = s2sad.trace(function, *args, seed=seed)
    print(traced)
    wrt = tuple(range(len(args)))
    print("the tangent code:\n" + s2sad.source(function, mode="forward", wrt=wrt))
    print("the adjoint code:\n" + s2sad.source(function, wrt=wrt))
    value, derivative = s2sad.jvp(function, args, seed)
    gradient = s2sad.grad(function, wrt=wrt)(*args)
    same = (math.isclose(value, traced.value) and math.isclose(derivative, traced.derivative)
            and all(math.isclose(a, b) for a, b in zip(gradient, traced.gradient)))
    print(f"the emitted code gives the traces' numbers: {same}\n")
    return same


def main() -> None:
    agree = traces(f, (2.0, 5.0), (1.0, 0.0))
    agree &= traces(lecture_loss, (2.0, 3.0), (1.0, 0.0))
    # the lecture's numbers, and the gradient against its closed form
    traced = s2sad.trace(f, 2.0, 5.0)
    g1, g2 = traced.gradient
    closed = math.isclose(g1, 1 / 2.0 + 5.0) and math.isclose(g2, 2.0 - math.cos(5.0))
    print(f"f = {traced.value:.6f}, df/dx1 = {traced.derivative:.6f}, "
          f"gradient = ({g1:.6f}, {g2:.6f})")
    print(f"gradients match the closed forms: {closed and agree}")


if __name__ == "__main__":
    main()
