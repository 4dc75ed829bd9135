"""Jacobians and Hessians: ``jacfwd``, ``jacrev``, ``hessian``, ``hvp``, built on the
forward and reverse derivatives of :mod:`s2sad.api`, with JAX's calling conventions."""

from __future__ import annotations

import copy
import functools
import numbers
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from s2sad.api import _derivative_function, grad
from s2sad.callables import _through_partial
from s2sad.jacobian_sources import DifferentiableJacobian
from s2sad.parameters import (
    Wrt,
    _check_values,
    _name,
    _numeric,
    _signature,
    _varargs,
    _wrt_names,
)
from s2sad.pickling import travelling_maker
from s2sad.pipeline import Request, derivative
from s2sad.recomputation import PURE, recomputation
from s2sad.runtime import zeros_like
from s2sad.runtime.arguments import refuse_arrays
from s2sad.runtime.core import output_kind
from s2sad.runtime.records import field_names, is_record, rebuilt
from s2sad.runtime.replay import (
    check_recomputed,
    put_back_states,
    random_states,
    replay_states,
)

__all__ = ["jacfwd", "jacrev", "hessian", "hvp"]


def _takes_varargs_positions(make: Callable) -> Callable:
    """Mark ``make`` as taking ``wrt`` positions in ``*args`` itself."""
    make.takes_varargs_positions = True
    return make


def _numpy_backend_only(backend: str, name: str) -> None:
    """Refuses ``backend="numba"`` for ``name`` (a Jacobian or a second derivative), which
    only the default backend computes."""
    if backend == "numba":
        raise ValueError(f"{name} has no backend='numba' yet: Numba compiles first "
                         "derivatives (grad, value_and_grad, jvp, vjp), and second ones are "
                         "s2sad's derivatives of its own generated code, which that backend "
                         f"does not compile; use {name} with the default backend ('numpy'), "
                         "or grad(f, backend='numba') for the gradient")
    if backend != "numpy":
        raise ValueError(f"backend must be 'numpy' or 'numba', not {backend!r}")


def _leaves(tree: Any) -> list[Any]:
    """The arrays and numbers of a value made of tuples, lists, dicts, dataclasses and
    NamedTuples, in order."""
    if is_record(tree):
        return [leaf for name in field_names(tree) for leaf in _leaves(getattr(tree, name))]
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for key in tree for leaf in _leaves(tree[key])]
    return [tree]


def _rebuild(tree: Any, leaves: Any) -> Any:
    """``tree``'s structure with the next items of the iterator ``leaves`` in its leaves."""
    if is_record(tree):
        return rebuilt(tree, {name: _rebuild(getattr(tree, name), leaves)
                              for name in field_names(tree)})
    if isinstance(tree, (tuple, list)):
        return type(tree)(_rebuild(item, leaves) for item in tree)
    if isinstance(tree, dict):
        return {key: _rebuild(tree[key], leaves) for key in tree}
    return next(leaves)


def _numeric_leaves(value: Any, kind: str, what: str) -> list[Any]:
    """``value``'s leaves, each an array or a number (``what`` says where they are)."""
    leaves = _leaves(value)
    for leaf in leaves:
        if not isinstance(leaf, (numbers.Number, np.generic, np.ndarray)) \
                or np.asarray(leaf).dtype.kind not in "biufc":
            raise TypeError(f"{kind} takes {what} made of arrays and numbers (in tuples, "
                            f"lists, dicts, dataclasses and NamedTuples), not "
                            f"{output_kind(leaf)}: return other values as aux with "
                            "has_aux=True, or pass them as arguments not differentiated")
    return leaves


def _unit(like: Any, index: tuple[int, ...]) -> Any:
    """A one at ``index`` in zeros shaped and typed like ``like`` (a float for a float)."""
    if np.ndim(like) == 0 and not isinstance(like, np.ndarray):
        return 1.0
    unit = np.zeros(np.shape(like), dtype=np.result_type(like, np.float64))
    unit[index] = 1.0
    return unit


