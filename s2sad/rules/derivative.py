"""An elementwise derivative written once gives both its rules.

``@derivative(np.tanh)`` on ``def tanh_x(ans, x): return 1.0 - ans * ans`` (``ans`` and
the primal's parameters, returning ``d = f'(x)``) registers two ordinary rule templates,
made from source text so that they are inlined like rules written by hand:

* the JVP ``tanh_x_dot(x_dot, ans, x)``: ``d * x_dot``;
* the VJP ``tanh_x(g, ans, x)``: ``g * conj(d)``.

The seeds are written where a hand writes them: the tangent after the derivative, as the
chain rule is written (``-np.sin(x) * x_dot``, ``2.0 * x * x_dot``); the adjoint's seed
first in a chain of products and quotients of a real rule (``x2 / r`` gives
``g * x2 / r``, but a quotient inside a product or after a minus is one factor:
``(2 / c) * e`` gives ``g * (2 / c) * e``), with a leading minus taken onto it
(``-np.sin(x)`` gives ``-g * conj(np.sin(x))``), after a number first in the product
(``2.0 * x`` gives ``2.0 * g * conj(x)``); a derivative ``1.0`` gives the seed itself.
A conditional derivative gives a conditional rule, branch by branch. Options:

* ``divide=True``: the function returns the denominator, ``x_dot / d`` and
  ``g / conj(d)``;
* ``conj=False`` (or ``@real_derivative``): real arguments only (``math``, most of
  ``scipy.special``), no ``conj``;
* a ``conj`` written in the derivative says where the VJP conjugates (where only part of
  ``d`` may be complex: ``conj(ans) * math.log(2.0)``); the JVP drops it;
* ``unbroadcast=True``: the VJP is summed back to the argument's shape,
  ``unbroadcast(g * conj(d), x1)``; ``broadcast=True``: the JVP is broadcast to the
  result's, ``broadcast_like(d * x_dot, ans)``.

The templates live in the module declaring the derivative, which gets the helpers they
call (``conj``, ``unbroadcast``, ``broadcast_like``) if it does not import them.

>>> import inspect, numpy as np
>>> registry = RuleRegistry()
>>> @derivative(np.arctan2, "x2", unbroadcast=True, registry=registry)
... def arctan2_x2(ans, x1, x2):
...     return -x1 / (x1 * x1 + x2 * x2)
>>> print(inspect.getsource(registry.vjp_rule(np.arctan2, "x2").template), end="")
def arctan2_x2(g, ans, x1, x2):
    return unbroadcast(-g * conj(x1 / (x1 * x1 + x2 * x2)), x2)
>>> print(inspect.getsource(registry.jvp_rule(np.arctan2, "x2").template), end="")
def arctan2_x2_dot(x2_dot, ans, x1, x2):
    return -x1 / (x1 * x1 + x2 * x2) * x2_dot
"""

from __future__ import annotations

import copy
import inspect
import linecache
import textwrap
from collections.abc import Callable
from typing import Any

import gast

from s2sad.emit import to_source
from s2sad.rules.registry import RULES, RuleRegistry


def derivative(function: Any, argument: int | str = 0, *, conj: bool = True,
               divide: bool = False, unbroadcast: bool = False, broadcast: bool = False,
               registry: RuleRegistry = RULES) -> Callable[[Callable], Callable]:
    """Decorator: register the VJP and the JVP of ``function`` in ``argument`` from one
    derivative. Returns the VJP template, which takes the derivative's name; the JVP's
    name is that name with ``_dot`` appended."""

    def register(written: Callable) -> Callable:
        definition = _definition(written)
        parameters = [a.id for a in definition.args.args + definition.args.kwonlyargs]
        name = parameters[1 + _index(parameters[1:], argument)]
        vjp_seed, jvp_seed = "g", f"{name}_dot"
        expression = definition.body[0].value
        names = set(parameters) | {n.id for n in gast.walk(expression)
                                   if isinstance(n, gast.Name)}
        for seed in (vjp_seed, jvp_seed):
            if seed in names:
                raise ValueError(f"{written.__name__}: {seed!r} would name the seed too")
        adjoint = _rule(expression, _load(vjp_seed), divide, "conj" if conj else None,
                        ("unbroadcast", name) if unbroadcast else None)
        tangent = _tangent(expression, _load(jvp_seed), divide,
                           ("broadcast_like", "ans") if broadcast else None)
        vjp = _template(written, definition, written.__name__, vjp_seed, adjoint)
        jvp = _template(written, definition, f"{written.__name__}_dot", jvp_seed, tangent)
        registry.vjp(function, name)(vjp)
        registry.jvp(function, name)(jvp)
        vjp.derivative = jvp.derivative = written
        return vjp

    return register


