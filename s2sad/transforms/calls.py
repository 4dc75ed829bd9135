"""Calls of the user's own Python functions: each callee is differentiated from its own
source, for the arguments that carry derivatives at the call (one derivative per activity
pattern, cached like any other), and the caller's derivative calls it.

Forward mode replaces ``y = helper(a, b)`` by ``y, y_dot = helper_tangent(a, b,
a_dot=a_dot)``. Reverse mode keeps the primal call in the forward sweep and calls the
callee's adjoint, which recomputes the callee's own forward sweep, in the reverse sweep:
``_t1_bar = helper_adjoint(a, b, y_bar=y_bar)`` gives a tuple of the active arguments'
adjoints. Calls that carry no derivative call ``helper_primal``: the callee compiled with
its calls bound, like every derivative. A callee still being transformed (recursion) is
reached through a ``LazyDerivative`` that builds it on its first call.
"""

from __future__ import annotations

import copy
import inspect

import gast

from s2sad.analyses.mutation import check_callee_writes
from s2sad.analyses.operations import Operation
from s2sad.analyses.prepared import Prepared
from s2sad.callees import LazyDerivative, MethodDerivative, UnpackedCall
from s2sad.errors import S2sadError
from s2sad.function_values import ValueDerivatives, extra_names
from s2sad.nodes import assign, call, load, tuple_of
from s2sad.origin import is_generated, is_library, user_origin
from s2sad.recomputation import (
    PURE,
    Recomputation,
    attribute_readers,
    method_recomputation,
    recomputation,
    unknown_callee,
)
from s2sad.request import Request
from s2sad.trees import copy_tree, walk


def active_parameters(prepared: Prepared, operation: Operation, carries) -> list[str]:
    """The callee's parameters whose arguments carry a derivative, in its own order (for a
    method found when called: the call's argument slots, ``arg0``, ..., or keywords)."""
    return [name for name, atom in operation.arguments.items()
            if any(isinstance(n, gast.Name) and carries(n) for n in _names(atom))]


def _names(atom: gast.expr) -> list[gast.expr]:
    """An argument's names: itself, or the items bound to ``*args`` or ``**kwargs``."""
    if isinstance(atom, gast.Tuple):
        return list(atom.elts)
    if isinstance(atom, gast.Dict):
        return list(atom.values)
    return [atom]


def _call_arguments(operation: Operation) -> list[gast.expr]:
    """The positional arguments of the callee: the instance first for a bound method."""
    primal = operation.statement.value
    instance = [copy_tree(operation.operands[0])] if operation.operands else []
    return instance + [copy_tree(a) for a in primal.args]


def _stem(function) -> str:
    """The start of the names of a callee's derivatives: its name, ``lambda`` for one."""
    name = function.__name__
    return name if name.isidentifier() else "lambda"


def derivative_suffix(mode: str) -> str:
    """How a derivative of ``f`` is named: ``f_tangent``, ``f_tangents``, ``f_adjoint``."""
    return {"forward": "tangent", "vector": "tangents"}.get(mode, "adjoint")


def derivative_call(prepared: Prepared, operation: Operation, mode: str, active: list[str],
                    extra_values: list[gast.expr], checked: bool = False) -> gast.Call:
    """The call of the callee's derivative with the primal call's own arguments, and the
    tangents (``mode="forward"``) or the output adjoint (``"reverse"``) added; ``checked``:
    the callee's adjoint that checks its recomputation against the forward sweep's result,
    the last of ``extra_values``."""
    derivatives = prepared.derivatives
    if operation.kind == "method":
        return _method_call(prepared, operation, mode, active, extra_values, checked)
    if operation.kind == "value":
        return _value_call(prepared, operation, mode, active, extra_values, checked)
    if operation.unpacking:  # f(*t, **d): bound when it runs
        primal = Request("primal", ())
        proof = (derivatives.derivative(operation.function, primal).proof
                 if mode == "reverse" and not derivatives.in_progress(operation.function, primal)
                 else None)
        stub = UnpackedCall(operation.function, mode, tuple(operation.arguments),
                            tuple(active), derivatives, proof, checked)
        name = prepared.namespace.name_for(
            stub, f"{_stem(operation.function)}_{derivative_suffix(mode)}")
        values = tuple_of([copy_tree(a) for a in operation.arguments.values()])
        return gast.Call(func=load(name), args=[values, tuple_of(extra_values)], keywords=[])
    function = operation.function
    request = Request(mode, tuple(active), wrt_tuple=True, result="checked" if checked else "")
    suffix = derivative_suffix(mode)
    if set(active) != set(inspect.signature(function).parameters):  # named after its wrt
        suffix += "_" + "_".join(active)
    namespace = prepared.namespace
    primal = operation.statement.value
    if derivatives.in_progress(function, request):  # recursion: built on its first call
        stub = LazyDerivative(function, request, derivatives)
        name = namespace.name_for(stub, f"{_stem(function)}_{suffix}")
        return gast.Call(func=load(name), args=[
            tuple_of(_call_arguments(operation)), _keywords(primal), tuple_of(extra_values)],
            keywords=[])
    generated = _built(prepared, operation, request)
    name = namespace.name_for(generated.function, f"{_stem(function)}_{suffix}")
    keywords = [copy_tree(k) for k in primal.keywords]
    keywords += [gast.keyword(arg=p, value=v)
                 for p, v in zip(generated.extra_parameters, extra_values)]
    return gast.Call(func=load(name), args=_call_arguments(operation), keywords=keywords)