def _main_output(out: Any, has_aux: bool, kind: str, function: Callable) -> tuple[Any, Any]:
    """``(output, aux)`` of what ``function`` returned (``aux`` None without ``has_aux``)."""
    if not has_aux:
        return out, None
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"{kind}({_name(function)}, has_aux=True) needs a function "
                        f"returning a pair (output, aux), not {output_kind(out)}")
    return out


class _Inputs:
    """What a Jacobian is taken with respect to, at one call: each ``wrt`` item's value
    (a ``*args`` position is one of the tuple's items), and its leaves."""

    def __init__(self, function: Callable, picks: list[tuple[str, int | None]],
                 args: tuple, keywords: dict, kind: str) -> None:
        self.picks = picks
        bound = _signature(function).bind(*args, **keywords)
        bound.apply_defaults()
        self.arguments = bound.arguments
        self.values = [self.arguments[name] if index is None
                       else self.arguments[name][index] for name, index in picks]
        self.leaves = [_numeric_leaves(value, kind, "arguments") for value in self.values]
        self.names = tuple(dict.fromkeys(name for name, _ in picks))

    def tangents(self, found: list[Any], zero: Callable[[Any], Any]) -> dict[str, Any]:
        """The tangent of each name: ``found[k]`` for the ``k``-th pick, ``zero(item)`` for
        the ``*args`` items not picked."""
        whole: dict[str, Any] = {}
        items: dict[str, list[Any]] = {}
        for (name, index), tangent in zip(self.picks, found):
            if index is None:
                whole[name] = tangent
            else:
                items.setdefault(name, [zero(item) if _numeric(item) else None
                                        for item in self.arguments[name]])[index] = tangent
        return {**whole, **{name: tuple(value) for name, value in items.items()}}

    def adjoints(self, found: tuple) -> list[Any]:
        """Each pick's part of the adjoints ``found`` (one per name)."""
        return [found[self.names.index(name)] if index is None
                else found[self.names.index(name)][index] for name, index in self.picks]

    def blocks(self, by_input_leaf: list[Any]) -> list[Any]:
        """The blocks of one output leaf, one per input leaf in order, as one value per
        pick shaped like it."""
        leaves = iter(by_input_leaf)
        return [_rebuild(value, leaves) for value in self.values]


def _picks(function: Callable, wrt: Wrt) -> tuple[list[tuple[str, int | None]], bool]:
    """``wrt`` as ``(parameter name, index in *args or None)`` pairs, and whether the
    caller asked for a tuple."""
    named, star = _varargs(function)
    as_tuple = isinstance(wrt, (tuple, list))
    picks = []
    for item in wrt if as_tuple else [wrt]:
        if type(item) is int and star is not None and item >= named:
            picks.append((star, item - named))
        else:
            picks.append((_wrt_names(function, item)[0][0], None))
    if len(set(picks)) != len(picks) or any(
            (name, None) in picks for name, index in picks if index is not None):
        raise ValueError(f"wrt names an argument twice: {wrt!r}")
    return picks, as_tuple


def _assemble(out: Any, aux: Any, has_aux: bool, inputs: _Inputs, as_tuple: bool,
              by_output_leaf: list[list[Any]]) -> Any:
    """The Jacobian: ``out``'s structure holding, per output leaf, the blocks per ``wrt``
    item (a tuple of them for a tuple ``wrt``); with ``aux`` when ``has_aux``."""
    if len(by_output_leaf) != len(_leaves(out)):
        raise AssertionError(f"s2sad internal error: {len(by_output_leaf)} derivatives for "
                             f"{len(_leaves(out))} output leaves; please report it")
    per_leaf = []
    for blocks in by_output_leaf:
        found = inputs.blocks(blocks)
        per_leaf.append(tuple(found) if as_tuple else found[0])
    jacobian = _rebuild(out, iter(per_leaf))
    return (jacobian, aux) if has_aux else jacobian


