"""``check_grads``: check s2sad's derivatives of a function against numbers.

Forward mode is compared with central finite differences along a random direction;
reverse mode with forward mode through the dot-product identity
``<y_bar, J v> == <J^T y_bar, v>``. Neither check trusts s2sad's own output for both
sides.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from s2sad.pipeline import Request, derivative
from s2sad.testing.rules import inner, is_differentiable, random_like, tree_leaves, tree_map


def check_grads(
    function: Callable,
    args: Sequence[Any],
    modes: Sequence[str] = ("fwd", "rev"),
    wrt: Sequence[int | str] | None = None,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    seed: int = 0,
) -> None:
    """Raise ``AssertionError`` unless s2sad's derivatives of ``function`` at ``args`` agree
    with finite differences (``"fwd"``) and with each other (``"rev"``).

    ``wrt`` picks the arguments (positions or names); by default every float argument.

    >>> import numpy as np
    >>> def f(x, y):
    ...     return np.sum(np.sin(x) * y)
    >>> check_grads(f, (np.ones(3), np.arange(3.0)))
    """
    args = list(args)
    untouched = copy.deepcopy(args)  # the derivatives must never write into their inputs
    params = list(inspect.signature(function).parameters)
    positions = _positions(args, params, wrt)
    names = tuple(params[i] for i in positions)
    rng = np.random.default_rng(seed)
    tangents = [random_like(args[i], rng) for i in positions]

    tangent_fn = derivative(function, Request("forward", names)).function
    dots = derivative(function, Request("forward", names)).extra_parameters
    out, out_dot = tangent_fn(*args, **dict(zip(dots, tangents)))
    expected_out = function(*copy.deepcopy(args))  # the primal may write into its inputs
    _close(out, expected_out, 1e-12, 1e-12, "the tangent function's primal output")
    point = _Point(function, args, params, positions, tangents, out_dot, expected_out)
    if "fwd" in modes:
        point.check_forward(eps, rtol, atol)
    if "rev" in modes:
        point.check_reverse(random_like(expected_out, rng), rtol, atol)
        point.check_grad(rtol, atol)
    for before, after in zip(tree_leaves(untouched), tree_leaves(args)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            raise AssertionError("a derivative wrote into an argument it was given")


def _positions(args: list[Any], params: list[str],
               wrt: Sequence[int | str] | int | str | None) -> list[int]:
    """The positions of the arguments ``wrt`` picks; by default every float argument."""
    if wrt is None:
        return [i for i, a in enumerate(args) if is_differentiable(a)]
    wrt = (wrt,) if isinstance(wrt, (int, str)) else wrt  # as grad takes it
    return [params.index(w) if isinstance(w, str) else w for w in wrt]


class _Point:
    """``check_grads`` at its arguments: the tangents drawn and the forward mode's results,
    against which the other modes are checked."""

    def __init__(self, function: Callable, args: list[Any], params: list[str],
                 positions: list[int], tangents: list[Any], out_dot: Any,
                 expected_out: Any) -> None:
        self.function = function
        self.args = args
        self.params = params
        self.positions = positions
        self.names = tuple(params[i] for i in positions)
        self.tangents = tangents
        self.out_dot = out_dot
        self.expected_out = expected_out

    def check_forward(self, eps: float, rtol: float, atol: float) -> None:
        """The tangent against central finite differences."""
        numeric = tree_map(
            lambda p, m: (np.asarray(p) - np.asarray(m)) / (2 * eps),
            self._moved(eps), self._moved(-eps)
        )
        _close(self.out_dot, numeric, rtol, atol, "forward mode vs central finite differences")

    def _moved(self, alpha: float) -> Any:
        shifted = list(self.args)
        for i, v in zip(self.positions, self.tangents):
            shifted[i] = tree_map(lambda a, d: a + alpha * d, self.args[i], v)
        return self.function(*copy.deepcopy(shifted))

    def check_reverse(self, out_bar: Any, rtol: float, atol: float) -> None:
        """The adjoint against the tangent (the dot-product identity) at ``out_bar``."""
        request = Request("reverse", self.names, wrt_tuple=True, return_value=True)
        generated = derivative(self.function, request)
        value, adjoints = generated.function(*self.args,
                                             **{generated.extra_parameters[0]: out_bar})
        _close(value, self.expected_out, 1e-12, 1e-12, "the adjoint function's primal output")
        for i, adjoint in zip(self.positions, adjoints):
            _same_kind(adjoint, self.args[i], f"the adjoint of argument {self.params[i]}")
        _dot_identity(out_bar, self.out_dot, adjoints, self.tangents, rtol, atol,
                      "reverse mode")

    def check_grad(self, rtol: float, atol: float) -> None:
        """grad's own code, for a real scalar output: the output's adjoint is the constant
        1, folded into the rules."""
        out = self.expected_out
        if isinstance(out, (tuple, list)) or np.ndim(out) != 0 \
                or np.asarray(out).dtype.kind != "f":
            return
        request = Request("reverse", self.names, return_value=True, scalar_check=True)
        value, gradients = derivative(self.function, request).function(*self.args)
        _close(value, out, 1e-12, 1e-12, "value_and_grad's value")
        for i, gradient in zip(self.positions, gradients):
            _same_kind(gradient, self.args[i], f"the gradient in argument {self.params[i]}")
        _dot_identity(1.0, self.out_dot, gradients, self.tangents, rtol, atol, "grad")


def _dot_identity(out_bar, out_dot, adjoints, tangents, rtol, atol, what: str) -> None:
    lhs = inner(out_bar, out_dot)
    rhs = sum(inner(a, v) for a, v in zip(adjoints, tangents))
    if not (np.isfinite(lhs) and np.isclose(lhs, rhs, rtol=rtol * 10, atol=atol * 10)):
        raise AssertionError(
            f"{what} disagrees with forward mode: <y_bar, J v> = {lhs!r} but "
            f"<J^T y_bar, v> = {rhs!r}"
        )


def _same_kind(adjoint: Any, primal: Any, what: str) -> None:
    for a, p in zip(tree_leaves(adjoint), tree_leaves(primal)):
        if np.shape(a) != np.shape(p):
            raise AssertionError(f"{what} has shape {np.shape(a)}, the argument {np.shape(p)}")
        if isinstance(p, np.ndarray) and p.dtype.kind == "f" and np.asarray(a).dtype != p.dtype:
            raise AssertionError(f"{what} has dtype {np.asarray(a).dtype}, the argument {p.dtype}")
        if type(p) is float and type(a) is not float:
            raise AssertionError(f"{what} is a {type(a).__name__}, the argument a float")


def _close(actual: Any, expected: Any, rtol: float, atol: float, what: str) -> None:
    for a, e in zip(tree_leaves(actual), tree_leaves(expected)):
        a, e = np.asarray(a, dtype=complex if np.iscomplexobj(a) else float), np.asarray(e)
        if a.shape != e.shape:
            raise AssertionError(f"{what}: shape {a.shape}, expected {e.shape}")
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=what, equal_nan=False)
