"""Rule templates: a rule function's ``return`` expression, with its parameters replaced.

A rule whose body is one ``return`` is inlined; any other rule is emitted as a call of
the rule function itself. Static parameters fold away: ``g if axis is None else ...``
with no ``axis`` given becomes ``g``; ``x ** (2 - 1)`` becomes ``x``.

>>> import math, gast
>>> from s2sad.namespace import Namespace
>>> def sin_x(g, ans, x):
...     return g * math.cos(x)
>>> name = lambda n: gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)
>>> from s2sad.naming import Namer
>>> inliner = TemplateInliner(Namespace({"math": math}, Namer(), set()))
>>> node = inliner.expand(sin_x, [name("y_bar"), name("y"), name("x")], {})
>>> from s2sad.emit import to_source
>>> to_source(gast.Expr(value=node)).strip()
'y_bar * math.cos(x)'
"""

from __future__ import annotations

import builtins
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import gast
import numpy as np

from s2sad.analyses.operations import NUMPY_MARKER
from s2sad.namespace import Namespace
from s2sad.nodes import load
from s2sad.runtime.rank_one import formed
from s2sad.simplify import simplify
from s2sad.trees import Transformer, copy_tree, walk

_parsed: dict[Callable, gast.FunctionDef] = {}


def template_definition(template: Callable) -> gast.FunctionDef | None:
    """The rule's definition (a ``lambda`` as a one-line ``def``), None without source."""
    if template not in _parsed:
        try:
            source = textwrap.dedent(inspect.getsource(template)).strip()
            module = gast.parse(source)
        except (OSError, TypeError, SyntaxError):
            _parsed[template] = None
            return None
        code = template.__code__
        params = code.co_varnames[: code.co_argcount]
        definition = next((n for n in walk(module) if isinstance(n, gast.FunctionDef)
                           and n.name == template.__name__), None)
        lambdas = [n for n in walk(module) if isinstance(n, gast.Lambda)
                   and tuple(a.id for a in n.args.args) == params]
        if definition is None and len(lambdas) == 1:
            definition = gast.FunctionDef(
                name=template.__name__, args=lambdas[0].args,
                body=[gast.Return(value=lambdas[0].body)], decorator_list=[], returns=None,
                type_comment=None, type_params=[])
        _parsed[template] = definition
    return _parsed[template]


_signatures: dict[Callable, list[inspect.Parameter]] = {}
#: (rule, same-shape parameters, differentiated, real only) -> its expression as inlined
_shaped: dict[tuple, gast.expr] = {}


def _parameters(template: Callable) -> list[inspect.Parameter]:
    """The rule's parameters, read from its signature once."""
    if template not in _signatures:
        _signatures[template] = list(inspect.signature(template).parameters.values())
    return _signatures[template]


def is_inlinable(template: Callable) -> bool:
    definition = template_definition(template)
    if definition is None:
        return False
    body = definition.body
    return len(body) == 1 and isinstance(body[0], gast.Return) and body[0].value is not None


def literal(value: Any) -> gast.expr | None:
    """A constant node for a literal value, or None if it is not one."""
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return gast.Constant(value=value, kind=None)
    if isinstance(value, tuple):
        elements = [literal(v) for v in value]
        if all(e is not None for e in elements):
            return gast.Tuple(elts=elements, ctx=gast.Load())
    return None


def _written_by_the_user(template: Callable) -> bool:
    """A rule registered by the user (not one of s2sad's, nor a transposition s2sad made)."""
    module = getattr(template, "__module__", None) or ""
    return module.split(".")[0] != "s2sad" and not getattr(template, "transposed", False)


class TemplateInliner:
    def __init__(self, namespace: Namespace) -> None:
        self.namespace = namespace
        #: the code computes only with real numbers: ``conj`` in rules is the identity
        self.real_only = False

    def expand(
        self,
        template: Callable,
        leading: list[gast.expr],
        arguments: dict[str, gast.expr],
        same_shape: frozenset[str] = frozenset(),
        differentiated: str | None = None,
    ) -> gast.expr:
        """The template applied to ``leading`` (seed, ans) and the bound ``arguments``.

        ``same_shape`` names the parameters whose arguments are known to have the result's
        shape: ``unbroadcast(e, x)`` for such an ``x`` is just ``e``, and so is
        ``broadcast_like(e, ans)`` in the rule of such a ``differentiated`` parameter.
        """
        params = _parameters(template)
        values: dict[str, gast.expr] = {}
        for param, node in zip(params, leading):
            values[param.name] = node
        if leading and _written_by_the_user(template):  # it sees arrays, never a RankOne
            values[params[0].name] = gast.Call(
                func=load(self.namespace.name_for(formed, "formed")),
                args=[leading[0]], keywords=[])
        for param in params[len(leading) :]:
            if param.name in arguments:
                values[param.name] = arguments[param.name]
            elif param.kind is inspect.Parameter.VAR_POSITIONAL:
                values[param.name] = gast.Tuple(elts=[], ctx=gast.Load())
            elif param.default is not inspect.Parameter.empty:
                default = self._value(param.default, f"_{param.name}_default")
                default.is_default = True
                default.default_value = param.default
                values[param.name] = default
            else:
                raise TypeError(f"rule {template.__name__} needs argument {param.name!r}")
        if not is_inlinable(template):
            return self._call(template, params, values)
        key = (template, same_shape, differentiated, self.real_only)
        if key not in _shaped:  # the template's expression without the shape no-ops
            _shaped[key] = _ShapeNoOps(template.__globals__, same_shape, differentiated,
                                       self.real_only).visit(
                copy_tree(template_definition(template).body[0].value))
        body = copy_tree(_shaped[key])
        expression = _Substitute(values, template.__globals__, self).visit(body)
        for node in walk(expression):
            if isinstance(node, gast.Name) and node.id == NUMPY_MARKER:
                node.id = self.namespace.name_for(np, "np")
        return simplify(_drop_default_keywords(expression, self.namespace.bindings),
                        reassociate=True)

    def _value(self, value: Any, name: str) -> gast.expr:
        node = literal(value)
        if node is not None:
            return node
        return load(self.namespace.name_for(value, name))

    def _call(self, template: Callable, params, values) -> gast.expr:
        args, keywords = [], []
        for param in params:
            node = values[param.name]
            if param.kind is inspect.Parameter.KEYWORD_ONLY:
                keywords.append(gast.keyword(arg=param.name, value=node))
            elif param.kind is inspect.Parameter.VAR_POSITIONAL:
                args.extend(node.elts)
            else:
                args.append(node)
        func = load(self.namespace.name_for(template, template.__name__))
        return gast.Call(func=func, args=args, keywords=keywords)

    def global_name(self, name: str, module_globals: dict[str, Any]) -> str:
        if name in module_globals:
            value = module_globals[name]
        elif hasattr(builtins, name):
            return name
        else:
            raise NameError(f"template uses undefined name {name!r}")
        return self.namespace.name_for(value, name)


