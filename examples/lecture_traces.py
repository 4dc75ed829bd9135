"""The lecture's evaluation traces, printed from the code s2sad generates.

For f(x1, x2) = log(x1) + x1 x2 - sin(x2) at (x1, x2) = (2, 5): the primal trace
(v_i), the tangent trace with x_dot = (1, 0) (v_dot_i) and the adjoint trace
(v_bar_i), each value read off the emitted tangent and adjoint functions as they run,
next to their source. The code is the derivative as the rules give it
(``optimize=False``): one elementary operation per line, as a trace lists them; the
optimizer folds most of them back into expressions. Then L(w1, w2) = w2 log w1 +
sqrt(w2 log w1) in both modes.

Run: python examples/lecture_traces.py
"""

from __future__ import annotations

import math
import sys

import s2sad


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def lecture_loss(w1, w2):
    return w2 * math.log(w1) + math.sqrt(w2 * math.log(w1))


def run_traced(function, *args, **kwargs):
    """Call ``function``, recording each local variable's last value (in the order the
    variables first appear)."""
    seen: dict[str, float] = {}

    def tracer(frame, event, arg):
        if frame.f_code is not function.__code__:
            return None
        if event in ("line", "return"):
            for name, value in frame.f_locals.items():
                if isinstance(value, (int, float)):
                    seen[name] = value
        return tracer

    sys.settrace(tracer)
    try:
        result = function(*args, **kwargs)
    finally:
        sys.settrace(None)
    return result, seen


def v_names(inputs: list[str], values: dict[str, float]) -> dict[str, str]:
    """The lecture's numbering: inputs v_-1, v_0, ..., then each intermediate in order."""
    names = {}
    for i, name in enumerate(inputs):
        names[name] = f"v_{i - len(inputs) + 1}"
    k = 1
    for name in values:
        if name not in names and not name.endswith(("_dot", "_bar")):
            names[name] = f"v_{k}"
            k += 1
    return names


def table(title: str, rows: list[tuple[str, str, float]]) -> str:
    lines = [title, f"  {'':8} {'variable':12} {'value':>14}"]
    lines += [f"  {label:8} {name:12} {value:14.6f}" for label, name, value in rows]
    return "\n".join(lines)


def traces(function, args: tuple[float, ...], direction: tuple[float, ...]) -> str:
    inputs = list(function.__code__.co_varnames[: function.__code__.co_argcount])
    wrt = tuple(range(len(inputs)))
    out = [f"{function.__name__}{args}"]

    from s2sad.pipeline import Request, derivative

    forward = derivative(function, Request("forward", tuple(inputs), optimize=False))
    dots = dict(zip(forward.extra_parameters, direction))
    (value, value_dot), seen = run_traced(forward.function, *args, **dots)
    names = v_names(inputs, seen)
    primal = [(names[n], n, v) for n, v in seen.items() if n in names]
    out.append(table("primal trace", primal))
    tangents = [(names[n[:-4]] + "_dot", n, v) for n, v in seen.items()
                if n.endswith("_dot") and n[:-4] in names]
    out.append(table(f"tangent trace, x_dot = {direction}", tangents))
    out.append(f"  y = {value:.6f}, y_dot = {value_dot:.6f}")

    reverse = derivative(function, Request("reverse", tuple(inputs), wrt_tuple=True,
                                           optimize=False))
    gradient, seen_bar = run_traced(reverse.function, *args)
    adjoints = [(names[n[:-4]] + "_bar", n, v) for n, v in reversed(seen_bar.items())
                if n.endswith("_bar") and n[:-4] in names]
    out.append(table("adjoint trace (y_bar = 1)", adjoints))
    out.append("  (an intermediate missing here has the adjoint of the one it flows into:\n"
               "   the adjoint code gives it no variable of its own)")
    out.append(f"  gradient = {tuple(round(g, 6) for g in gradient)}")
    out.append("\nthe tangent code:\n" + forward.source)
    out.append("the adjoint code:\n" + s2sad.source(function, mode="reverse", wrt=wrt,
                                                     optimize=False))
    return "\n".join(out)


def main() -> None:
    print(traces(f, (2.0, 5.0), (1.0, 0.0)))
    print(traces(lecture_loss, (2.0, 3.0), (1.0, 0.0)))
    # the numbers checked against the closed forms
    g1, g2 = s2sad.grad(f, wrt=(0, 1))(2.0, 5.0)
    assert math.isclose(g1, 1 / 2.0 + 5.0) and math.isclose(g2, 2.0 - math.cos(5.0))
    print("gradients match the closed forms: True")


if __name__ == "__main__":
    main()
