"""Operations: what each core statement computes, as a primal object and its bound arguments.

Python syntax maps onto the functions whose rules apply: ``a * b`` is
``operator.mul(a, b)``, ``x[i]`` is ``operator.getitem(x, i)``, ``x.T`` is the
``np.ndarray.T`` descriptor, ``x.sum(axis=0)`` is ``np.ndarray.sum(x, axis=0)``, and
``np.sin(x)`` is the live ``numpy.sin`` found through the user's namespace. Arguments are
bound to the rule's parameter names the way Python binds a call.
"""

from __future__ import annotations

import inspect
import operator
import types
from dataclasses import dataclass, field
from typing import Any

import gast
import numpy as np

from s2sad.errors import InternalRuleError, MissingRuleError
from s2sad.frontend import ParsedFunction, is_missing
from s2sad.function_values import ValueDerivatives
from s2sad.origin import PRIMAL_ATTRIBUTE, is_generated, user_function, user_origin
from s2sad.rules import RULES, RuleSet
from s2sad.rules.records import record_rules
from s2sad.runtime.fields import field as record_field
from s2sad.runtime.indexing import accumulate_at, setitem_adjoint
from s2sad.trees import copy_tree, names_in, walk

_BINARY = {
    gast.Add: operator.add,
    gast.Sub: operator.sub,
    gast.Mult: operator.mul,
    gast.Div: operator.truediv,
    gast.Pow: operator.pow,
    gast.MatMult: operator.matmul,
    gast.FloorDiv: operator.floordiv,
    gast.Mod: operator.mod,
    gast.LShift: operator.lshift,
    gast.RShift: operator.rshift,
    gast.BitOr: operator.or_,
    gast.BitAnd: operator.and_,
    gast.BitXor: operator.xor,
}
_UNARY = {
    gast.USub: operator.neg,
    gast.UAdd: operator.pos,
    gast.Not: operator.not_,
    gast.Invert: operator.invert,
}


@dataclass
class Operation:
    """One core statement's operation.

    ``kind`` is ``"copy"`` (``y = x``), ``"display"`` (``y = (a, b)``), ``"unpack"``
    (``a, b = t``), ``"setitem"`` (``x[i] = v``: operands ``x`` and ``v``, the index in
    ``arguments["index"]``), ``"append"`` (``xs.append(v)``: operands ``xs`` and ``v``),
    ``"pop"`` (``y = xs.pop()``: operand ``xs``), ``"accumulate"`` (generated code's
    ``accumulate_at(a_bar, b, g)``: operands ``a_bar`` and ``g``),
    ``"call"`` (a user's Python function, differentiated through its own source; for
    ``instance.method(...)``, ``operands`` holds the instance), ``"method"``
    (``obj.method(...)`` on a value: the method is found when called; ``operands`` holds
    ``obj``), ``"value"`` (``f(...)`` of a function held in a variable, differentiated
    by what it holds when called: ``operands`` holds ``f``), ``"apply"`` (a function with
    rules), ``"inactive"`` (no derivative flows:
    comparisons, nondifferentiable functions, shape queries) or ``"opaque"`` (a function
    without rules: an error if a derivative must flow through it).
    """

    kind: str
    statement: gast.stmt
    function: Any = None
    rules: RuleSet | None = None
    #: parameter name -> the atom (or index expression) bound to it
    arguments: dict[str, gast.expr] = field(default_factory=dict)
    #: for "display"/"copy"/"unpack": the atoms read
    operands: list[gast.expr] = field(default_factory=list)
    #: a "call" unpacking its arguments (``f(*t, **d)``): bound when it runs
    unpacking: bool = False

    def names_read(self) -> list[str]:
        """Names whose derivatives may flow into the result, in order."""
        if self.kind == "inactive":
            return []
        atoms = (
            self.operands
            if self.kind not in ("apply", "opaque", "call", "method", "value")
            else list(self.arguments.values())
        )
        if self.kind in ("method", "value"):  # the object too: a derivative through it is an error
            atoms = self.operands + atoms
        return names_in(atoms)