@travelling_maker
@_through_partial
@_takes_varargs_positions
def jacfwd(function: Callable, wrt: Wrt = 0, vectorized: bool = True,
           holomorphic: bool = False, has_aux: bool = False, backend: str = "numpy") -> Callable:
    """The Jacobian by forward mode: shape ``out.shape + in.shape``, a tuple of them when
    ``wrt`` is a tuple. ``vectorized``: one sweep of vector forward mode carrying every
    column at once (the identity as the batched tangent); otherwise one tangent sweep per
    input element (column by column). A tangent is ``J v`` for complex values too, so for
    a holomorphic function of complex arguments the Jacobian holds ``f'(z)``;
    ``holomorphic=True`` checks that the arguments are complex.

    As in JAX, outputs and arguments may be trees (tuples, lists, dicts, dataclasses,
    NamedTuples) of arrays: the Jacobian has the output's structure, each leaf holding
    the blocks for the arguments, each shaped like its argument. ``wrt`` may name
    positions in ``*args``. With ``has_aux=True``, ``function`` returns ``(output, aux)``
    and the Jacobian function ``(jacobian, aux)``, ``aux`` not differentiated.

    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> def f(x):
    ...     return A @ x
    >>> jacfwd(f)(np.zeros(2))
    array([[1., 2.],
           [3., 4.],
           [5., 6.]])
    """
    _numpy_backend_only(backend, "jacfwd")
    picks, as_tuple = _picks(function, wrt)
    names = tuple(dict.fromkeys(name for name, _ in picks))

    @functools.wraps(function)
    def jacobian(*args: Any, **keywords: Any) -> Any:
        _check_values(function, args)
        inputs = _Inputs(function, picks, args, keywords, "jacfwd")
        if holomorphic:
            _complex_values(function, inputs, "jacfwd")
        sweeps = _ForwardSweeps(function, names, has_aux, args, keywords)
        out, aux, by_output_leaf = (sweeps.all_at_once if vectorized else sweeps.by_columns)(
            inputs)
        return _assemble(out, aux, has_aux, inputs, as_tuple, by_output_leaf)

    jacobian.__name__ = f"{_name(function)}_jacfwd"
    return DifferentiableJacobian(jacobian, function, wrt, "jacfwd",
                                  {"holomorphic": holomorphic, "has_aux": has_aux}, derivative)


class _ForwardSweeps:
    """The tangent sweeps of ``jacfwd`` at one call: each gives ``(out, aux, blocks)``,
    the blocks per output leaf, one per input leaf."""

    def __init__(self, function: Callable, names: tuple[str, ...], has_aux: bool,
                 args: tuple, keywords: dict) -> None:
        self.function = function
        self.names = names
        self.has_aux = has_aux
        self.args = args
        self.keywords = keywords

    def by_columns(self, inputs: _Inputs) -> tuple[Any, Any, list]:
        """One tangent sweep per input element (column by column)."""
        generated = derivative(self.function, Request("forward", self.names))
        flat = [leaf for leaves in inputs.leaves for leaf in leaves]
        columns_of_leaf: list[list[list[Any]]] = []  # [input leaf][element][output leaf]
        raw = None
        for j, x in enumerate(flat):
            found = []
            for index in np.ndindex(np.shape(x)):
                raw, column = self._column(generated, inputs, flat, j, index)
                found.append(column)
            columns_of_leaf.append(found)
        if raw is None:  # no input element: run once for the output's structure
            raw = self.function(*copy.deepcopy(self.args), **self.keywords)
        out, aux = _main_output(raw, self.has_aux, "jacfwd", self.function)
        outputs = _numeric_leaves(out, "jacfwd", "functions whose results are")
        return out, aux, [_stacked_columns(y, m, flat, columns_of_leaf)
                          for m, y in enumerate(outputs)]

    def _column(self, generated: Any, inputs: _Inputs, flat: list[Any], j: int,
                index: tuple[int, ...]) -> tuple[Any, list[Any]]:
        """What the function returned, and the column of element ``index`` of input leaf
        ``j``, one array per output leaf."""
        seeds = [_unit(leaf, index) if i == j else zeros_like(leaf)
                 for i, leaf in enumerate(flat)]
        tangents = _grouped(inputs, seeds, zeros_like)
        raw, out_dot = generated.function(*self.args, **self.keywords, **_by_parameter(
            generated, self.names, tangents))
        _main_output(raw, self.has_aux, "jacfwd", self.function)
        out_dot = out_dot[0] if self.has_aux else out_dot
        return raw, [np.asarray(leaf) for leaf in _leaves(out_dot)]

    def all_at_once(self, inputs: _Inputs) -> tuple[Any, Any, list]:
        """One sweep of vector forward mode, the identity as the batched tangent."""
        flat = [leaf for leaves in inputs.leaves for leaf in leaves]
        sizes = [int(np.size(leaf)) for leaf in flat]
        if not sum(sizes):  # no direction to sweep: the output's structure is all there is
            return self.by_columns(inputs)
        generated = derivative(self.function, Request("vector", self.names))
        seeds = _identity_by_leaf(flat, sizes)
        tangents = _grouped(inputs, seeds, lambda value: _batched_zeros(value, sum(sizes)))
        out, out_dot = generated.function(*self.args, **self.keywords,
                                          **_by_parameter(generated, self.names, tangents))
        out, aux = _main_output(out, self.has_aux, "jacfwd", self.function)
        out_dot = out_dot[0] if self.has_aux else out_dot
        _numeric_leaves(out, "jacfwd", "functions whose results are")
        return out, aux, [_split_columns(leaf, flat, sizes) for leaf in _leaves(out_dot)]