class _ShapeNoOps(Transformer):
    """Drops ``unbroadcast``/``broadcast_like`` where the shapes are known to agree."""

    def __init__(self, module_globals, same_shape: frozenset[str], differentiated: str | None,
                 real_only: bool = False):
        from s2sad.runtime import broadcast_like, unbroadcast
        from s2sad.runtime.core import conj, real_adjoint

        self.real_only_identities = (conj, real_adjoint)  # no-ops on real values
        self.real_only = real_only
        self.module_globals = module_globals
        self.same_shape = same_shape
        self.differentiated = differentiated
        self.unbroadcast = unbroadcast
        self.broadcast_like = broadcast_like

    def visit_Call(self, node: gast.Call) -> gast.expr:
        self.generic_visit(node)
        func = node.func
        if not isinstance(func, gast.Name):
            return node
        target = self.module_globals.get(func.id)
        if self.real_only and target in self.real_only_identities and len(node.args) == 1:
            return node.args[0]
        if len(node.args) != 2:
            return node
        second = node.args[1]
        if (
            target is self.unbroadcast
            and isinstance(second, gast.Name)
            and second.id in self.same_shape
        ):
            return node.args[0]
        if target is self.broadcast_like and self.differentiated in self.same_shape:
            return node.args[0]
        return node




class _Substitute(Transformer):
    def __init__(
        self, values: dict[str, gast.expr], module_globals: dict[str, Any], inliner: TemplateInliner
    ) -> None:
        self.values = values
        self.module_globals = module_globals
        self.inliner = inliner

    def visit_Name(self, node: gast.Name) -> gast.expr:
        if node.id in self.values:
            return copy_tree(self.values[node.id])
        return load(self.inliner.global_name(node.id, self.module_globals))


def _drop_default_keywords(expression: gast.expr, bindings: dict[str, Any]) -> gast.expr:
    """``np.sum(g, axis=axis)`` with ``axis`` left at its default reads ``np.sum(g)``: a
    template passing its parameter on at the template's default. Only where the called
    function's own default for it is the same value: ``np.add.reduce``'s axis defaults to
    0, ``np.sum``'s to None."""
    for node in walk(expression):
        if isinstance(node, gast.Call):
            node.keywords = [k for k in node.keywords
                             if not (getattr(k.value, "is_default", False)
                                     and _callee_default_is(node.func, k.arg,
                                                            k.value.default_value, bindings))]
    return expression


def _callee_default_is(func: gast.expr, keyword: str | None, value: Any,
                       bindings: dict[str, Any]) -> bool:
    """Whether the function ``func`` names (through ``bindings``) gives ``keyword`` the
    default ``value`` (False when that cannot be told). NumPy's own sentinel default
    (``keepdims=<no value>``) stands for the documented default, which the templates
    mirror."""
    callee = _resolved(func, bindings)
    if callee is None or keyword is None:
        return False
    try:
        parameter = inspect.signature(callee).parameters.get(keyword)
    except (TypeError, ValueError):
        return False
    if parameter is None or parameter.default is inspect.Parameter.empty:
        return False
    default = parameter.default
    if default is getattr(np, "_NoValue", None):  # NumPy's "the documented default"
        return True
    try:
        return default is value or (type(default) is type(value) and bool(default == value))
    except Exception:  # an array default, say: not the same for sure
        return False


def _resolved(func: gast.expr, bindings: dict[str, Any]) -> Any:
    """The object ``func`` (a name or an attribute chain) stands for, or None."""
    if isinstance(func, gast.Name):
        return bindings.get(func.id)
    if isinstance(func, gast.Attribute):
        owner = _resolved(func.value, bindings)
        return None if owner is None else getattr(owner, func.attr, None)
    return None