def real_derivative(function: Any, argument: int | str = 0, **options: Any):
    """:func:`derivative` of a function of real numbers only (``math``, most of
    ``scipy.special``): no ``conj`` in its VJP."""
    return derivative(function, argument, conj=False, **options)


def _definition(written: Callable) -> gast.FunctionDef:
    source = textwrap.dedent(inspect.getsource(written))
    definition = next(n for n in gast.walk(gast.parse(source))
                      if isinstance(n, gast.FunctionDef) and n.name == written.__name__)
    body = definition.body
    if len(body) != 1 or not isinstance(body[0], gast.Return) or body[0].value is None:
        raise ValueError(f"derivative {written.__name__} must be a single return")
    args = definition.args
    if (args.vararg or args.kwarg or args.posonlyargs or not args.args
            or args.args[0].id != "ans"):
        raise ValueError(f"derivative {written.__name__} takes (ans, <the primal's parameters>)")
    return definition


def _index(primal: list[str], argument: int | str) -> int:
    if argument in primal:
        return primal.index(argument)
    if isinstance(argument, int) and 0 <= argument < len(primal):
        return argument
    raise ValueError(f"no parameter {argument!r} among {primal}")


# ---- the two rules from one derivative ------------------------------------------------


def _rule(d: gast.expr, seed: gast.expr, divide: bool, conj: str | None,
          shape: tuple[str, str] | None) -> gast.expr:
    """``seed * d`` (``seed / d``), conjugating ``d`` if ``conj`` names the function, and
    then given to ``shape``'s helper with its argument if given (``unbroadcast``, ``x1``
    or ``broadcast_like``, ``ans``), branch by branch."""
    if isinstance(d, gast.IfExp):
        return gast.IfExp(test=d.test, body=_rule(d.body, seed, divide, conj, shape),
                          orelse=_rule(d.orelse, seed, divide, conj, shape))
    number, rest = (None, d) if divide else _leading_number(d)
    if number is not None and number.value == 1 and rest is None:  # the seed itself
        rule = seed
    elif number is not None:  # 2.0 * x gives 2.0 * x_dot * x and 2.0 * g * conj(x)
        seed = gast.BinOp(left=number, op=gast.Mult(), right=seed)
        if rest is None:
            rule = seed
        elif conj is None or _mentions_conj(rest):
            rule = _times(seed, rest if conj else _without_conj(rest))
        else:
            rule = gast.BinOp(left=seed, op=gast.Mult(), right=_call(conj, rest))
    elif conj is None or _mentions_conj(d):
        d = d if conj else _without_conj(d)
        if not divide:
            rule = _times(seed, d)
        else:
            negative, d = _sign(d)
            rule = gast.BinOp(left=_negate(seed) if negative else seed, op=gast.Div(), right=d)
    else:
        negative, d = _sign(d)
        rule = gast.BinOp(left=_negate(seed) if negative else seed,
                          op=gast.Div() if divide else gast.Mult(), right=_call(conj, d))
    return rule if shape is None else _call(shape[0], rule, _load(shape[1]))


def _tangent(d: gast.expr, seed: gast.expr, divide: bool,
             shape: tuple[str, str] | None) -> gast.expr:
    """``d * seed`` (``seed / d``), as the chain rule is written by hand: the derivative
    first (``2 * x * x_dot``, ``-np.sin(x) * x_dot``), then given to ``shape``'s helper
    with its argument if given, branch by branch."""
    if isinstance(d, gast.IfExp):
        return gast.IfExp(test=d.test, body=_tangent(d.body, seed, divide, shape),
                          orelse=_tangent(d.orelse, seed, divide, shape))
    d = _without_conj(d)
    if isinstance(d, gast.Constant) and type(d.value) in (int, float) and d.value == 1:
        rule = seed
    elif divide:
        negative, d = _sign(d)
        rule = gast.BinOp(left=_negate(seed) if negative else seed, op=gast.Div(), right=d)
    else:
        rule = gast.BinOp(left=d, op=gast.Mult(), right=seed)
    return rule if shape is None else _call(shape[0], rule, _load(shape[1]))