def _stacked_columns(y: Any, m: int, flat: list[Any], columns_of_leaf: list) -> list[Any]:
    """The blocks of output leaf ``y`` (the ``m``-th), one per input leaf, from the
    columns found per input element."""
    blocks = []
    for x, found in zip(flat, columns_of_leaf):
        shape = np.shape(y) + np.shape(x)
        blocks.append(np.stack([f[m] for f in found], axis=-1).reshape(shape)
                      if found else np.zeros(shape))
    return blocks


def _identity_by_leaf(flat: list[Any], sizes: list[int]) -> list[Any]:
    """The identity of the inputs' total size, split by input leaf, each part shaped
    ``(total,) + leaf.shape``."""
    total, seeds, start = sum(sizes), [], 0
    for x, size in zip(flat, sizes):
        seed = np.zeros((total, size), dtype=np.result_type(x, np.float64))
        seed[start:start + size] = np.eye(size)
        seeds.append(seed.reshape((total,) + np.shape(x)))
        start += size
    return seeds


def _split_columns(leaf: Any, flat: list[Any], sizes: list[int]) -> list[Any]:
    """A batched output tangent (directions first) as blocks, one per input leaf."""
    jacobian = np.moveaxis(np.asarray(leaf), 0, -1)  # out.shape + (K,)
    blocks, start = [], 0
    for x, size in zip(flat, sizes):
        block = jacobian[..., start:start + size]
        blocks.append(block.reshape(block.shape[:-1] + np.shape(x)))
        start += size
    return blocks


def _grouped(inputs: _Inputs, seeds: list[Any], zero: Callable[[Any], Any]) -> dict:
    """The tangent of each parameter, from ``seeds`` (one per input leaf, in order)."""
    leaves = iter(seeds)
    found = [_rebuild(value, leaves) for value in inputs.values]
    return inputs.tangents(found, zero)


def _by_parameter(generated: Any, names: tuple[str, ...], tangents: dict) -> dict:
    return dict(zip(generated.extra_parameters, (tangents[name] for name in names)))


def _batched_zeros(value: Any, count: int) -> Any:
    """Zeros shaped like ``value`` with a leading axis of ``count`` directions."""
    return _rebuild(value, iter([np.zeros((count,) + np.shape(leaf))
                                 for leaf in _leaves(value)]))


def _complex_values(function: Callable, inputs: _Inputs, kind: str) -> None:
    """``holomorphic=True`` takes complex arguments only (as JAX does)."""
    for (name, index), value in zip(inputs.picks, inputs.values):
        if not all(np.iscomplexobj(leaf) for leaf in _leaves(value)):
            where = name if index is None else f"{name}[{index}]"
            raise TypeError(f"{kind}({_name(function)}, holomorphic=True) needs complex "
                            f"arguments, but {where} is {output_kind(value)}: pass it as "
                            "complex (x + 0j)")


