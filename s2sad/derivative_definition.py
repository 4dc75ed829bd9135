"""A version's definition: the derivative transformed (``transforms/``), then optimized
(``optimize/driver.py``); ``compiler.compile_definition`` emits and compiles it."""

from __future__ import annotations

from functools import partial

import gast
import numpy as np

from s2sad.analyses.effects import Effects, effects_in
from s2sad.optimize.driver import optimize_definition
from s2sad.optimize.first_writes import assign_first_writes
from s2sad.optimize.formulas import expand_formulas
from s2sad.optimize.returned_adjoints import (
    copy_returned_arguments,
    drop_matches,
    name_returned_adjoints,
)
from s2sad.optimize.shape_reads import inline_shape_reads
from s2sad.optimize.statement_order import order_parameter_adjoints
from s2sad.request import Request
from s2sad.transforms.forward import ForwardTransform
from s2sad.transforms.reverse import ReverseTransform
from s2sad.transforms.vector import VectorForwardTransform
from s2sad.trees import walk


def derivative_definition(prepared, request: Request, name: str):
    """The derivative's definition: transformed (``transforms/``), then optimized
    (``optimize/driver.py``); ``compile_definition`` emits and compiles it."""
    definition = _transformed(prepared, request, name)
    if prepared.known_shapes:  # a version for arguments of known shapes
        expand_formulas(definition, prepared.known_shapes, prepared.namespace,
                        frozenset(prepared.float64_arrays),
                        derivatives=_shaped_like_their_variables(prepared, request))
        if request.mode == "reverse":
            drop_matches(definition, prepared.float64_arrays, prepared.namespace)
    if prepared.optimize:
        effects = _effects(definition, prepared.namespace, _replaces_function(request))
        optimize_definition(definition, effects, prepared.namer)
        # what folding brought together (the spread of a sum's adjoint into its product)
        if prepared.known_shapes and expand_formulas(
                definition, prepared.known_shapes, prepared.namespace,
                frozenset(prepared.float64_arrays), fill=True,
                derivatives=_shaped_like_their_variables(prepared, request)):
            optimize_definition(definition, effects, prepared.namer)
        if prepared.known_shapes:
            inline_shape_reads(definition, frozenset(prepared.float64_arrays),
                               prepared.namer.temporaries)
            assign_first_writes(definition, partial(_is_numpy_zeros_like, prepared.namespace))
        if request.mode == "reverse":
            name_returned_adjoints(definition, list(prepared.wrt))
            order_parameter_adjoints(definition, effects.pure)
            copy_returned_arguments(definition, prepared.array_parameters,
                                    prepared.namespace)
    return definition


def _shaped_like_their_variables(prepared, request: Request) -> dict[str, str]:
    """The adjoints and tangents with the variables whose shapes they have (not a batched
    tangent, which has a leading axis of directions)."""
    return {} if request.mode == "vector" else prepared.namer.derivatives_of()


def _is_numpy_zeros_like(namespace, function: gast.Attribute) -> bool:
    return (function.attr == "zeros_like" and isinstance(function.value, gast.Name)
            and namespace.bindings.get(function.value.id) is np)


def _effects(definition, namespace, keep_raising: bool = True) -> Effects:
    """What the names in ``definition`` refer to, for the optimizer's purity tests."""
    local = {n.id for n in walk(definition) if isinstance(n, gast.Name)
             and not isinstance(n.ctx, gast.Load)}
    return effects_in(namespace, local, getattr(definition, "stacks", set()), keep_raising)


def _replaces_function(request: Request) -> bool:
    """Whether the derivative is called in place of the function (``grad``, tangents), so
    it must raise where the function does. An adjoint taking the output's adjoint runs
    after the function itself did (``vjp`` calls it first; a call of a user function keeps
    the primal call in the forward sweep), and need not compute what it does not read."""
    return request.mode != "reverse" or request.scalar_check or request.return_value


def _transformed(prepared, request: Request, name: str):
    prepared.namer.reserve(name)  # the derivative's own name: no binding may take it
    if request.mode == "vector":
        return VectorForwardTransform(prepared).function(name)
    if request.mode in ("forward", "primal"):
        return ForwardTransform(prepared, request.mode == "primal").function(name)
    return ReverseTransform(prepared, keep_raising=_replaces_function(request)).function(
        name,
        wrt_tuple=request.wrt_tuple,
        return_value=request.return_value,
        scalar_check=request.scalar_check,
        record_tape=request.record_tape,
        report=request.report,
        result=request.result,
    )
