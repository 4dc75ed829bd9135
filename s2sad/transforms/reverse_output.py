"""What an adjoint function takes and gives besides the sweeps.

``grad``'s checks (the arguments are plain arrays and numbers; the output a real scalar),
the output kept aside from the reverse sweep's restores when the adjoint returns it too,
and the parameter taking the output's adjoint.
"""

from __future__ import annotations

import gast

from s2sad.analyses.prepared import Prepared
from s2sad.nodes import assign, call, load, parameters, tuple_of
from s2sad.trees import copy_tree, walk


def argument_check(prepared: Prepared, late_check: str | None) -> gast.stmt:
    """``check_arguments('f', ('x', ...), x, ...)``: no ``np.matrix``, no object arrays;
    given ``late_check``, the name of the function, which it runs to check the output."""
    names = parameters(prepared.core)
    checked = call(
        prepared.runtime("check_arguments"),
        gast.Constant(value=prepared.parsed.name, kind=None),
        gast.Tuple(elts=[gast.Constant(value=n, kind=None) for n in names], ctx=gast.Load()),
        *[load(n) for n in names])
    if late_check is not None:
        checked.keywords.append(gast.keyword(arg="function", value=load(late_check)))
    return gast.Expr(value=checked)


def with_seed(arguments: gast.arguments, seed_name: str | None,
              default: float | None = 1.0) -> gast.arguments:
    """A copy of the primal's ``arguments`` with the output's adjoint ``seed_name`` last
    (keyword-only after ``*args`` or keyword-only parameters), ``default`` by default;
    ``None``: ``grad``, whose output adjoint is the constant 1."""
    args = copy_tree(arguments)
    if seed_name is None:
        return args
    seed_param = gast.Name(id=seed_name, ctx=gast.Param(), annotation=None, type_comment=None)
    if args.kwonlyargs or args.vararg:
        args.kwonlyargs.append(seed_param)
        args.kw_defaults.append(gast.Constant(value=default, kind=None))
    else:
        args.args.append(seed_param)
        args.defaults.append(gast.Constant(value=default, kind=None))
    return args


def recomputation_check(prepared: Prepared, returned: gast.expr, seen: str) -> gast.stmt:
    """``check_recomputed(y, seen, "f (file:line)")``: the forward sweep's result, computed
    again for a caller's derivative, is what the caller's forward sweep got."""
    where = recomputed_where(prepared.parsed)
    return gast.Expr(value=call(prepared.runtime("check_recomputed"), copy_tree(returned),
                                load(seen), gast.Constant(value=where, kind=None)))


def recomputed_where(parsed) -> str:
    """``"file:line: f"``, the function a caller's adjoint runs again, for messages."""
    where = f"{parsed.filename}:{parsed.node.lineno}: {parsed.function.__qualname__}"
    reached = parsed.globals.get("_s2sad_function")  # a call function: what it calls
    code = getattr(reached, "__code__", None)
    if parsed.filename.startswith("<call of a function value") and code is not None:
        where = f"{code.co_filename}:{code.co_firstlineno}: {reached.__qualname__}"
    return where


def keep_output(prepared: Prepared, returned: gast.expr, restored: set[str],
                forward: list[gast.stmt]) -> gast.expr:
    """The output, read after the reverse sweep has restored overwritten variables: when
    one of its names is restored, the forward sweep keeps the final value aside first."""
    if not any(isinstance(n, gast.Name) and n.id in restored for n in walk(returned)):
        return returned
    kept = prepared.namer.fresh("_out")
    changed_in_place = {op.operands[0].id for op in prepared.operations
                        if op.kind in ("setitem", "append", "pop")} & restored

    def kept_value(atom: gast.expr) -> gast.expr:
        if isinstance(atom, gast.Name) and atom.id in changed_in_place:
            # the reverse sweep restores it in place: keep a copy
            method = gast.Attribute(value=load(atom.id), attr="copy", ctx=gast.Load())
            return gast.Call(func=method, args=[], keywords=[])
        return copy_tree(atom)

    value = (tuple_of([kept_value(e) for e in returned.elts])
             if isinstance(returned, gast.Tuple) else kept_value(returned))
    forward.append(assign(kept, value))
    return load(kept)


def output_check(prepared: Prepared, returned: gast.expr, forward: list[gast.stmt]) -> str | None:
    """``grad``'s check that the output is a real scalar. An active output that is a
    scalar by construction (a full reduction) of operations that keep real values real
    can only be complex when an argument is: then ``check_arguments`` runs the function
    itself on copies of complex arguments to check its output, and the forward sweep
    need not compute it (``np.sum(x ** 2)`` for the gradient ``2 x``); the generated
    code's name for the function, then. Otherwise the check reads the output (appended
    to ``forward``)."""
    args = prepared.core.args
    plain_signature = args.vararg is None and not args.posonlyargs and args.kwarg is None
    if isinstance(returned, gast.Name) and returned.id in prepared.active and \
            _surely_scalar(prepared, returned) and plain_signature and prepared.keeps_real and \
            prepared.parsed.function.__name__ == prepared.parsed.name:
        return prepared.namespace.name_for(prepared.parsed.function, prepared.parsed.name)
    check = call(prepared.runtime("check_scalar"), copy_tree(returned),
                 gast.Constant(value=prepared.parsed.name, kind=None))
    forward.append(gast.Expr(value=check))
    return None

def _surely_scalar(prepared: Prepared, returned: gast.expr) -> bool:
    """The output is a scalar by construction (a math function, a full reduction)."""
    value = prepared.shapes.final.get(returned.id) if isinstance(returned, gast.Name) else None
    return value is not None and prepared.shapes.is_scalar(value)
