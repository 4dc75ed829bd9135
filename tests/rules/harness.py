"""The spec table machinery: one row per (function, argument shapes, domain, keywords).

A row names the arguments by how to sample them: a shape tuple samples a float array
(``()`` a Python float), ``Fixed(value)`` passes a value as is (an axis, an index array,
a string). The domain says where the function is differentiable. A ``wrt`` entry
``Symmetric("a")`` checks parameter ``a`` along symmetric directions only (for rules of
functions of a symmetric matrix, such as ``np.linalg.eigh``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from s2sad.testing.rules import Symmetric  # noqa: F401  (re-exported for the spec modules)


@dataclass(frozen=True)
class Fixed:
    """An argument passed as is (never differentiated): axes, indices, strings."""

    value: Any


@dataclass(frozen=True)
class Seq:
    """A tuple of float arrays of the given shapes (for concatenate, stack, ...)."""

    shapes: tuple


@dataclass
class Spec:
    fn: Any
    args: tuple
    kwargs: dict = field(default_factory=dict)
    domain: str = "real"
    wrt: tuple | None = None
    rtol: float = 1e-5
    atol: float = 1e-6
    eps: float = 1e-6
    id: str = ""
    #: Which modes the compiler end-to-end test runs; rule tests always run both.
    modes: tuple = ("jvp", "vjp")

    def name(self) -> str:
        base = self.id or getattr(self.fn, "__name__", repr(self.fn))
        shapes = ",".join(_describe(a) for a in self.args)
        kw = ",".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{base}({shapes}{';' + kw if kw else ''})"


def _describe(arg) -> str:
    if isinstance(arg, Fixed):
        return "fixed"
    if isinstance(arg, Seq):
        return "seq" + "".join(str(s) for s in arg.shapes)
    return "x".join(map(str, arg)) or "scalar"


def sample(domain: str, shape: tuple, rng: np.random.Generator):
    """A float sample of ``shape`` inside ``domain``; ``()`` gives a Python float."""
    if domain == "real":
        value = rng.standard_normal(shape)
    elif domain == "positive":
        value = rng.uniform(0.5, 2.0, shape)
    elif domain == "unit":  # strictly inside (-1, 1)
        value = rng.uniform(-0.9, 0.9, shape)
    elif domain == "open01":
        value = rng.uniform(0.1, 0.9, shape)
    elif domain == "above1":
        value = rng.uniform(1.2, 3.0, shape)
    elif domain == "nonzero":
        value = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    elif domain == "distinct":  # well separated values, so max/sort have no ties
        value = rng.permutation(np.arange(int(np.prod(shape)))).reshape(shape) * 0.5 + rng.uniform(
            0, 0.1, shape
        )
    elif domain == "spd":  # symmetric positive definite in the last two axes
        a = rng.standard_normal(shape)
        value = a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])
    elif domain == "wellconditioned":
        value = (
            rng.standard_normal(shape) + 3.0 * np.eye(shape[-1])
            if len(shape) >= 2
            else rng.standard_normal(shape)
        )
    elif domain == "symmetric":
        a = rng.standard_normal(shape)
        value = a + np.swapaxes(a, -1, -2)
    elif domain == "complex":  # complex arrays (fft, ifft, ...); () gives a Python complex
        value = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        return complex(value) if shape == () else np.asarray(value, dtype=complex)
    else:
        raise ValueError(f"unknown domain {domain!r}")
    if shape == ():
        return float(value)
    return np.asarray(value, dtype=float)


def build_args(spec: Spec, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    args = []
    for arg in spec.args:
        if isinstance(arg, Fixed):
            args.append(arg.value)
        elif isinstance(arg, Seq):
            args.append(tuple(sample(spec.domain, s, rng) for s in arg.shapes))
        else:
            args.append(sample(spec.domain, tuple(arg), rng))
    return args
