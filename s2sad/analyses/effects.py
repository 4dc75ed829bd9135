"""What a statement of generated code reads and writes, and whether it has effects.

The optimizer moves and drops statements of the emitted derivative; it may do so only
where nothing but the values of names changes. An expression is *pure* when evaluating it
later, or not at all, changes nothing else: names, constants, arithmetic, indexing and
attribute reads, and calls of functions known to be pure (the NumPy and ``math`` functions
with derivative rules, s2sad's runtime helpers that only compute, a few builtins and
array methods). Calls of user functions, random functions and the runtime helpers that
update an array in place are not. A function of the user's with registered rules counts
as computing only: an unused call of it may be dropped. The tape's ``append`` and ``pop``
change the tape only, which no moved expression reads.

Only a function the rule registry knows can be pure: ``leaves_arguments_alone`` says
whether a call is known to write into none of its arguments, the fact the activity
analysis asks to decide which calls may write into the arrays they are given.

>>> import gast, math
>>> effects = Effects({"math": math}, stacks={"_tape"})
>>> parse = lambda text: gast.parse(text).body[0]
>>> effects.pure(parse("y = math.sin(x) * a[0]").value), effects.pure(parse("print(x)").value)
(True, False)
>>> pop = parse("a, b = _tape.pop()")
>>> sorted(Facts(pop).stores), effects.crossable_facts(pop, Facts(pop))
(['a', 'b'], True)
"""

from __future__ import annotations

import builtins
import functools
import inspect
import math
import types
from collections import Counter
from typing import Any

import gast
import numpy as np

from s2sad.nodes import is_comment
from s2sad.trees import walk

#: builtins that compute a value from their arguments and do nothing else
_PURE_BUILTINS = frozenset(getattr(builtins, name) for name in (
    "abs", "bool", "complex", "divmod", "float", "int", "isinstance", "len", "max", "min",
    "pow", "range", "round", "sum", "tuple"))
#: array (and ``RankOne``) methods that only compute
_PURE_METHODS = frozenset((
    "all", "any", "astype", "conj", "conjugate", "copy", "cumsum", "dense", "dot",
    "flatten", "max", "mean", "min", "prod", "ravel", "reshape", "squeeze", "sum",
    "swapaxes", "transpose"))
_UNKNOWN = object()
#: expressions that bind, suspend or run code of their own: never moved
_OPAQUE = (gast.Lambda, gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await,
           gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp, gast.Starred)
#: statements without blocks of their own
SIMPLE = (gast.Assign, gast.AugAssign, gast.Expr, gast.Return)


#: operators that raise on some Python numbers (``1.0 / 0.0``, ``0.0 ** -1``)
_RAISING_OPERATORS = (gast.Div, gast.FloorDiv, gast.Mod, gast.Pow)
def _non_negative(node: gast.expr) -> bool:
    """A constant exponent ``>= 0``: ``x ** 2`` raises on no number (but on overflow,
    which s2sad does not keep statements for)."""
    return type(node) is gast.Constant and isinstance(node.value, (int, float)) and \
        not isinstance(node.value, bool) and node.value >= 0


#: builtins that raise on some numbers (``int(nan)``, ``round(inf)``)
_RAISING_BUILTINS = frozenset((int, round, divmod, pow, float, complex))
#: ``math`` functions that never raise on a real number
_SAFE_MATH = frozenset(("atan", "atan2", "copysign", "degrees", "erf", "erfc", "fabs",
                        "hypot", "isclose", "isfinite", "isinf", "isnan", "radians", "tanh"))


def _impure_runtime() -> frozenset:
    from s2sad import runtime
    from s2sad.runtime import core, messages

    return frozenset([core.check_sequence, messages.raise_error, *(
        getattr(runtime, name) for name in (
            "RecordingTape", "accumulate_at", "batch_accumulate_at", "batch_setitem",
            "check_arguments", "check_scalar", "restore_part", "setitem_adjoint"))])