def _times(seed: gast.expr, d: gast.expr, whole: bool = True) -> gast.expr:
    """``seed * d`` with the seed first among ``d``'s factors: ``x2 / r`` gives
    ``seed * x2 / r``, but a quotient inside a product or after a minus is one factor
    (``(2 / c) * e`` gives ``seed * (2 / c) * e``, ``-(a / b)`` gives ``-seed * (a / b)``)."""
    if isinstance(d, gast.BinOp) and (isinstance(d.op, gast.Mult)
                                      or whole and isinstance(d.op, gast.Div)):
        return gast.BinOp(left=_times(seed, d.left, whole and isinstance(d.op, gast.Div)),
                          op=d.op, right=d.right)
    if isinstance(d, gast.UnaryOp) and isinstance(d.op, gast.USub):
        return _times(_negate(seed), d.operand, False)
    return gast.BinOp(left=seed, op=gast.Mult(), right=d)


def _leading_number(d: gast.expr) -> tuple[gast.Constant | None, gast.expr | None]:
    """The number first in ``d``'s product (or ``d`` itself), and the other factors."""
    if isinstance(d, gast.Constant) and type(d.value) in (int, float):
        return d, None
    if isinstance(d, gast.BinOp) and isinstance(d.op, gast.Mult):
        number, rest = _leading_number(d.left)
        if number is not None:
            return number, d.right if rest is None else gast.BinOp(
                left=rest, op=gast.Mult(), right=d.right)
    return None, d


def _sign(d: gast.expr) -> tuple[bool, gast.expr]:
    """Whether ``d`` starts with a minus, and ``d`` without it."""
    if isinstance(d, gast.UnaryOp) and isinstance(d.op, gast.USub):
        return True, d.operand
    if isinstance(d, gast.BinOp) and isinstance(d.op, (gast.Mult, gast.Div)):
        negative, left = _sign(d.left)
        if negative:
            return True, gast.BinOp(left=left, op=d.op, right=d.right)
    return False, d


def _mentions_conj(d: gast.expr) -> bool:
    return any(_is_conj(n) for n in gast.walk(d))


def _is_conj(node: gast.AST) -> bool:
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
            and node.func.id == "conj" and len(node.args) == 1 and not node.keywords)


class _DropConj(gast.NodeTransformer):
    def visit_Call(self, node: gast.Call) -> gast.expr:
        self.generic_visit(node)
        return node.args[0] if _is_conj(node) else node


def _without_conj(d: gast.expr) -> gast.expr:
    return _DropConj().visit(copy.deepcopy(d))


def _negate(e: gast.expr) -> gast.expr:
    return gast.UnaryOp(op=gast.USub(), operand=e)


def _call(name: str, *args: gast.expr) -> gast.Call:
    return gast.Call(func=_load(name), args=list(args), keywords=[])


def _load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _helpers() -> dict[str, Any]:
    """The runtime helpers the made templates call, by the names they call them."""
    from s2sad.runtime import broadcast_like, conj, unbroadcast

    return {"conj": conj, "unbroadcast": unbroadcast, "broadcast_like": broadcast_like}


# ---- a template from source text --------------------------------------------------------


def _template(written: Callable, definition: gast.FunctionDef, name: str, seed: str,
              body: gast.expr) -> Callable:
    """The rule ``name(seed, ans, ...)`` returning ``body``, compiled from source text
    registered in ``linecache`` in the module declaring the derivative."""
    module_globals = written.__globals__
    helpers = _helpers()
    for used in {n.id for n in gast.walk(body) if isinstance(n, gast.Name)} & set(helpers):
        if module_globals.setdefault(used, helpers[used]) is not helpers[used]:
            raise NameError(f"derivative {written.__name__}: {used} is another object here")
    arguments = gast.arguments(
        args=[gast.Name(id=seed, ctx=gast.Param(), annotation=None, type_comment=None),
              *definition.args.args], posonlyargs=[], vararg=None,
        kwonlyargs=definition.args.kwonlyargs, kw_defaults=definition.args.kw_defaults,
        kwarg=None, defaults=definition.args.defaults)
    rule = gast.FunctionDef(name=name, args=arguments, body=[gast.Return(value=body)],
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])
    source = to_source(rule).strip() + "\n"
    code = written.__code__
    filename = f"<rule {name} from {code.co_filename}:{code.co_firstlineno}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), module_globals)
    template = module_globals[name]
    template.__defaults__ = written.__defaults__
    template.__kwdefaults__ = written.__kwdefaults__
    return template