def appended_list(statement: gast.stmt) -> str | None:
    """``xs`` for the statement ``xs.append(v)``."""
    value = getattr(statement, "value", None)
    if isinstance(statement, gast.Expr) and isinstance(value, gast.Call) and \
            isinstance(value.func, gast.Attribute) and value.func.attr == "append" and \
            isinstance(value.func.value, gast.Name) and len(value.args) == 1 and \
            not value.keywords:
        return value.func.value.id
    return None


def popped_list(statement: gast.stmt) -> str | None:
    """``xs`` for the statement ``y = xs.pop()`` (a tape's last value taken back)."""
    value = getattr(statement, "value", None)
    if isinstance(statement, gast.Assign) and isinstance(statement.targets[0], gast.Name) \
            and isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) \
            and value.func.attr == "pop" and isinstance(value.func.value, gast.Name) \
            and not value.args and not value.keywords:
        return value.func.value.id
    return None


def taken_out_of(statement: gast.stmt, resolve: Any) -> str | None:
    """``a`` for generated code's ``g = setitem_adjoint(a, b, v)`` (which zeroes ``a[b]``)."""
    value = getattr(statement, "value", None)
    if isinstance(statement, gast.Assign) and isinstance(statement.targets[0], gast.Name) \
            and isinstance(value, gast.Call) and isinstance(value.func, gast.Name) \
            and len(value.args) == 3 and isinstance(value.args[0], gast.Name) \
            and not value.keywords and resolve(value.func.id) is setitem_adjoint:
        return value.args[0].id
    return None


def targets_of(statement: gast.stmt) -> list[str]:
    changed = getattr(statement, "changes_in_place", None)  # see OperationFinder.describe
    if changed is not None:
        return [changed]
    taken = getattr(statement, "takes_out_of", None)  # g, and a new value of a
    if taken is not None:
        return [statement.targets[0].id, taken]
    appended = appended_list(statement)
    if appended is not None:  # xs.append(v) makes a new value of xs
        return [appended]
    popped = popped_list(statement)
    if popped is not None:  # y = xs.pop(): y, and a new value of xs
        return [statement.targets[0].id, popped]
    if isinstance(statement, gast.Assign):
        target = statement.targets[0]
        if isinstance(target, gast.Name):
            return [target.id]
        if isinstance(target, gast.Subscript):  # an in-place write makes a new value of x
            return [target.value.id]
        return [e.id for e in target.elts]
    return []