class Effects:
    """Purity of expressions in code whose free names ``resolve`` maps to objects.

    ``stacks`` are the names of tapes: lists of the derivative's own, touched only by
    ``append`` and ``pop``."""

    def __init__(self, resolve: dict[str, Any] | Any, stacks: set[str] = frozenset(),
                 local: set[str] = frozenset(), keep_raising: bool = True) -> None:
        self._resolve = resolve.get if isinstance(resolve, dict) else resolve
        self.stacks = frozenset(stacks)
        self._local = frozenset(local)
        self._impure = _impure_runtime()
        self._known: dict[int, bool] = {}
        #: statements that may raise are kept (see ``removable``)
        self.keep_raising = keep_raising

    def pure(self, node: gast.expr) -> bool:
        """Whether evaluating ``node`` later, or not at all, changes nothing but its value."""
        for child in walk(node):
            if isinstance(child, gast.Call):
                if not self._pure_call(child):
                    return False
            elif isinstance(child, _OPAQUE):
                return False
        return True

    def removable(self, facts: Facts) -> bool:
        """Whether a statement with these facts may be dropped when its value is unused:
        pure, and unable to raise (a ``math`` function out of its domain, a division by
        zero, ``int`` of NaN, a singular matrix): the derivative raises where the function
        does."""
        return self.pure_facts(facts) and not (self.keep_raising and (
            facts.arithmetic_raises or any(self._raising(call) for call in facts.calls)))

    def _raising(self, node: gast.Call) -> bool:
        value = self._object(node.func)
        if value is _UNKNOWN:
            return False  # not pure anyway, or a method of an array (which never raises)
        try:
            if value in _RAISING_BUILTINS:
                return True
        except TypeError:  # unhashable
            return True
        module = getattr(value, "__module__", None) or ""
        if module == "math":
            return getattr(value, "__name__", None) not in _SAFE_MATH
        return "linalg" in module

    def pure_facts(self, facts: Facts, skip: gast.Call | None = None) -> bool:
        """``pure`` for a statement's parts, from its :class:`Facts` (``skip``: a call
        known to be harmless)."""
        return not facts.opaque and all(c is skip or self._pure_call(c) for c in facts.calls)

    def crossable_facts(self, statement: gast.stmt, facts: Facts) -> bool:
        """Whether a pure expression may be evaluated after ``statement`` instead of
        before it, given it reads none of the names the statement writes: a plain
        assignment of a pure value, a push on a tape or a pop from it, or a pure value
        added to a name in place (``facts`` are the statement's)."""
        if is_comment(statement):
            return False
        if isinstance(statement, gast.Assign):
            if not all(plain_target(t) for t in statement.targets):
                return False
            pop = statement.value if self.stack_operation(statement.value) == "pop" else None
            return self.pure_facts(facts, skip=pop)
        if isinstance(statement, gast.Expr):
            return (self.stack_operation(statement.value) == "append"
                    and self.pure_facts(facts, skip=statement.value))
        # an adjoint added to in place (W_bar += ...) is an array no other name refers to
        return isinstance(statement, gast.AugAssign) and isinstance(statement.target,
                                                                     gast.Name) \
            and self.pure_facts(facts)

    def stack_operation(self, node: gast.expr) -> str | None:
        """``"append"`` or ``"pop"`` for a tape's ``T.append(v)`` or ``T.pop()``."""
        if (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
                and isinstance(node.func.value, gast.Name)
                and node.func.value.id in self.stacks
                and node.func.attr in ("append", "pop") and not node.keywords):
            return node.func.attr
        return None

    def _pure_call(self, node: gast.Call) -> bool:
        function = node.func
        if isinstance(function, gast.Attribute) and self._object(function.value) is _UNKNOWN:
            # a method of a local or computed value (an array's, if any), given no out
            return function.attr in _PURE_METHODS and not gives_out(
                getattr(np.ndarray, function.attr, None), node, method=True)
        value = self._object(function)
        if value is _UNKNOWN or gives_out(value, node):
            return False
        key = id(value)
        if key not in self._known:
            self._known[key] = self._pure_object(value)
        return self._known[key]

    def _object(self, node: gast.expr) -> Any:
        """The object a name or a module's attribute refers to, if it is known."""
        if isinstance(node, gast.Name):
            if node.id in self._local:
                return _UNKNOWN
            found = self._resolve(node.id, _UNKNOWN)
            if found is _UNKNOWN:
                found = getattr(builtins, node.id, _UNKNOWN)
            return found
        if isinstance(node, gast.Attribute):
            base = self._object(node.value)
            if isinstance(base, types.ModuleType):
                return getattr(base, node.attr, _UNKNOWN)
        return _UNKNOWN

    def _pure_object(self, value: Any) -> bool:
        from s2sad.rules import RULES

        try:
            if value in _PURE_BUILTINS:
                return True
            if value in self._impure:
                return False
        except TypeError:  # unhashable
            return False
        if not leaves_arguments_alone(value):
            return False
        rules = RULES.find(value)
        if rules is None:  # a built-in exception class: making one has no effect
            return True
        name = rules.name or ""
        if "random" in name or "random" in (getattr(value, "__module__", None) or ""):
            return False
        # a function without a derivative computes, unless it prints or checks something
        return not rules.nondifferentiable or name.startswith(_COMPUTING)


