"""s2sad in one page: a function, its emitted derivatives, and checked values.

Run with ``make demo`` (or ``python examples/quickstart.py``).
"""

import inspect
import math

import numpy as np

import s2sad


def f(x1, x2):
    """The classic evaluation-trace example: f(x1, x2) = log(x1) + x1 x2 - sin(x2)."""
    return math.log(x1) + x1 * x2 - math.sin(x2)


def layer(x, W):
    """A tanh layer followed by a squared norm."""
    h = np.tanh(W @ x)
    return np.sum(h**2)


def show(title: str, text: str) -> None:
    print(f"--- {title} " + "-" * max(0, 66 - len(title)))
    print(text.rstrip())
    print()


def main() -> None:
    show("the function", inspect.getsource(f))
    show(
        "its tangent (forward mode): s2sad.source(f, mode='forward', wrt=(0, 1))",
        s2sad.source(f, mode="forward", wrt=(0, 1)),
    )
    show("its adjoint (reverse mode): s2sad.source(f, wrt=(0, 1))", s2sad.source(f, wrt=(0, 1)))

    x1, x2 = 2.0, 5.0
    y, y_dot = s2sad.jvp(f, (x1, x2), (1.0, 0.0))
    g1, g2 = s2sad.grad(f, wrt=(0, 1))(x1, x2)
    exact = (1 / x1 + x2, x1 - math.cos(x2))
    print(f"f(2, 5)                  = {y:.6f}")
    print(f"df/dx1 by forward mode   = {y_dot:.6f}   (closed form {exact[0]:.6f})")
    print(
        f"gradient by reverse mode = ({g1:.6f}, {g2:.6f})   "
        f"(closed form ({exact[0]:.6f}, {exact[1]:.6f}))"
    )
    assert math.isclose(y_dot, exact[0]) and math.isclose(g1, exact[0])
    assert math.isclose(g2, exact[1])
    print()

    show("a NumPy function", inspect.getsource(layer))
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal(4), rng.standard_normal((3, 4))
    show(
        "its adjoint for a 4-vector x and a 3x4 matrix W: "
        "s2sad.source(layer, wrt=(0, 1), args=(x, W))",
        s2sad.source(layer, wrt=(0, 1), args=(x, W)),
    )
    gx, gW = s2sad.grad(layer, wrt=(0, 1))(x, W)
    h = np.tanh(W @ x)
    t_bar = 2 * h * (1 - h**2)
    print(
        "reverse-mode gradient matches the hand-written one:",
        np.allclose(gx, W.T @ t_bar) and np.allclose(gW, np.outer(t_bar, x)),
    )


if __name__ == "__main__":
    main()