class OperationFinder:
    """Describes each core statement of one parsed function."""

    def __init__(self, parsed: ParsedFunction, local_names: set[str],
                 mode: str = "reverse", complex_values: bool = False) -> None:
        self.parsed = parsed
        #: values may be complex: a function nondifferentiable for real values only
        #: (``np.sign``) gets the rules of its complex stand-in
        self.complex_values = complex_values
        self.locals = local_names
        #: the derivative being built: a user function with rules for the other mode only
        #: is differentiated through its source
        self.mode = mode
        #: the global names that called functions were found through, and what they held
        self.call_roots: dict[str, Any] = {}
        #: each path to a called object from a free name (global or closure variable,
        #: ``("mod", ("h",))`` for ``mod.h``), and the object it led to
        self.call_chains: dict[tuple[str, tuple[str, ...]], Any] = {}

    def describe(self, statement: gast.stmt) -> Operation:
        if popped_list(statement) is not None:
            return Operation("pop", statement, operands=[statement.value.func.value])
        if taken_out_of(statement, self.parsed.resolve) is not None and self.mode == "reverse":
            # generated code's g = setitem_adjoint(a_bar, b, v): a_bar[b] taken out, zeroed
            call = statement.value
            statement.takes_out_of = call.args[0].id
            return Operation("takeout", statement, operands=[call.args[0]],
                             arguments={"index": call.args[1]})
        if isinstance(statement, gast.Assign):
            value = statement.value
            target = statement.targets[0]
            if isinstance(target, gast.Subscript):
                return Operation("setitem", statement, operands=[target.value, value],
                                 arguments={"index": index_value(target.slice)})
            if not isinstance(target, gast.Name):
                if isinstance(value, gast.Call):
                    return self._expression(statement, value)
                return Operation("unpack", statement, operands=[value])
            return self._expression(statement, value)
        if isinstance(statement, gast.Expr):
            if appended_list(statement) is not None:
                return Operation("append", statement,
                                 operands=[statement.value.func.value, statement.value.args[0]])
            call = statement.value
            if (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)
                    and len(call.args) == 3 and isinstance(call.args[0], gast.Name)
                    and self.parsed.resolve(call.func.id) is accumulate_at):
                # generated code adding into an adjoint in place: a_bar[b] += g
                statement.changes_in_place = call.args[0].id
                return Operation("accumulate", statement, operands=[call.args[0], call.args[2]],
                                 arguments={"index": call.args[1]})
            return self._expression(statement, statement.value)
        return Operation("inactive", statement)

    def _expression(self, statement: gast.stmt, value: gast.expr) -> Operation:
        if isinstance(value, gast.Name):
            return Operation("copy", statement, operands=[value])
        if (
            isinstance(value, gast.Constant)
            or isinstance(value, gast.Tuple)
            and all(isinstance(e, gast.Constant) for e in value.elts)
        ):
            return Operation("inactive", statement)
        if isinstance(value, gast.Set) and all(isinstance(e, gast.Constant)
                                               for e in value.elts):
            return Operation("inactive", statement)  # {"a", "b"}: for membership tests
        if isinstance(value, (gast.Tuple, gast.List)):
            return Operation("display", statement, operands=list(value.elts))
        if isinstance(value, gast.Dict):  # the values; the keys are in the statement
            return Operation("display", statement, operands=list(value.values))
        if isinstance(value, gast.BinOp):
            return self._apply(statement, _BINARY[type(value.op)], [value.left, value.right], [])
        if isinstance(value, gast.UnaryOp):
            return self._apply(statement, _UNARY[type(value.op)], [value.operand], [])
        if isinstance(value, gast.Compare):
            return Operation("inactive", statement)
        if isinstance(value, gast.Subscript):
            return self._apply(
                statement, operator.getitem, [value.value, index_value(value.slice)], []
            )
        if isinstance(value, gast.Attribute):
            if self._is_global(value):
                return Operation("inactive", statement)
            descriptor = getattr(np.ndarray, value.attr, None)
            if descriptor is None:  # a field of a dataclass or a NamedTuple
                return self._apply(statement, record_field, [value.value, gast.Constant(
                    value=value.attr, kind=None)], [])
            return self._apply(statement, descriptor, [value.value], [])
        if isinstance(value, gast.Call):
            return self._call(statement, value)
        raise self.parsed.error(value, f"{type(value).__name__} is not supported")

    def _call(self, statement: gast.stmt, call: gast.Call) -> Operation:
        func = call.func
        if isinstance(func, gast.Attribute) and not self._is_global(func):
            descriptor = getattr(np.ndarray, func.attr, None)
            if descriptor is None:  # a method of the user's object: found when called
                return Operation("method", statement, None, None, _slots(call),
                                 operands=[func.value])
            return self._apply(
                statement, descriptor, [func.value, *call.args], call.keywords
            )
        if isinstance(func, gast.Name) and func.id in self.locals:  # found when called
            if any(isinstance(a, gast.Starred) for a in call.args) or any(
                    k.arg is None for k in call.keywords):
                raise self.parsed.error(
                    call, f"unpacking arguments (*t or **d) into {func.id!r}, a function "
                    "held in a variable, is not supported", "pass the arguments one by one")
            return Operation("value", statement, None, None, _slots(call), operands=[func])
        target = self.resolve(func)
        if isinstance(target, types.MethodType) and is_user_function(target.__func__) \
                and isinstance(func, gast.Attribute):  # instance.method(...): self first
            self._note_root(func, target)
            operation = self._user_call(statement, target.__func__, [func.value, *call.args],
                                        call.keywords)
            operation.operands = [func.value]
            return operation
        self._note_root(func, target)
        if isinstance(target, types.MethodType) and RULES.bound_stand_in(target) is not None:
            # rules taking the object first: dist.logpdf(x), or logpdf(x) for a global
            # logpdf = dist.logpdf (whose __self__ is dist)
            obj = func.value if isinstance(func, gast.Attribute) else gast.Attribute(
                value=copy_tree(func), attr="__self__", ctx=gast.Load())
            return self._apply(statement, target, [obj, *call.args], call.keywords)
        return self._apply(statement, target, list(call.args), call.keywords)

    def _note_root(self, func: gast.expr, target: Any) -> None:
        """Remember the global (or lifted) name a called function was found through, and
        the path to it from a free name."""
        root, attrs = func, []
        while isinstance(root, gast.Attribute):
            attrs.append(root.attr)
            root = root.value
        if root.id not in self.parsed.extra:
            self.call_chains[(root.id, tuple(reversed(attrs)))] = target
        if root.id in self.parsed.extra:  # a lifted nested function, a specialized copy
            self.call_roots[root.id] = self.parsed.extra[root.id]
            for copied, (chain, value) in self.parsed.specialized.items():
                if copied.partition(".")[0] == root.id:  # the function it copies, as reached
                    self.call_chains[chain] = value
        elif root.id not in self.parsed.closure and root.id in self.parsed.globals:
            self.call_roots[root.id] = self.parsed.globals[root.id]

    def resolve(self, node: gast.expr) -> Any:
        """The live object a global name or attribute chain refers to."""
        if isinstance(node, gast.Name):
            if node.id in self.locals:
                raise self.parsed.error(
                    node, "calling a function held in a variable of the function (computed, "
                    "taken from a container or passed as an argument) is not supported",
                    "call the function by the global name it is defined or imported under")
            value = self.parsed.resolve(node.id)
            if is_missing(value):
                raise self.parsed.error(
                    node,
                    f"name {node.id!r} is not defined",
                    "define or import it before differentiating",
                )
            return value
        if isinstance(node, gast.Attribute):
            base = self.resolve(node.value)
            try:
                return getattr(base, node.attr)
            except AttributeError:
                raise self.parsed.error(
                    node,
                    f"{node.attr!r} is not an attribute of {getattr(base, '__name__', base)!r}",
                ) from None
        raise self.parsed.error(
            node,
            "calling the result of an expression is not supported",
            "call a function by its name",
        )

    def _is_global(self, node: gast.expr) -> bool:
        while isinstance(node, gast.Attribute):
            node = node.value
        return isinstance(node, gast.Name) and node.id not in self.locals

    def _apply(
        self, statement, function, args, keywords
    ) -> Operation:
        rules = RULES.find(function) if function is not None else None
        if rules is None and isinstance(function, type):  # a dataclass or a NamedTuple
            rules = record_rules(function)
        if is_user_function(function) and (rules is None or not rules.nondifferentiable and not (
                rules.jvps or rules.linear if self.mode == "forward" else rules.vjps)):
            return self._user_call(statement, function, args, keywords)
        if rules is not None and rules.nondifferentiable and rules.complex_stand_in is not None \
                and self.complex_values:
            rules = RULES.find(rules.complex_stand_in)
        if isinstance(function, ValueDerivatives):
            # a derivative's look-up of the derivative of the function value it calls: the
            # function value passed on (a derivative reaching it makes what made it refused)
            return Operation("copy", statement, function, operands=[args[0]])
        if rules is not None and rules.nondifferentiable:
            return Operation("inactive", statement, function, rules)
        if rules is None or rules.signature is None:
            atoms = {f"arg{i}": a for i, a in enumerate(args)}
            atoms.update({k.arg: k.value for k in keywords})
            return Operation("opaque", statement, function, rules, atoms)
        arguments = self._bind(statement, rules.signature, rules.name, args, keywords,
                               "pass the arguments the function documents", function)
        return Operation("apply", statement, function, rules, arguments)

    def _user_call(self, statement, function, args, keywords) -> Operation:
        """A call of a Python function without rules: differentiated through its source.
        A call unpacking arguments (``f(*t, **d)``) is bound when it runs: its arguments
        are kept by slot (``"0"``, ``"*1"``, ``"=k"``, ``"**2"``)."""
        if any(isinstance(a, gast.Starred) for a in args) or any(k.arg is None
                                                                for k in keywords):
            slots: dict[str, gast.expr] = {}
            for i, a in enumerate(args):
                slots[f"*{i}" if isinstance(a, gast.Starred) else str(i)] = getattr(
                    a, "value", a) if isinstance(a, gast.Starred) else a
            for i, k in enumerate(keywords):
                slots[f"**{i}" if k.arg is None else f"={k.arg}"] = k.value
            operation = Operation("call", statement, function, None, slots)
            operation.unpacking = True
            return operation
        arguments = self._bind(statement, inspect.signature(function), function.__qualname__,
                               args, keywords, "pass the arguments the function takes")
        return Operation("call", statement, function, None, arguments)

    def _bind(self, statement, signature, name, args, keywords, hint,
              function: Any = None) -> dict[str, gast.expr]:
        """Parameter name -> argument atom, bound as Python binds the call (``*args`` as a
        tuple, ``**kwargs`` as a dict); ``signature`` is that of ``function``'s rules, if
        given."""
        if any(isinstance(a, gast.Starred) for a in args) or any(k.arg is None
                                                                for k in keywords):
            raise self.parsed.error(statement, f"unpacking arguments into {name} (*t or **d) "
                                    "is supported for calls of your own functions only",
                                    "pass the arguments one by one")
        try:
            bound = signature.bind(*args, **{k.arg: k.value for k in keywords})
        except TypeError as error:
            if _binds(function, args, keywords):  # the rules take less than the function
                raise self.parsed.error(
                    statement, f"s2sad's rules for {name} do not cover this call ({error})",
                    "leave that argument out where you can, or give the function rules "
                    "of your own (s2sad.register_vjp, s2sad.register_jvp)") from None
            raise self.parsed.error(statement, f"cannot bind the call to {name}: {error}",
                                    hint) from None
        arguments: dict[str, gast.expr] = {}
        for parameter, value in bound.arguments.items():
            kind = signature.parameters[parameter].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                value = gast.Tuple(elts=list(value), ctx=gast.Load())
            elif kind is inspect.Parameter.VAR_KEYWORD:
                value = gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in value],
                                  values=list(value.values()))
            arguments[parameter] = value
        return arguments