def gives_out(function: Any, node: gast.Call, method: bool = False) -> bool:
    """Whether the call ``node`` of ``function`` (an array method's, with ``method``) gives
    it an ``out`` to write its result into: by keyword, or by position
    (``np.cumsum(c, 0, None, z)``, ``c.cumsum(0, None, z)``, ``np.add(a, b, z)``)."""
    if any(k.arg == "out" for k in node.keywords):
        return True
    if isinstance(function, np.ufunc):
        return len(node.args) > function.nin
    try:
        position = _out_position(function, method)
    except TypeError:  # unhashable: read its signature each time
        position = _out_position.__wrapped__(function, method)
    return len(node.args) > position


@functools.lru_cache(maxsize=2048)
def _out_position(function: Any, method: bool) -> float:
    """How many positional arguments of ``function`` come before its ``out`` (infinity
    when it takes none; 0, or 1 for a plain function, when it has no signature to read:
    any positional argument may be ``out`` then). Reading a signature costs tens of
    microseconds, and analyses ask of every call they meet: the answer is kept."""
    parameters = _parameters(function)
    if parameters is None and method:  # ndarray.cumsum has none before NumPy 2.2:
        parameters = _parameters(getattr(np, getattr(function, "__name__", ""), None))
    if parameters is None:
        return 0 if method else 1
    if method:
        parameters = parameters[1:]  # self (np.cumsum's a, for ndarray.cumsum)
    positional = [p.name for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional.index("out") if "out" in positional else math.inf


def _parameters(function: Any) -> list[inspect.Parameter] | None:
    """``function``'s parameters, or None when it has no signature to read."""
    if function is None:
        return None
    try:
        return list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None


#: functions declared nondifferentiable that write into an argument all the same
_WRITING_NAMES = frozenset({"shuffle"})


def leaves_arguments_alone(function: Any) -> bool:
    """Whether calling ``function`` is known to write into none of the arrays and lists
    it is given: a builtin that only computes, or a function the rule registry knows
    (derivative rules or a nondifferentiable declaration; NumPy's writers, such as
    ``np.copyto`` or ``ndarray.sort``, have neither), or a built-in exception class. Any
    other call may write into each of its arguments."""
    from s2sad.rules import RULES

    try:
        if function in _PURE_BUILTINS:
            return True
    except TypeError:  # unhashable
        return False
    if isinstance(function, type) and issubclass(function, BaseException) and \
            function.__module__ == "builtins":  # raise ValueError(x): x only shown
        return True
    if RULES.find(function) is None:
        return False
    return getattr(function, "__name__", None) not in _WRITING_NAMES


#: where the nondifferentiable functions that only compute come from
_COMPUTING = ("math.", "numpy.", "operator.", "s2sad.runtime.", "s2sad.custom.")


def effects_in(namespace: Any, local: set[str], stacks: set[str] = frozenset(),
               keep_raising: bool = True) -> Effects:
    """The purity tests for code whose free names ``namespace`` binds (its own bindings,
    then the user's globals); ``local`` are the code's own variables; ``keep_raising``:
    statements that may raise stay (see ``Effects.removable``)."""
    bindings, user_globals = namespace.bindings, namespace.user_globals

    def resolve(name: str, default: Any) -> Any:
        return bindings[name] if name in bindings else user_globals.get(name, default)

    return Effects(resolve, stacks=stacks, local=local, keep_raising=keep_raising)


def plain_target(target: gast.expr) -> bool:
    """A name, or a tuple of names (nested): what an assignment binds without writing
    into an object."""
    if isinstance(target, gast.Name):
        return True
    return isinstance(target, gast.Tuple) and all(plain_target(e) for e in target.elts)


class Facts:
    """What one statement reads (``loads``; ``value_loads``: in the value a simple
    statement computes before it stores anything), binds (``stores``) and calls, from one
    walk over it."""

    __slots__ = ("loads", "value_loads", "stores", "calls", "opaque", "arithmetic_raises")

    def __init__(self, statement: gast.stmt) -> None:
        self.value_loads: Counter = Counter()
        self.stores: Counter = Counter()
        self.calls: list[gast.Call] = []
        self.opaque = False
        #: a division, modulo or power: raises on some Python numbers
        self.arithmetic_raises = False
        value = statement.value if isinstance(statement, SIMPLE) else None
        if value is not None:
            self._collect(value, self.value_loads)
            self.loads = Counter(self.value_loads)
            rest = [t for t in getattr(statement, "targets", [getattr(statement, "target",
                                                                          None)]) if t]
        else:
            self.loads = Counter()
            rest = [statement]
        for node in rest:
            self._collect(node, self.loads)
        if type(statement) is gast.AugAssign and type(statement.target) is gast.Name:
            self.loads[statement.target.id] += 1  # ``x += e`` reads x too

    def _collect(self, node: gast.AST, loads: Counter) -> None:
        stack = [node]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is gast.Name:
                if type(node.ctx) is gast.Load:
                    loads[node.id] += 1
                else:
                    self.stores[node.id] += 1
                continue
            if kind is gast.Call:
                self.calls.append(node)
            elif kind is gast.BinOp and isinstance(node.op, _RAISING_OPERATORS) and not (
                    type(node.op) is gast.Pow and _non_negative(node.right)):
                self.arithmetic_raises = True
            elif kind is gast.AugAssign and type(node.target) is gast.Name:
                loads[node.target.id] += 1
            elif kind in _OPAQUE:
                self.opaque = True
            for field in node._fields:
                child = getattr(node, field, None)
                if type(child) is list:
                    stack.extend(c for c in child if isinstance(c, gast.AST))
                elif isinstance(child, gast.AST):
                    stack.append(child)


#: compound statements: their facts are their header's and their blocks' together
_HEADERS = {gast.If: ("test",), gast.While: ("test",), gast.For: ("target", "iter")}


class FactsCache:
    """The :class:`Facts` of statements, each simple one walked once: a pass that changes
    a statement ``forget``s it. A loop's or a branch's facts are made of its header's and
    its statements', and made again when a statement in it changed, came or went (the
    passes change simple statements only, never a header)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[gast.stmt, Facts]] = {}  # the statement pins its id
        #: id of a compound statement -> (it, its statements' facts, those merged)
        self._blocks: dict[int, tuple[gast.stmt, list[Facts], Facts]] = {}

    def __call__(self, statement: gast.stmt) -> Facts:
        headers = _HEADERS.get(type(statement))
        if headers is not None:
            return self._compound(statement, headers)
        entry = self._known.get(id(statement))
        if entry is None:
            entry = self._known[id(statement)] = (statement, Facts(statement))
        return entry[1]

    def forget(self, statement: gast.stmt) -> None:
        self._known.pop(id(statement), None)
        self._blocks.pop(id(statement), None)

    def _compound(self, statement: gast.stmt, headers: tuple[str, ...]) -> Facts:
        inner = [self(child) for block in (statement.body, statement.orelse) for child in block]
        known = self._blocks.get(id(statement))
        if known is None or len(known[1]) != len(inner) or any(
                a is not b for a, b in zip(known[1], inner)):  # made again when one changed
            facts = Facts(gast.Pass())
            for field in headers:
                facts._collect(getattr(statement, field), facts.loads)
            for child in inner:
                facts.loads.update(child.loads)
                facts.stores.update(child.stores)
                facts.calls.extend(child.calls)
                facts.opaque |= child.opaque
                facts.arithmetic_raises |= child.arithmetic_raises
            known = self._blocks[id(statement)] = (statement, inner, facts)
        return known[2]


def nested_blocks(statement: gast.stmt) -> list[list[gast.stmt]]:
    """The statement lists inside ``statement`` (a loop's or a branch's body and else)."""
    return [inner for inner in (getattr(statement, "body", None),
                                getattr(statement, "orelse", None))
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt)]


def visit_nested(statements: list[gast.stmt], visit) -> bool:
    """Run ``visit`` on every block nested in ``statements`` (inner blocks first, each
    refilled if it emptied); whether any call changed something."""
    changed = False
    for statement in statements:
        if type(statement) in _WITH_BODY:
            for inner in nested_blocks(statement):
                changed |= visit(inner)
            refill(statement)
    return changed


#: the statements with blocks inside
_WITH_BODY = frozenset(kind for kind in vars(gast).values() if isinstance(kind, type)
                       and issubclass(kind, gast.stmt) and "body" in kind._fields)


def refill(statement: gast.stmt) -> None:
    """Give a body the passes emptied (of all but comments) a ``pass``, as Python needs
    one."""
    body = getattr(statement, "body", None)
    if isinstance(body, list) and all(is_comment(s) for s in body):
        body.append(gast.Pass())
