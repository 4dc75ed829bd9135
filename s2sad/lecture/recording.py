"""Run a function of real numbers through its source, one elementary operation at a time,
recording each as the lecture numbers it: inputs v_{1-m} ... v_0, intermediates v_1 ...
v_n, each with its operands, value and local partial derivatives.

The function's statements are interpreted over Python floats (assignments, ``if``,
``for`` over ``range``, ``while``, ``break``, ``continue``, ``return``), its expressions
split into the elementary operations of ``operations``; loops are unrolled, each row
naming its iteration. Anything else is refused at the user's line.
"""

from __future__ import annotations

import inspect
import math
import numbers
import operator
import types
from dataclasses import dataclass, field

import gast

from s2sad.errors import S2sadError
from s2sad.frontend import ParsedFunction, is_missing, parse_function
from s2sad.lecture.operations import BINARY, UNARY, Operation, operation_of

#: the most operations a trace records (a longer one would not be read)
MOST_OPERATIONS = 2000
#: the most passes of a while loop, and the deepest calls of the user's functions
MOST_PASSES = 10000
MOST_CALLS = 50

_BINARY_OPERATORS = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div",
                     gast.Pow: "pow"}
_COMPARISONS = {gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt,
                gast.GtE: operator.ge, gast.Eq: operator.eq, gast.NotEq: operator.ne}
_HINT = ("a trace follows scalar code: + - * / **, unary minus, math and NumPy functions of "
         "one real number (exp, log, sin, cos, tan, sqrt, tanh, ...), max and min of two, "
         "calls of your own such functions, if, for over range, while; use s2sad.grad or "
         "s2sad.source for other code")


@dataclass
class Variable:
    """v_index: an input (index <= 0) or the result of an elementary operation."""

    index: int
    #: its value (an input's as given: an integer stays one)
    value: float
    operation: Operation | None = None
    #: each operand: a Variable, or a constant number
    operands: tuple = ()
    #: d v_index / d operand, for each operand (None for a constant)
    partials: tuple = ()
    line: int | None = None
    iteration: str = ""
    #: the user's names this value was given (its parameter, for an input)
    names: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass
class Recording:
    """What one run of the function did, in the lecture's numbering."""

    function_name: str
    inputs: list[Variable]
    #: the intermediates v_1 ... v_n in the order they were computed
    intermediates: list[Variable]
    #: the returned value: a Variable, or a constant number
    output: object
    #: the parameters held constant (not inputs), with their values
    constants: dict[str, object] = field(default_factory=dict)

    @property
    def variables(self) -> list[Variable]:
        return self.inputs + self.intermediates

    @property
    def output_name(self) -> str:
        """What the trace calls the output: y, unless a parameter has that name."""
        taken = {v.names[0] for v in self.inputs} | set(self.constants)
        return next(name for name in ("y", "out", "result", "output_value")
                    if name not in taken)


class _Return(Exception):
    def __init__(self, value: object) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def value_of(atom: object) -> float:
    return atom.value if isinstance(atom, Variable) else atom


def record(function, args: tuple | None, wrt: tuple[str, ...] | None = None) -> Recording:
    """Run ``function(*args)`` through its source, recording its elementary operations;
    the parameters in ``wrt`` (all of them by default) are the inputs, numbered in the
    order of the parameters. Without ``args``,
    the operations of straight-line code without their values."""
    parsed = parse_function(function)
    symbolic = args is None
    if symbolic:
        args = (math.nan,) * len(inspect.signature(function).parameters)
    bound = inspect.signature(function).bind(*args)
    bound.apply_defaults()
    names = list(bound.arguments)
    wrt = tuple(names) if wrt is None else wrt
    for name in wrt:
        if name not in names:
            raise S2sadError(f"trace: {name!r} is not a parameter of {function.__name__} "
                             f"({', '.join(names)})")
    run = _Run(parsed, symbolic)
    environment: dict[str, object] = {}
    inputs, constants = [], {}
    first = 1 - len(wrt)
    for name, value in bound.arguments.items():
        _check_number(function, name, value)
        if name in wrt:
            variable = Variable(first + len(inputs), value, names=[name],
                                line=parsed.node.lineno)
            inputs.append(variable)
            environment[name] = variable
        else:
            environment[name] = value
            constants[name] = value
    output = run.body(parsed.node.body, environment)
    if output is None:
        raise parsed.error(parsed.node, f"{function.__name__} returns nothing here: a trace "
                           "follows a function returning a number")
    return Recording(function.__name__, inputs, run.intermediates, output, constants)