def primal_call(prepared: Prepared, operation: Operation) -> gast.stmt:
    """``y = helper(a)`` calling the callee as it was when this derivative was built (its
    own calls bound the same way), not whatever its globals hold now: a derivative never
    pairs one version of a function's values with another's derivatives."""
    function = operation.function
    request = Request("primal", ())
    statement = copy.copy(operation.statement)
    statement.value = copy.copy(statement.value)
    if prepared.derivatives.in_progress(function, request):  # recursion: when called
        stub = LazyDerivative(function, request, prepared.derivatives)
        statement.value = gast.Call(func=load(prepared.namespace.name_for(
            stub, f"{_stem(function)}_primal")), args=[
            tuple_of(_call_arguments(operation)), _keywords(statement.value),
            tuple_of([])], keywords=[])
        return statement
    generated = _built(prepared, operation, request)
    name = prepared.namespace.name_for(generated.function, f"{_stem(function)}_primal")
    statement.value.func = load(name)
    statement.value.args = _call_arguments(operation)
    return statement


def _keywords(call: gast.Call) -> gast.Dict:
    """A call's keyword arguments as a dict display, for a stub."""
    return gast.Dict(keys=[gast.Constant(value=k.arg, kind=None) for k in call.keywords],
                     values=[copy_tree(k.value) for k in call.keywords])


def _method_call(prepared: Prepared, operation: Operation, mode: str, active: list[str],
                 extra_values: list[gast.expr], checked: bool = False) -> gast.Call:
    """``obj.method(a, b)``: ``stub(obj, (a, b), {}, extras)``, the stub finding the method of
    ``obj``'s class when called and differentiating it for the active argument slots."""
    instance = operation.operands[0]
    if any(isinstance(n, gast.Name) and n.id in prepared.active for n in walk(instance)):
        raise prepared.parsed.error(
            operation.statement, "a derivative with respect to an object whose method is "
            "called is not supported", "pass the arrays the method uses as arguments")
    primal = operation.statement.value
    stub = MethodDerivative(primal.func.attr, mode, tuple(active), prepared.derivatives,
                            ValueDerivatives, checked)
    name = prepared.namespace.name_for(stub, f"{primal.func.attr}_{derivative_suffix(mode)}")
    keywords = gast.Dict(keys=[gast.Constant(value=k.arg, kind=None) for k in primal.keywords],
                         values=[copy_tree(k.value) for k in primal.keywords])
    return gast.Call(func=load(name), args=[
        copy_tree(instance), tuple_of([copy_tree(a) for a in primal.args]), keywords,
        tuple_of(extra_values)], keywords=[])


def _value_call(prepared: Prepared, operation: Operation, mode: str, active: list[str],
                extra_values: list[gast.expr], checked: bool = False) -> gast.Call:
    """``f(a, b, k=c)`` of a function value: ``f_adjoint_of(f)(a, b, c, g)``, the
    stand-in giving the derivative for what ``f`` holds when called."""
    function = operation.operands[0]
    primal = operation.statement.value
    keywords = tuple(k.arg for k in primal.keywords)
    stub = ValueDerivatives(mode, len(primal.args), keywords, tuple(active),
                            prepared.derivatives, _call_site(prepared, primal, function.id),
                            checked)
    stem = function.id.lstrip("_") if not function.id.startswith("_t") else "function"
    name = prepared.namespace.name_for(stub, f"{stem or 'function'}_{derivative_suffix(mode)}_of")
    found = gast.Call(func=load(name), args=[copy_tree(function)], keywords=[])
    arguments = [copy_tree(a) for a in primal.args] + [copy_tree(k.value)
                                                       for k in primal.keywords]
    if mode == "reverse":  # the output's adjoint by position: no name to collide with
        return gast.Call(func=found, args=arguments + extra_values, keywords=[])
    extras = [gast.keyword(arg=p, value=v)
              for p, v in zip(extra_names(mode, tuple(active)), extra_values)]
    return gast.Call(func=found, args=arguments, keywords=extras)


def _call_site(prepared: Prepared, call: gast.Call, variable: str) -> str:
    """Where the user's code calls the function held in ``variable``: the file, line and
    column (in a derivative, the user's line it comes from)."""
    parsed = prepared.parsed
    lineno = getattr(call, "lineno", None) or getattr(prepared.parsed.node, "lineno", 0)
    where = f"{parsed.filename}:{lineno}:{getattr(call, 'col_offset', 0)}"
    if is_generated(parsed.filename):
        origin = user_origin(parsed.function, lineno)
        where = f"{parsed.filename}:{lineno}" if origin is None else f"{origin.filename}:" \
            f"{origin.lineno}"
        return f"{where} (a call in the derivative of {parsed.function.__qualname__})"
    return f"{where} ({variable}(...) in {parsed.function.__qualname__})"