def _slots(call: gast.Call) -> dict[str, gast.expr]:
    """A call's arguments by slot: ``arg0``, ``arg1``, ... by position, then keywords."""
    arguments = {f"arg{i}": a for i, a in enumerate(call.args)}
    arguments.update({k.arg: k.value for k in call.keywords})
    return arguments


def is_user_function(function: Any) -> bool:
    """A Python function s2sad differentiates through its source (not NumPy's, SciPy's or
    s2sad's own), or a derivative s2sad generated from such a function."""
    if not isinstance(function, types.FunctionType):
        return False
    if hasattr(function, PRIMAL_ATTRIBUTE):
        return True
    module = getattr(function, "__module__", None) or ""
    return module.split(".")[0] not in ("numpy", "scipy", "s2sad")


#: Stands for NumPy in an index made into a value; the rule inliner gives it NumPy's name.
NUMPY_MARKER = "__s2sad_numpy__"


def index_value(index: gast.expr) -> gast.expr:
    """An index as an ordinary expression: ``x[1:, None]`` indexes with ``np.s_[1:, None]``;
    an index without slices is already one."""
    if not any(isinstance(n, gast.Slice) for n in walk(index)):
        return index
    numpy = gast.Name(id=NUMPY_MARKER, ctx=gast.Load(), annotation=None, type_comment=None)
    maker = gast.Attribute(value=numpy, attr="s_", ctx=gast.Load())
    return gast.Subscript(value=maker, slice=copy_tree(index), ctx=gast.Load())