def _check_number(function, name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise S2sadError(
            f"trace: argument {name} of {function.__name__} is {type(value).__name__}, "
            "not a real number; the lecture's traces are of scalar functions (use "
            "s2sad.grad or s2sad.source for arrays)")


class _Run:
    """Interprets one function's statements, recording its elementary operations."""

    def __init__(self, parsed: ParsedFunction, symbolic: bool = False) -> None:
        self.parsed = parsed
        #: without arguments: the operations only, no values (nothing may depend on them)
        self.symbolic = symbolic
        self.intermediates: list[Variable] = []
        self.loops: list[str] = []
        self.line: int | None = None
        #: the user's functions being run, the outermost first
        self.calls: list[str] = []

    def decided(self, atom: object, node: gast.AST) -> object:
        """The value of ``atom`` where it decides what runs (a test, a loop's bounds)."""
        if self.symbolic and isinstance(atom, Variable):
            raise self.parsed.error(
                node, "without arguments, the operations cannot depend on the inputs' "
                "values, as they do here; give arguments")
        return value_of(atom)

    def refuse(self, node: gast.AST, what: str) -> Exception:
        return self.parsed.error(node, f"a trace cannot follow {what}", _HINT)

    # statements

    def body(self, statements: list[gast.stmt], environment: dict) -> object:
        try:
            self.block(statements, environment)
        except _Return as returned:
            return returned.value
        return None

    def block(self, statements: list[gast.stmt], environment: dict) -> None:
        for statement in statements:
            self.line = statement.lineno
            self.statement(statement, environment)

    def statement(self, node: gast.stmt, environment: dict) -> None:
        handler = getattr(self, f"do_{type(node).__name__}", None)
        if handler is None:
            raise self.refuse(node, f"a {type(node).__name__} statement")
        handler(node, environment)

    def do_Expr(self, node: gast.Expr, environment: dict) -> None:
        if not (isinstance(node.value, gast.Constant) and isinstance(node.value.value, str)):
            raise self.refuse(node, "an expression statement")

    def do_Pass(self, node: gast.Pass, environment: dict) -> None:
        pass

    def do_Assign(self, node: gast.Assign, environment: dict) -> None:
        value = self.expression(node.value, environment)
        for target in node.targets:
            self.assign(target, value, node, environment)

    def do_AnnAssign(self, node: gast.AnnAssign, environment: dict) -> None:
        if node.value is not None:
            self.assign(node.target, self.expression(node.value, environment), node,
                        environment)

    def do_AugAssign(self, node: gast.AugAssign, environment: dict) -> None:
        if not isinstance(node.target, gast.Name):
            raise self.refuse(node.target, "an augmented assignment to anything but a name")
        current = self.name(node.target, environment)
        value = self.binary(node, node.op, current, self.expression(node.value, environment))
        self.assign(node.target, value, node, environment)

    def assign(self, target: gast.expr, value: object, node: gast.AST,
               environment: dict) -> None:
        if isinstance(target, gast.Name):
            environment[target.id] = value
            if isinstance(value, Variable) and target.id not in value.names:
                value.names.append(target.id)
            return
        if isinstance(target, (gast.Tuple, gast.List)) and isinstance(value, tuple) \
                and len(value) == len(target.elts):
            for part, item in zip(target.elts, value):
                self.assign(part, item, node, environment)
            return
        raise self.refuse(target, "an assignment to anything but names")

    def do_Return(self, node: gast.Return, environment: dict) -> None:
        if node.value is None:
            raise self.refuse(node, "a function returning nothing")
        value = self.expression(node.value, environment)
        if isinstance(value, tuple):
            raise self.refuse(node.value, "several outputs (trace one at a time)")
        raise _Return(value)

    def do_If(self, node: gast.If, environment: dict) -> None:
        test = self.decided(self.expression(node.test, environment), node.test)
        chosen = node.body if test else node.orelse
        self.block(chosen, environment)

    def do_For(self, node: gast.For, environment: dict) -> None:
        if not isinstance(node.target, gast.Name):
            raise self.refuse(node.target, "a loop variable that is not a name")
        for item in self.range_of(node.iter, environment):
            environment[node.target.id] = item
            if self.one_pass(node, environment, f"{node.target.id} = {item}"):
                return
        self.block(node.orelse, environment)

    def do_While(self, node: gast.While, environment: dict) -> None:
        count = 0
        while self.decided(self.expression(node.test, environment), node.test):
            count += 1
            if count > MOST_PASSES:
                raise self.refuse(node, f"a while loop running more than {MOST_PASSES} times")
            if self.one_pass(node, environment, f"while pass {count}"):
                return
        self.block(node.orelse, environment)

    def one_pass(self, loop: gast.For | gast.While, environment: dict, named: str) -> bool:
        """Run the loop's body once, the pass ``named`` in the rows; whether it broke out."""
        self.loops.append(named)
        try:
            self.block(loop.body, environment)
        except _Break:
            return True
        except _Continue:
            pass
        finally:
            self.loops.pop()
        return False

    def do_Break(self, node: gast.Break, environment: dict) -> None:
        raise _Break

    def do_Continue(self, node: gast.Continue, environment: dict) -> None:
        raise _Continue

    def range_of(self, node: gast.expr, environment: dict) -> range:
        if not (isinstance(node, gast.Call) and self.callee(node.func, environment) is range
                and not node.keywords):
            raise self.refuse(node, "a loop over anything but range(...)")
        bounds = [self.decided(self.expression(arg, environment), arg) for arg in node.args]
        try:
            return range(*bounds)
        except (TypeError, ValueError) as error:  # as the function itself raises
            raise self.parsed.error(node, f"the function raises here: {error}") from None

    # expressions

    def expression(self, node: gast.expr, environment: dict) -> object:
        handler = getattr(self, f"on_{type(node).__name__}", None)
        if handler is None:
            kind = type(node).__name__
            raise self.refuse(node, _EXPRESSIONS.get(kind, f"a {kind} expression"))
        return handler(node, environment)

    def on_Constant(self, node: gast.Constant, environment: dict) -> object:
        if isinstance(node.value, bool) or not isinstance(node.value, numbers.Real):
            if isinstance(node.value, bool):
                return node.value
            raise self.refuse(node, f"the constant {node.value!r}")
        return node.value

    def on_Name(self, node: gast.Name, environment: dict) -> object:
        return self.name(node, environment)

    def name(self, node: gast.Name, environment: dict) -> object:
        if node.id in environment:
            return environment[node.id]
        value = self.parsed.resolve(node.id)
        if is_missing(value):
            raise self.parsed.error(node, f"{node.id} is not defined")
        if isinstance(value, numbers.Real):
            return value
        raise self.refuse(node, f"the value of {node.id} (a {type(value).__name__})")

    def on_Attribute(self, node: gast.Attribute, environment: dict) -> object:
        """A module's number (``math.pi``, ``np.e``), a constant."""
        if isinstance(node.value, gast.Name) and node.value.id not in environment:
            base = self.parsed.resolve(node.value.id)
            value = getattr(base, node.attr, None) if inspect.ismodule(base) else None
            if isinstance(value, numbers.Real) and not isinstance(value, bool):
                return value
        raise self.refuse(node, "an attribute")

    def on_Tuple(self, node: gast.Tuple, environment: dict) -> object:
        return tuple(self.expression(item, environment) for item in node.elts)

    def on_BinOp(self, node: gast.BinOp, environment: dict) -> object:
        left = self.expression(node.left, environment)
        right = self.expression(node.right, environment)
        return self.binary(node, node.op, left, right)

    def binary(self, node: gast.AST, op: gast.operator, left: object, right: object) -> object:
        name = _BINARY_OPERATORS.get(type(op))
        if name is None:
            if not isinstance(left, Variable) and not isinstance(right, Variable):
                return _CONSTANT_OPERATORS[type(op)](left, right) \
                    if type(op) in _CONSTANT_OPERATORS else self._no_operator(node, op)
            return self._no_operator(node, op)
        return self.apply(node, BINARY[name], (left, right))

    def _no_operator(self, node: gast.AST, op: gast.operator) -> object:
        raise self.refuse(node, f"the operator {type(op).__name__}")

    def on_UnaryOp(self, node: gast.UnaryOp, environment: dict) -> object:
        operand = self.expression(node.operand, environment)
        if isinstance(node.op, gast.UAdd):
            return operand
        if isinstance(node.op, gast.Not):
            return not self.decided(operand, node)
        if isinstance(node.op, gast.USub):
            return self.apply(node, UNARY["neg"], (operand,))
        raise self.refuse(node, f"the operator {type(node.op).__name__}")

    def on_Compare(self, node: gast.Compare, environment: dict) -> object:
        left = self.decided(self.expression(node.left, environment), node.left)
        for op, right_node in zip(node.ops, node.comparators):
            compare = _COMPARISONS.get(type(op))
            if compare is None:
                raise self.refuse(node, f"the comparison {type(op).__name__}")
            right = self.decided(self.expression(right_node, environment), right_node)
            if not compare(left, right):
                return False
            left = right
        return True

    def on_BoolOp(self, node: gast.BoolOp, environment: dict) -> object:
        is_and = isinstance(node.op, gast.And)
        value = None
        for item in node.values:
            value = self.expression(item, environment)
            if bool(self.decided(value, item)) != is_and:
                return value
        return value

    def on_IfExp(self, node: gast.IfExp, environment: dict) -> object:
        test = self.decided(self.expression(node.test, environment), node.test)
        return self.expression(node.body if test else node.orelse, environment)

    def on_Call(self, node: gast.Call, environment: dict) -> object:
        function = self.callee(node.func, environment)
        if node.keywords or any(isinstance(a, gast.Starred) for a in node.args):
            raise self.refuse(node, "a call with keyword or starred arguments")
        args = tuple(self.expression(arg, environment) for arg in node.args)
        if function in (float, int) and len(args) == 1:
            if function is int:
                if isinstance(args[0], Variable):  # piecewise constant: no derivative
                    return int(self.decided(args[0], node))
            return args[0] if isinstance(args[0], Variable) else function(args[0])
        operation = operation_of(function)
        if operation is None and isinstance(function, types.FunctionType):
            return self.inlined(node, function, args)
        if operation is None or operation.arity != len(args):
            shown = getattr(function, "__name__", type(function).__name__)
            raise self.refuse(node, f"a call of {shown}")
        return self.apply(node, operation, args, function)

    def inlined(self, node: gast.Call, function: types.FunctionType, args: tuple) -> object:
        """The result of a call of the user's own function, its operations recorded in the
        trace as the caller's are (each naming the function)."""
        if len(self.calls) >= MOST_CALLS:
            raise self.refuse(node, f"calls nested more than {MOST_CALLS} deep")
        try:
            bound = inspect.signature(function).bind(*args)
        except TypeError as error:
            raise self.parsed.error(node, f"the call raises here: {error}") from None
        bound.apply_defaults()
        callee = _Run(parse_function(function), self.symbolic)
        callee.intermediates, callee.loops = self.intermediates, self.loops
        callee.calls = self.calls + [function.__name__]
        self.loops.append(f"in {function.__name__}")
        try:
            result = callee.body(callee.parsed.node.body, dict(bound.arguments))
        finally:
            self.loops.pop()
        if result is None:
            raise self.refuse(node, f"a call of {function.__name__}, which returns nothing")
        return result

    def callee(self, node: gast.expr, environment: dict) -> object:
        """The live object a call's function expression names (``math.log``, ``np.exp``,
        ``sqrt``), or the refusal."""
        if isinstance(node, gast.Name) and node.id in environment:
            raise self.refuse(node, f"a call of the local variable {node.id}")
        if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) \
                and node.value.id in environment:
            raise self.refuse(node, f"the method {node.attr} of a number")
        if isinstance(node, gast.Name):
            value = self.parsed.resolve(node.id)
            if is_missing(value):
                raise self.parsed.error(node, f"{node.id} is not defined")
            return value
        if isinstance(node, gast.Attribute):
            base = self.callee(node.value, environment)
            if not inspect.ismodule(base) or not hasattr(base, node.attr):
                raise self.refuse(node, "a method call")
            return getattr(base, node.attr)
        raise self.refuse(node, "a call of a computed function")

    def apply(self, node: gast.AST, operation: Operation, operands: tuple,
              function=None) -> object:
        """The result of ``operation`` (computed by ``function``, the one the code calls,
        when given) on ``operands``: a new v_i when one of them is a variable, else a
        constant."""
        for operand in operands:
            if isinstance(operand, tuple) or not isinstance(
                    value_of(operand), numbers.Real):
                raise self.refuse(node, f"{operation.name} of a {type(operand).__name__}")
        active = any(isinstance(o, Variable) for o in operands)
        if self.symbolic and active:
            return self.new_variable(node, operation, operands, math.nan,
                                     (math.nan,) * len(operands))
        values = [value_of(o) for o in operands]
        try:
            result = (function or operation.evaluate)(*values)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
            raise self.parsed.error(node, f"the function raises here: {error}") from error
        if not isinstance(result, numbers.Real):
            raise self.parsed.error(node, f"{operation.name} gives {result!r} here, not a "
                                    "real number")
        if not active:
            return result
        result = float(result)
        values = [float(v) for v in values]
        try:
            partials = operation.partials(*values, result)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            partials = (math.nan,) * len(values)
        if not all(math.isfinite(p) for p, o in zip(partials, operands)
                   if isinstance(o, Variable)):
            raise self.parsed.error(
                node, f"{operation.name} has no finite derivative at "
                f"{', '.join(f'{v:g}' for v in values)}")
        return self.new_variable(node, operation, operands, result, partials)

    def new_variable(self, node: gast.AST, operation: Operation, operands: tuple,
                     result: float, partials: tuple) -> Variable:
        if len(self.intermediates) >= MOST_OPERATIONS:
            raise self.refuse(node, f"more than {MOST_OPERATIONS} elementary operations")
        variable = Variable(
            len(self.intermediates) + 1, result, operation, tuple(operands),
            tuple(p if isinstance(o, Variable) else None for p, o in zip(partials, operands)),
            getattr(node, "lineno", self.line), ", ".join(self.loops))
        self.intermediates.append(variable)
        return variable


_EXPRESSIONS = {"Subscript": "indexing", "List": "a list",
                "Dict": "a dict", "ListComp": "a comprehension",
                "GeneratorExp": "a generator", "Lambda": "a lambda"}
_CONSTANT_OPERATORS = {gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod}
