"""Each stage's input, made from a few lines of source, and its output as text.

Every stage test imports the stages through this module, so a stage that moves to
another module means one edit here. Source is defined in the file ``stage.py`` (held in
``linecache``) starting at line 1, so a refusal's position is the snippet's own line.
"""

from __future__ import annotations

import math
import textwrap

import gast
import numpy as np

from s2sad.analyses.activity import active_names
from s2sad.analyses.casts import check_dtypes, settle_casts
from s2sad.analyses.constants import constant_reads
from s2sad.analyses.effects import Effects, Facts, effects_in, leaves_arguments_alone
from s2sad.analyses.kinds import Kinds
from s2sad.analyses.mutation import check_mutation
from s2sad.analyses.operations import OperationFinder
from s2sad.analyses.shapes import ShapeClasses
from s2sad.analyses.sharing import array_indices, displays, views_of_written
from s2sad.compiler import compile_definition
from s2sad.emit import to_source
from s2sad.errors import UnsupportedSyntaxError
from s2sad.fence import check_supported
from s2sad.frontend import ParsedFunction, is_missing, parse_function
from s2sad.lift import lift_definitions
from s2sad.lowering.jumps import JumpLowering
from s2sad.lowering.writes import lower_writes
from s2sad.naming import Namer, names_in
from s2sad.nodes import comment
from s2sad.normalize import Normalizer, local_names, simple_statements
from s2sad.optimize.algebra import simplify_values
from s2sad.optimize.common_subexpressions import hoist_common_calls
from s2sad.optimize.copies import propagate_copies
from s2sad.optimize.dead_code import eliminate_dead_code, remove_unread
from s2sad.optimize.driver import optimize_definition
from s2sad.optimize.log_sum_exp import fuse_log_sum_exp
from s2sad.optimize.pairwise_distances import fuse_pairwise_distances
from s2sad.optimize.scalar_spreads import inline_scalar_spreads
from s2sad.optimize.substitution import substitute_single_uses
from s2sad.pipeline import analysed
from s2sad.request import Request
from s2sad.testing.source import function_from_source
from s2sad.transforms.adjoint_holders import AdjointHolders
from s2sad.transforms.forward import ForwardTransform
from s2sad.transforms.parallel_assignment import in_safe_order
from s2sad.transforms.reverse import ReverseTransform
from s2sad.transforms.vector import VectorForwardTransform

#: the stages' entry points, imported from where they live today (tests import them from here)
__all__ = [
    "UnsupportedSyntaxError", "Effects", "Facts", "Kinds", "ShapeClasses", "active_names",
    "check_dtypes", "check_mutation", "check_supported", "compile_definition", "constant_reads",
    "effects_in", "fuse_log_sum_exp", "fuse_pairwise_distances", "is_missing",
    "leaves_arguments_alone", "lift_definitions", "lower_writes", "optimize_definition",
    "parse_function", "settle_casts", "simple_statements", "propagate_copies", "remove_unread",
    "eliminate_dead_code", "substitute_single_uses", "simplify_values", "hoist_common_calls",
    "inline_scalar_spreads", "comment", "to_source", "ForwardTransform", "ReverseTransform",
    "VectorForwardTransform", "prepare", "AdjointHolders", "in_safe_order",
]

#: the file name every snippet is defined in
FILE = "stage.py"
#: the globals a snippet sees
NAMESPACE = {"np": np, "math": math}


def function(source: str, namespace: dict | None = None):
    """The first function ``source`` defines, in ``FILE``, with ``np`` and ``math``."""
    return function_from_source(textwrap.dedent(source).lstrip("\n"),
                                {**NAMESPACE, **(namespace or {})}, filename=FILE)


def parsed(source: str, namespace: dict | None = None) -> ParsedFunction:
    """The front end's output for ``source``'s function."""
    return parse_function(function(source, namespace))