@travelling_maker
@_through_partial
@_takes_varargs_positions
def jacrev(function: Callable, wrt: Wrt = 0, holomorphic: bool = False,
           has_aux: bool = False, backend: str = "numpy") -> Callable:
    """The Jacobian by reverse mode, one adjoint sweep per output element (row by row):
    shape ``out.shape + in.shape``, a tuple of them when ``wrt`` is a tuple. For complex
    outputs a row is an adjoint, ``conj(J)`` in s2sad's convention; ``holomorphic=True``
    (complex arguments) gives ``J``, the complex derivatives, as ``jacfwd`` does. Trees of
    arrays as outputs and arguments, ``*args`` positions and ``has_aux`` as in
    :func:`jacfwd`.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sin(x) * x[0]
    >>> np.allclose(jacrev(f)(np.array([0.5, 1.0])), jacfwd(f)(np.array([0.5, 1.0])))
    True
    """
    _numpy_backend_only(backend, "jacrev")
    picks, as_tuple = _picks(function, wrt)
    names = tuple(dict.fromkeys(name for name, _ in picks))

    @functools.wraps(function)
    def jacobian(*args: Any, **keywords: Any) -> Any:
        _check_values(function, args)
        inputs = _Inputs(function, picks, args, keywords, "jacrev")
        if holomorphic:
            _complex_values(function, inputs, "jacrev")
        generated = derivative(function, Request("reverse", names, wrt_tuple=True,
                                                 return_value=True))
        again = recomputation(function) if isinstance(function, types.FunctionType) \
            else PURE  # each row runs the forward sweep again: with the same draws
        states = random_states(again.sources, again.held, *args, *keywords.values()) \
            if again.draws else None
        whole = function(*copy.deepcopy(args), **keywords)
        out, aux = _main_output(whole, has_aux, "jacrev", function)
        outputs = _numeric_leaves(out, "jacrev", "functions whose results are")
        rows = _Rows(generated, inputs, out, aux if has_aux else _NO_AUX, args, keywords)
        rows.replayed(states, whole if again.differs else _NO_AUX, _name(function))
        by_output_leaf = [rows.blocks(k, holomorphic) for k in range(len(outputs))]
        return _assemble(out, aux, has_aux, inputs, as_tuple, by_output_leaf)

    jacobian.__name__ = f"{_name(function)}_jacrev"
    return DifferentiableJacobian(jacobian, function, wrt, "jacrev",
                                  {"holomorphic": holomorphic, "has_aux": has_aux}, derivative)


#: ``aux`` of a function called without ``has_aux``
_NO_AUX = object()


class _Rows:
    """The adjoint sweeps of ``jacrev`` at one call, one per output element (row by row)."""

    def __init__(self, generated: Any, inputs: _Inputs, out: Any, aux: Any, args: tuple,
                 keywords: dict) -> None:
        self.generated = generated
        self.inputs = inputs
        self.out = out
        self.aux = aux
        self.args = args
        self.keywords = keywords
        self.outputs = _leaves(out)
        self.zeros = [zeros_like(leaf) for leaf in self.outputs]
        self.flat = [leaf for leaves in inputs.leaves for leaf in leaves]
        self.states = None
        self.whole = _NO_AUX
        self.where = ""

    def replayed(self, states: list | None, whole: Any, where: str) -> None:
        """Each row runs the forward sweep again with the random ``states`` kept before
        the function's own run, and checks its value against ``whole``, what that run
        gave (unless it is ``_NO_AUX``)."""
        self.states, self.whole, self.where = states, whole, where

    def blocks(self, k: int, holomorphic: bool) -> list[Any]:
        """The blocks of output leaf ``k``, one per input leaf (conjugated for
        ``holomorphic``)."""
        y = self.outputs[k]
        rows: list[list[Any]] = [[] for _ in self.flat]
        for index in np.ndindex(np.shape(y)):
            for row, adjoint in zip(rows, self._row(k, index), strict=True):
                row.append(np.asarray(adjoint))
        blocks = []
        for row, x in zip(rows, self.flat):
            shape = np.shape(y) + np.shape(x)
            block = np.stack(row).reshape(shape) if row else np.zeros(shape)
            blocks.append(np.conj(block) if holomorphic else block)
        return blocks

    def _row(self, k: int, index: tuple[int, ...]) -> list[Any]:
        """The adjoints of every input leaf for the unit at ``index`` of output leaf ``k``."""
        cotangent = _rebuild(self.out, iter(self.zeros[:k] + [_unit(self.outputs[k], index)]
                                            + self.zeros[k + 1:]))
        if self.aux is not _NO_AUX:
            cotangent = (cotangent, zeros_like(self.aux))
        seed = self.generated.extra_parameters[0]
        now = replay_states(self.states) if self.states is not None else None
        try:
            value, found = self.generated.function(*self.args, **self.keywords,
                                                   **{seed: cotangent})
        finally:
            if now is not None:
                put_back_states(now)
        if self.whole is not _NO_AUX:
            check_recomputed(value, self.whole, f"{self.where}, given to jacrev,")
        return [leaf for value in self.inputs.adjoints(found) for leaf in _leaves(value)]


