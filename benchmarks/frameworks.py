"""Optional comparison columns: autograd, PyTorch and JAX (eager, and ``jax.jit``), each in
float64. ``pip install -e ".[bench]"`` installs autograd and JAX.

A framework that is not importable is skipped without a word. Every workload function is
written against ``np`` and ``math``; a framework runs the same code object with those two
globals rebound to its own array module (or, for PyTorch, to a thin NumPy-spelled shim), so
no workload is written twice.
"""

from __future__ import annotations

import importlib.util
import time
import types
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def _rebind(f: Callable, np_module: Any, math_module: Any) -> Callable:
    """``f`` with its globals ``np`` and ``math`` replaced."""
    namespace = dict(f.__globals__)
    namespace["np"] = np_module
    namespace["math"] = math_module
    return types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__,
                              f.__closure__)


class Framework:
    """``prepare`` returns ``(gradient_function, call_args)``; calling the first on the
    second computes the gradient and waits for it; ``to_numpy`` converts its result."""

    name = ""

    def prepare(self, f: Callable, wrt: Sequence[int], args: Sequence) -> tuple[Callable, tuple]:
        raise NotImplementedError

    def to_numpy(self, result: Any) -> tuple:
        return tuple(np.asarray(r, dtype=float) for r in result)


class Autograd(Framework):
    name = "autograd"

    def __init__(self) -> None:
        import autograd
        import autograd.numpy as anp

        self._grad = autograd.grad
        self._np = anp
        self._math = types.SimpleNamespace(log=anp.log, sin=anp.sin, cos=anp.cos,
                                           exp=anp.exp, tanh=anp.tanh, sqrt=anp.sqrt)

    def prepare(self, f, wrt, args):
        rebound = _rebind(f, self._np, self._math)
        return self._grad(rebound, argnum=tuple(wrt)), tuple(args)


class Jax(Framework):
    name = "jax"

    def __init__(self) -> None:
        import jax

        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        self._jax = jax
        self._np = jnp
        self._math = types.SimpleNamespace(log=jnp.log, sin=jnp.sin, cos=jnp.cos,
                                           exp=jnp.exp, tanh=jnp.tanh, sqrt=jnp.sqrt)

    def prepare(self, f, wrt, args):
        jax = self._jax
        gradient = jax.grad(_rebind(f, self._np, self._math), argnums=tuple(wrt))
        call_args = tuple(jax.numpy.asarray(a) if isinstance(a, np.ndarray) else a
                          for a in args)

        def run(*a):
            return jax.block_until_ready(gradient(*a))

        return run, call_args


class JaxJit(Jax):
    """``jax.jit(jax.grad(f))``: the first call compiles (its time is ``compile_seconds``,
    reported apart); the timed calls run the compiled code. A data-dependent ``while``
    cannot be traced, and is an error here."""

    name = "jax.jit"

    def prepare(self, f, wrt, args):
        jax = self._jax
        gradient = jax.jit(jax.grad(_rebind(f, self._np, self._math), argnums=tuple(wrt)))
        call_args = tuple(jax.numpy.asarray(a) if isinstance(a, np.ndarray) else a
                          for a in args)

        def run(*a):
            return jax.block_until_ready(gradient(*a))

        start = time.perf_counter()
        run(*call_args)
        self.compile_seconds = time.perf_counter() - start
        return run, call_args


class _TorchNumpy:
    """The part of NumPy's spelling the workloads use, over torch tensors."""

    def __init__(self, torch: Any) -> None:
        self._torch = torch
        self.tanh, self.exp, self.log = torch.tanh, torch.exp, torch.log
        self.sin, self.cos, self.sqrt = torch.sin, torch.cos, torch.sqrt
        self.linalg = types.SimpleNamespace(solve=torch.linalg.solve, norm=torch.linalg.norm)
        self.outer = torch.outer

    def _reduce(self, op: Callable, x: Any, axis: Any, keepdims: bool) -> Any:
        if axis is None:
            return op(x)
        return op(x, dim=axis, keepdim=keepdims)

    def sum(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.sum, x, axis, keepdims)

    def mean(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.mean, x, axis, keepdims)

    def max(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.amax, x, axis, keepdims)

    def arange(self, n):
        return self._torch.arange(n)

    def zeros(self, shape):
        return self._torch.zeros(shape, dtype=self._torch.float64)

    def eye(self, n):
        return self._torch.eye(n, dtype=self._torch.float64)


class Torch(Framework):
    name = "torch"

    def __init__(self) -> None:
        import torch

        torch.set_num_threads(1)
        self._torch = torch
        shim = _TorchNumpy(torch)
        self._np = shim
        self._math = types.SimpleNamespace(log=torch.log, sin=torch.sin, cos=torch.cos,
                                           exp=torch.exp, tanh=torch.tanh, sqrt=torch.sqrt)

    def prepare(self, f, wrt, args):
        torch = self._torch
        rebound = _rebind(f, self._np, self._math)
        call_args = []
        for position, a in enumerate(args):
            active = position in wrt
            if isinstance(a, np.ndarray):
                tensor = torch.from_numpy(a.copy())
            elif isinstance(a, float) and active:
                tensor = torch.tensor(a, dtype=torch.float64)
            else:
                call_args.append(a)
                continue
            call_args.append(tensor.requires_grad_(True) if active else tensor)
        inputs = [call_args[p] for p in wrt]

        def run(*a):
            return torch.autograd.grad(rebound(*a), inputs)

        return run, tuple(call_args)

    def to_numpy(self, result):
        return tuple(r.detach().numpy() for r in result)


_CANDIDATES: list[tuple[str, type[Framework]]] = [
    ("autograd", Autograd), ("torch", Torch), ("jax", Jax), ("jax", JaxJit)]


def available() -> list[Framework]:
    """The frameworks that import cleanly here."""
    found = []
    for module, cls in _CANDIDATES:
        if importlib.util.find_spec(module) is None:
            continue
        try:
            found.append(cls())
        except Exception:  # a broken install is as good as none for a comparison column
            continue
    return found