def missing_rule(
    parsed: ParsedFunction, operation: Operation, mode: str, argument: str | None = None
) -> MissingRuleError:
    """The error for a derivative that must flow through a function without a rule."""
    function = operation.function
    node = operation.statement
    where = f"{parsed.filename}:{node.lineno}:{node.col_offset}"
    generated = is_generated(parsed.filename)
    origin = user_origin(parsed.function, node.lineno) if generated else None
    if origin is not None:
        where = f"{origin.filename}:{origin.lineno}"
    if function is None:
        value = operation.statement.value
        attr = getattr(value, "attr", None) or getattr(getattr(value, "func", None), "attr", "?")
        name = f"the attribute or method .{attr}"
    elif operation.rules is not None:
        name = operation.rules.name
    elif hasattr(function, "__qualname__") or hasattr(function, "__name__"):
        # (a ufunc has no __qualname__ before NumPy 2.2)
        from s2sad.rules.registry import qualified_name

        name = qualified_name(function)
    else:  # a callable object: name it as the user spelled it
        func = getattr(operation.statement.value, "func", None)
        name = func.id if isinstance(func, gast.Name) else type(function).__qualname__
    if type(function).__name__ == "UnpackedCall":  # in a derivative: f(*args, **kwargs)
        return MissingRuleError(name, mode, argument, where, hint=(
            "Derivatives of derivatives do not go through a call with * or ** arguments "
            "yet: pass the arguments one by one in the function differentiated"))
    user = user_function(parsed.function) if generated else None
    if generated and (_is_internal(function) or not _named_by(user, function)):
        return InternalRuleError(name, mode, argument, getattr(user, "__qualname__", "?"),
                                 None if origin is None else str(origin))
    return MissingRuleError(name, mode, argument, where)


def _named_by(user: Any, function: Any) -> bool:
    """Whether the user's function can name ``function`` (a name its code reads, or a
    global holding it): if not, it came from one of s2sad's rules."""
    code = getattr(user, "__code__", None)
    if code is None:
        return True
    names, stack = set(), [code]
    while stack:
        current = stack.pop()
        names |= set(current.co_names) | set(current.co_freevars)
        stack += [c for c in current.co_consts if isinstance(c, types.CodeType)]
    name = getattr(function, "__name__", None)
    return name in names or any(value is function
                                for value in getattr(user, "__globals__", {}).values())


def _is_internal(function: Any) -> bool:
    """Whether ``function`` is one of s2sad's own (a runtime helper generated code calls),
    not a derivative s2sad generated (which is the user's code, differentiated)."""
    if hasattr(function, PRIMAL_ATTRIBUTE):
        return False
    module = getattr(function, "__module__", None) or ""
    return module == "s2sad" or module.startswith("s2sad.")


def _binds(function: Any, args: list, keywords: list) -> bool:
    """Whether ``function``'s own signature, where it has one, takes the call."""
    try:
        inspect.signature(function).bind(*args, **{k.arg: k.value for k in keywords})
    except (TypeError, ValueError):
        return False
    return function is not None