@travelling_maker
@_through_partial
@_takes_varargs_positions
def hessian(function: Callable, wrt: Wrt = 0, holomorphic: bool = False,
            backend: str = "numpy") -> Callable:
    """The Hessian of a scalar function: the forward-mode Jacobian of its gradient (its
    shape ``in.shape + in.shape``).

    >>> def f(x):
    ...     return x[0] ** 2 * x[1]
    >>> hessian(f)(np.array([1.0, 2.0]))
    array([[4., 2.],
           [2., 0.]])

    With a tuple ``wrt``, the blocks as JAX gives them: ``H[i][j]`` differentiates the
    gradient's part ``i`` with respect to argument ``j``; ``wrt`` may name positions in
    ``*args``. ``holomorphic=True``: a holomorphic function of complex arguments with a
    complex scalar output, and ``H`` its second complex derivatives (the adjoint seeded
    with one is ``conj(f'(z))``, whose tangent along a real direction is
    ``conj(f''(z))``).
    """
    _numpy_backend_only(backend, "hessian")
    picks, as_tuple = _picks(function, wrt)
    names = tuple(dict.fromkeys(name for name, _ in picks))
    if holomorphic:
        gradient = _derivative_function(function, Request("reverse", names,
                                                          wrt_tuple=True), "grad")
    else:
        gradient = grad(function, names)  # a tuple, one part per name
    found = jacfwd(gradient, wrt, holomorphic=holomorphic)

    @functools.wraps(function)
    def hessian(*args: Any, **keywords: Any) -> Any:
        blocks = found(*args, **keywords)
        rows = [blocks[names.index(name)] if index is None
                else blocks[names.index(name)][index] for name, index in picks]
        if holomorphic:
            rows = _rebuild(rows, iter([np.conj(b) for b in _leaves(rows)]))
        return tuple(rows) if as_tuple else rows[0]

    hessian.__name__ = f"{_name(function)}_hessian"
    return hessian


@travelling_maker
@_through_partial
def hvp(function: Callable, wrt: Wrt = 0, backend: str = "numpy") -> Callable:
    """Hessian-vector products without forming the Hessian: ``hvp(f)(*args, v)`` is the
    tangent of ``grad(f)`` at ``args`` in direction ``v`` (forward over reverse, about the
    cost of a few gradients). With a tuple ``wrt``, ``v`` is a tuple of directions.

    >>> def f(x):
    ...     return np.sum(x ** 3)
    >>> hvp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    _numpy_backend_only(backend, "hvp")
    names, as_tuple = _wrt_names(function, wrt)
    gradient = grad(function, wrt)

    @functools.wraps(function)
    def product(*args_and_direction: Any, **keywords: Any) -> Any:
        *args, direction = args_and_direction
        directions = tuple(direction) if as_tuple else (direction,)
        _check_values(function, args)
        refuse_arrays(f"hvp of {function.__name__}:", ["v"], [direction])
        generated = derivative(gradient, Request("forward", names))
        return generated.function(*args, **keywords,
                                  **dict(zip(generated.extra_parameters, directions)))[1]

    product.__name__ = f"{_name(function)}_hvp"
    return product