def text(node: gast.AST) -> str:
    """The source of a tree."""
    return to_source(node)


def expected(source: str) -> str:
    """``source`` as ``text`` prints it: dedented, without leading blank lines."""
    return textwrap.dedent(source).lstrip("\n")


def namer_for(node: gast.AST) -> Namer:
    return Namer(names_in(node))


def written(source: str, namespace: dict | None = None) -> ParsedFunction:
    """The function after the write lowering alone."""
    front = parsed(source, namespace)
    return lower_writes(front, namer_for(front.node))


def fenced(source: str, namespace: dict | None = None) -> None:
    """Run the fence alone on ``source``'s function (raises what it refuses)."""
    front = parsed(source, namespace)
    check_supported(front.node, front.error)


def lowered(source: str, namespace: dict | None = None) -> gast.FunctionDef:
    """The function after the jump lowering alone."""
    front = parsed(source, namespace)
    return JumpLowering(namer_for(front.node), front.resolve, dict(front.extra)).function(
        front.node)


def normalized(source: str) -> gast.FunctionDef:
    """The function after normalization alone (``source`` needs no lowering)."""
    node = gast.parse(textwrap.dedent(source)).body[0]
    return Normalizer(namer_for(node)).function(node)


def core(source: str, namespace: dict | None = None) -> tuple[ParsedFunction, gast.FunctionDef]:
    """The parsed function and its core: lowered, then normalized (no fusion)."""
    front = parsed(source, namespace)
    namer = namer_for(front.node)
    node = JumpLowering(namer, front.resolve, dict(front.extra)).function(front.node)
    return front, Normalizer(namer).function(node)


def operations(source: str, namespace: dict | None = None, mode: str = "reverse"):
    """The parsed function, its core and the operations of its simple statements."""
    front, node = core(source, namespace)
    finder = OperationFinder(front, local_names(node), mode)
    return front, node, [finder.describe(s) for s in simple_statements(node.body[:-1])]


def prepare(front: ParsedFunction, wrt, mode: str = "reverse", optimize: bool = True):
    """The whole front end and the analyses of a parsed function (``pipeline.analysed``)."""
    return analysed(front, Request(mode, tuple(wrt), optimize=optimize))


def prepared(source: str, wrt, mode: str = "reverse", optimize: bool = True,
             namespace: dict | None = None):
    """The whole front end and the analyses (``pipeline.analysed``)."""
    return prepare(parsed(source, namespace), wrt, mode=mode, optimize=optimize)


def transformed(source: str, wrt, mode: str, optimize: bool = False,
                namespace: dict | None = None):
    """A derivative's definition before the optimizer; its ``prepared`` too."""
    ready = prepared(source, wrt, "forward" if mode == "vector" else mode, optimize,
                     namespace)
    name = f"{ready.parsed.name}_{mode}"
    ready.namer.reserve(name)
    if mode == "vector":
        definition = VectorForwardTransform(ready).function(name)
    elif mode == "forward":
        definition = ForwardTransform(ready).function(name)
    else:
        definition = ReverseTransform(ready).function(name, wrt_tuple=len(wrt) > 1)
    return definition, ready


def fused(source: str, fusion, namespace: dict | None = None) -> tuple[bool, gast.FunctionDef]:
    """Whether the fusion pass ``fusion`` changed ``source``'s core, and the core after it;
    a fused function is called by its own name."""
    front, node = core(source, namespace)
    changed = fusion(node, front.resolve, lambda function: function.__name__)
    return changed, node


def atom_text(node: gast.expr) -> str:
    """The source of an expression."""
    hole = gast.Name(id="_", ctx=gast.Store(), annotation=None, type_comment=None)
    return to_source(gast.Assign(targets=[hole], value=node, type_comment=None))[4:].strip()