def _built(prepared: Prepared, operation: Operation, request):
    """The callee's derivative for ``request``, recorded as one this code depends on; a
    callee that writes into an argument of the caller is an error at the call."""
    function = operation.function
    try:
        generated = prepared.derivatives.derivative(function, request)
    except S2sadError as error:
        if not is_library(function):
            raise
        raise prepared.parsed.error(  # located at the user's call, not inside the library
            operation.statement, f"s2sad cannot differentiate the library function "
            f"{getattr(function, '__module__', '?')}.{function.__qualname__} through its "
            f"source ({str(error).splitlines()[0]})", "give it a rule (s2sad.register_vjp, "
            "s2sad.register_jvp) or compute the value with NumPy") from error
    check_callee_writes(prepared.parsed, operation, generated)
    prepared.namespace.depends.append((generated, function))
    return generated


def recomputed_callee(prepared: Prepared, operation: Operation) -> Recomputation:
    """What the callee of a user function's call may do differently when its adjoint runs
    it again (``recomputation.py``): a method or function value is found only when called,
    and its stand-in checks what it finds."""
    where = f"line {getattr(operation.statement, 'lineno', '?')} of {prepared.parsed.filename}"
    if operation.kind == "method":
        return method_recomputation(operation.statement.value.func.attr, where)
    if operation.kind == "value":
        return unknown_callee(f"a call of a function value at {where}")
    if operation.kind != "call" or operation.function is None:
        return PURE
    found = recomputation(operation.function, _instance_type(prepared, operation))
    if not found.differs and _changed_by_the_caller(prepared, operation):
        return unknown_callee(f"an object whose attributes it reads, given at {where}, "
                              "and changed by the caller's methods")
    return found


def _changed_by_the_caller(prepared: Prepared, operation: Operation) -> bool:
    """Whether the callee reads attributes of an object the caller also hands to a method
    or function found when called (which may change them before the reverse sweep)."""
    readers = attribute_readers(operation.function)
    given = {operation.arguments[p].id for p in readers
             if isinstance(operation.arguments.get(p), gast.Name)}
    if not given:
        return False
    for other in prepared.operations:
        if other.kind in ("method", "value", "opaque") and any(
                isinstance(n, gast.Name) and n.id in given for atom in
                [*other.operands, *other.arguments.values()] for n in walk(atom)):
            return True
    return False


def _instance_type(prepared: Prepared, operation: Operation) -> type | None:
    """For ``instance.method(...)`` of a global instance, the instance's class."""
    if not operation.operands:
        return None
    node, attributes = operation.operands[0], []
    while isinstance(node, gast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return None
    value = prepared.parsed.resolve(node.id)
    for attribute in reversed(attributes):
        value = getattr(value, attribute, None)
    return type(value)


def forward_result(operation: Operation) -> gast.expr:
    """What the call's forward sweep got: its target (a tuple of its targets)."""
    target = operation.statement.targets[0]
    if isinstance(target, gast.Tuple):
        return tuple_of([load(t.id) for t in target.elts])
    return load(target.id)


def kept_states(prepared: Prepared, operation: Operation, recomputed: Recomputation,
                stack: str) -> gast.stmt:
    """``stack.append(random_states("arguments", (), a, b))``: the random states the
    callee may draw from, kept before the forward sweep's call."""
    primal = operation.statement.value
    stem = _stem(operation.function) if operation.kind == "call" else (
        primal.func.attr if operation.kind == "method" else "function")
    held = tuple_of([load(prepared.namespace.name_for(g, _global_name(
        prepared, g) or f"{stem}_generator")) for g in recomputed.held])
    given = _call_arguments(operation) if operation.kind == "call" else [
        copy_tree(a) for a in [*operation.operands, *primal.args]]  # the object, a value
    arguments = given + [copy_tree(k.value) for k in primal.keywords]
    kept = call(prepared.runtime("random_states"),
                gast.Constant(value=recomputed.sources, kind=None), held, *arguments)
    push = gast.Attribute(value=load(stack), attr="append", ctx=gast.Load())
    return gast.Expr(value=gast.Call(func=push, args=[kept], keywords=[]))


def _global_name(prepared: Prepared, value) -> str | None:
    """A global name of the caller's module that holds ``value``, if any."""
    return next((name for name, held in sorted(prepared.parsed.globals.items(),
                                               key=lambda item: item[0])
                 if held is value and not name.startswith("_")), None)


def replayed(prepared: Prepared, stack: str, adjoint: gast.stmt) -> list[gast.stmt]:
    """The callee's adjoint ``adjoint`` run with the random states kept before the forward
    sweep's call, which are then set back as they were."""
    now = prepared.namer.fresh("_states_now")
    pop = gast.Call(func=gast.Attribute(value=load(stack), attr="pop", ctx=gast.Load()),
                    args=[], keywords=[])
    return [assign(now, call(prepared.runtime("replay_states"), pop)), adjoint,
            gast.Expr(value=call(prepared.runtime("put_back_states"), load(now)))]