def active(source: str, wrt, namespace: dict | None = None) -> list[str]:
    """The names the activity analysis finds active, for the core's operations."""
    _, node, found = operations(source, namespace)
    returned = node.body[-1].value
    outputs = {n.id for n in gast.walk(returned) if isinstance(n, gast.Name)}
    return sorted(active_names(found, set(wrt), outputs))


def mutation(source: str, wrt, namespace: dict | None = None) -> set[str]:
    """The parameters the mutation check finds written in place (raises what it refuses)."""
    front, node, found = operations(source, namespace)
    returned = node.body[-1].value
    outputs = {n.id for n in gast.walk(returned) if isinstance(n, gast.Name)}
    return check_mutation(front, node, found, active_names(found, set(wrt), outputs))[0]


def sharing(source: str, namespace: dict | None = None) -> dict:
    """The memory-sharing facts of the core: the views of arrays written in place, the
    names only ever bound to a new list or dict, the names holding index arrays."""
    front, node, found = operations(source, namespace)
    return {"views of written": views_of_written(found),
            "displays": displays(node, front.resolve),
            "index arrays": array_indices(found)}


def kinds(source: str, namespace: dict | None = None):
    """The kind analysis of ``source``'s core, and the core's operations (retargeted)."""
    from s2sad.nodes import parameters
    from s2sad.rules import RULES

    _, node, found = operations(source, namespace)
    result = Kinds(found, parameters(node), {id(s) for s in node.body})
    result.retarget(found, RULES.find)
    return result, found


def casts(source: str, wrt, namespace: dict | None = None):
    """The operations after ``settle_casts``; ``check_dtypes`` run for the active names."""
    front, node, found = operations(source, namespace)
    unknown = settle_casts(found, front.resolve, local_names(node))
    returned = node.body[-1].value
    outputs = {n.id for n in gast.walk(returned) if isinstance(n, gast.Name)}
    check_dtypes(unknown, found, active_names(found, set(wrt), outputs), front.error)
    return found


def shapes(source: str, namespace: dict | None = None) -> ShapeClasses:
    """The shape classes of ``source``'s core."""
    from s2sad.nodes import parameters

    _, node, found = operations(source, namespace)
    return ShapeClasses(parameters(node), found, node.body[:-1])


def shape_groups(classes: ShapeClasses) -> tuple[list[str], list[list[str]]]:
    """The names proven scalars at the end, and the other groups of names proven to have
    one shape (of two names or more), each sorted."""
    scalars = sorted(n for n, v in classes.final.items() if classes.is_scalar(v))
    groups: dict = {}
    for name, value in classes.final.items():
        if name not in scalars:
            groups.setdefault(classes._find(value), []).append(name)
    return scalars, sorted(sorted(g) for g in groups.values() if len(g) > 1)


def statements(source: str) -> list[gast.stmt]:
    """The statements of a snippet of (generated) code."""
    return gast.parse(textwrap.dedent(source)).body


def block_text(body: list[gast.stmt]) -> str:
    """The source of a list of statements."""
    return to_source(gast.Module(body=body, type_ignores=[]))


def optimized(source: str, wrt, mode: str, namespace: dict | None = None):
    """A derivative's definition after the optimizer alone (on the transform's output),
    and the number of rounds that changed it (the definition's ``prepared`` is its
    attribute ``prepared``)."""
    definition, ready = transformed(source, wrt, mode, True, namespace)
    local = {n.id for n in gast.walk(definition)
             if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}
    effects = effects_in(ready.namespace, local, getattr(definition, "stacks", set()),
                         keep_raising=mode != "reverse")
    rounds = optimize_definition(definition, effects, ready.namer)
    definition.prepared = ready
    return definition, rounds


def compiled(source: str, wrt, mode: str, namespace: dict | None = None):
    """The optimized derivative compiled (``compile_definition``), and its ``prepared``."""
    definition, _ = optimized(source, wrt, mode, namespace)
    ready = definition.prepared
    return compile_definition(definition, ready.parsed, ready.namespace), ready
