"""Front end: from a live Python function to its parsed ``gast`` definition.

The parsed tree keeps the user's file name, line numbers and columns, so every later
error can point into the user's source. Names are resolved to live objects through the
function's closure cells, its globals and the builtins, so derivative rules are found
by object (``np.sin``, ``numpy.sin`` and ``from numpy import sin as s`` are one thing).
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import linecache
import textwrap
import types
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gast

from s2sad.class_scope import resolve_class_scope
from s2sad.deferred import resolved
from s2sad.errors import SourceUnavailableError, UnsupportedSyntaxError
from s2sad.lambda_source import lambda_text
from s2sad.origin import is_generated, user_function, user_origin
from s2sad.trees import walk

_MISSING = object()


@dataclass
class ParsedFunction:
    """A user function's definition, where it came from, and what its names mean."""

    function: types.FunctionType
    node: gast.FunctionDef
    filename: str
    #: The user's whole file (or as much as is known), for error messages.
    lines: list[str]
    globals: dict[str, Any]
    closure: dict[str, types.CellType] = field(default_factory=dict)
    #: names the function's own transformation defined (its lifted nested functions)
    extra: dict[str, Any] = field(default_factory=dict)
    #: for the names of ``extra`` bound to specialized copies of functions reached from a
    #: free name (keyed ``name.`` and ``name.__code__``, ``.__defaults__``,
    #: ``.__kwdefaults__``): the path to the function (or that attribute), and what it led to
    specialized: dict[str, tuple[tuple[str, tuple[str, ...]], Any]] = field(
        default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name

    def error(
        self, node: gast.AST, message: str, hint: str | None = None
    ) -> UnsupportedSyntaxError:
        """An ``UnsupportedSyntaxError`` pointing at ``node`` in the user's file (for
        generated code, a derivative differentiated again, at the user's statement it
        comes from)."""
        lineno = getattr(node, "lineno", None) or self.node.lineno
        col = getattr(node, "col_offset", 0) or 0
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else None
        if is_generated(self.filename):
            return _derivative_limit(self.function, lineno, message) or \
                UnsupportedSyntaxError(message, self.filename, lineno, col, line, hint)
        return UnsupportedSyntaxError(message, self.filename, lineno, col, line, hint)

    def source_of(self, node: gast.AST) -> str:
        """The user's text of a statement, on one line."""
        first, last = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        if not 0 < first <= len(self.lines):
            return ""
        chunk = self.lines[first - 1 : last]
        if len(chunk) == 1:
            end = getattr(node, "end_col_offset", None)
            text = chunk[0][node.col_offset : end]
        else:
            text = " ".join(line.strip() for line in chunk)
        return " ".join(text.split())

    def resolve(self, name: str) -> Any:
        """The live object a free name of the function refers to, or ``_MISSING``."""
        return resolve_name(name, self.extra, self.closure, self.globals)

    def resolver(self) -> Callable[[str], Any]:
        """``resolve``, holding the function's scopes but not the function."""
        return functools.partial(resolve_name, extra=self.extra, closure=self.closure,
                                 scope=self.globals)


def is_missing(value: Any) -> bool:
    return value is _MISSING


#: functions made from a part of a user's source (lifted nested functions) -> their parse
_MADE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_made(function: Any) -> bool:
    """Whether ``function`` was made from a part of another's source (a lifted function)."""
    return function in _MADE


def register_made(function: Any, parsed: ParsedFunction) -> None:
    """Parse ``function`` (made from a part of a user's source) as ``parsed``."""
    _MADE[function] = parsed


def _definition_node(function: types.FunctionType, dedented: str, filename: str,
                     first_line: int) -> gast.AST:
    """The definition of ``function`` (a ``def`` or a ``lambda``) in its dedented source
    lines, or a ``SourceUnavailableError`` saying why it cannot be read alone."""
    code = function.__code__
    try:
        module = parse(dedented)
    except SyntaxError:
        # A lambda in the middle of an expression: parse just enough around it.
        piece = lambda_text(dedented, code) if function.__name__ == "<lambda>" else None
        try:
            module = parse(piece or dedented.strip().rstrip(",").rstrip("\\"))
        except SyntaxError as error:
            raise SourceUnavailableError(
                f"cannot read the definition of {function.__qualname__} alone from its "
                f"source ({filename}, line {first_line}); give it a line (or a def) of its "
                "own") from error
    node = _find_definition(module, function)
    if node is None and function.__name__ == "<lambda>":
        piece = lambda_text(dedented, code)  # one of several lambdas: the one whose code
        if piece is not None:                # it is
            node = _find_definition(parse(piece), function)
    if node is None:
        lambdas = sum(isinstance(n, gast.Lambda) for n in walk(module))
        why = (f"; that line has {lambdas} lambdas, give the one to differentiate a line (or a "
               "def) of its own" if function.__name__ == "<lambda>" and lambdas > 1 else "")
        raise SourceUnavailableError(
            f"cannot find the definition of {function.__qualname__} in its source "
            f"({filename}, line {first_line}){why}"
        )
    return node


def parse_function(function: Any) -> ParsedFunction:
    """Parse ``function``'s source into a ``gast.FunctionDef`` with the user's positions."""
    if function in _MADE:
        return _MADE[function]
    if hasattr(function, "_request") and hasattr(function, "_function"):
        # a derivative built on its first call (s2sad.grad's wrapper): build it now, so
        # that its own error shows, and differentiate the generated code
        return parse_function(function._function())
    if not isinstance(function, types.FunctionType):
        raise SourceUnavailableError(_not_python_function(function))
    code = function.__code__
    filename = code.co_filename
    try:
        lines, first_line = inspect.getsourcelines(function.__code__)  # not __wrapped__
    except (OSError, TypeError) as error:
        raise SourceUnavailableError(
            f"cannot read the source of {function.__qualname__} (defined in {filename}): "
            f"{error}. s2sad differentiates Python source, so define the function in a file "
            f"(or a notebook cell) rather than at a bare interactive prompt"
        ) from error
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    indent = _indent_removed(text, dedented)
    node = _definition_node(function, dedented, filename, first_line)
    for child in walk(node):
        if hasattr(child, "lineno") and child.lineno is not None:
            child.lineno += first_line - 1
            if getattr(child, "end_lineno", None) is not None:
                child.end_lineno += first_line - 1
            if getattr(child, "col_offset", None) is not None:
                child.col_offset += indent
            if getattr(child, "end_col_offset", None) is not None:
                child.end_col_offset += indent
    node.decorator_list = []
    all_lines = linecache.getlines(filename, function.__globals__) or lines
    closure = {}
    if function.__closure__:
        closure = dict(zip(code.co_freevars, function.__closure__))
    parsed = ParsedFunction(
        function, node, filename, [l.rstrip("\n") for l in all_lines], function.__globals__, closure
    )
    resolve_class_scope(parsed)  # private names mangled, super() given its arguments
    return parsed


def parse(source: str) -> gast.Module:
    """``gast.parse`` with a faster conversion from Python's ``ast`` (the same tree)."""
    return to_gast(ast.parse(source))


def to_gast(node):
    """The gast tree of a Python ``ast`` tree, as ``gast.ast_to_gast`` makes it: each node
    as the gast class of its name, the fields gast adds None (``type_params`` empty),
    parameters and an exception's name as names, positions kept."""
    if type(node) is list:
        return [to_gast(item) for item in node]
    if not isinstance(node, ast.AST):
        return node
    kind = type(node)
    if kind is ast.arg:
        new = gast.Name(id=node.arg, ctx=gast.Param(), annotation=to_gast(node.annotation),
                        type_comment=node.type_comment)
    elif kind is ast.ExceptHandler and node.name:
        new = gast.ExceptHandler(type=to_gast(node.type), body=to_gast(node.body),
                                 name=gast.Name(node.name, gast.Store(), None, None))
    else:
        found = _GAST_FIELDS.get(kind)
        if found is None:
            target = getattr(gast, kind.__name__, None)
            if target is None:
                return None  # not part of gast's tree
            fields = [(f, f in kind._fields) for f in target._fields]
            found = _GAST_FIELDS[kind] = (target, fields)
        target, fields = found
        new = target(**{field: to_gast(getattr(node, field, None)) if present
                        else [] if field == "type_params" else None
                        for field, present in fields})
    for attribute in node._attributes:
        value = getattr(node, attribute, _MISSING)
        if value is not _MISSING:
            setattr(new, attribute, value)
    return new


_GAST_FIELDS: dict[type, tuple[type, list[tuple[str, bool]]]] = {}


def _not_python_function(function: Any) -> str:
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", repr(function))
    if callable(function):
        return (
            f"{name} is not a Python function (it is a {type(function).__name__}, e.g. a "
            f"C function or a callable object), so it has no source to differentiate; give "
            f"it a rule with s2sad.register_vjp / s2sad.register_jvp, or differentiate a "
            f"Python function that calls it"
        )
    return f"{name!r} is not callable"


def _indent_removed(text: str, dedented: str) -> int:
    for original, stripped in zip(text.splitlines(), dedented.splitlines()):
        if stripped.strip():
            return len(original) - len(stripped)
    return 0


def _find_definition(module: gast.Module, function: types.FunctionType) -> gast.FunctionDef | None:
    name = function.__code__.co_name  # the source is found by the code object
    for node in walk(module):
        if isinstance(node, gast.FunctionDef) and node.name == name:
            return node
    if name == "<lambda>":
        return _lambda_as_definition(module, function)
    return None


def _lambda_as_definition(
    module: gast.Module, function: types.FunctionType
) -> gast.FunctionDef | None:
    """``f = lambda x: x * x`` becomes ``def f(x): return x * x``."""
    params = function.__code__.co_varnames[: function.__code__.co_argcount]
    found = [
        node
        for node in walk(module)
        if isinstance(node, gast.Lambda) and tuple(a.id for a in node.args.args) == params
    ]
    if len(found) != 1:
        return None
    lam = found[0]
    body = gast.Return(value=lam.body)
    gast.copy_location(body, lam.body)
    definition = gast.FunctionDef(
        name="lambda_",
        args=lam.args,
        body=[body],
        decorator_list=[],
        returns=None,
        type_comment=None,
        type_params=[],
    )
    return gast.copy_location(definition, lam)


def functions_from_definitions(definitions: dict[str, gast.FunctionDef],
                               within: ParsedFunction) -> dict[str, Any]:
    """Live functions for ``definitions``, parts of ``within``'s source (nested functions,
    lifted): the same globals, each parsed as that part of the user's file, and reaching
    the others by name (through closure cells, as nested functions do)."""
    from s2sad.emit import to_source

    cells = {name: types.CellType() for name in definitions}
    functions: dict[str, Any] = {}
    scope: dict[str, Any] = dict(within.extra)  # what they reach by name, themselves too
    for name, definition in definitions.items():
        defaults = []
        for node in definition.args.defaults:
            try:
                defaults.append(ast.literal_eval(to_source(gast.Expr(value=node)).strip()))
            except ValueError:
                raise within.error(node, "a nested function's default values must be "
                                   "constants", "pass the value at the call instead") from None
        factory = f"def __s2sad_factory__():\n    {', '.join(cells)} = {', '.join(cells)}\n"
        text = factory + textwrap.indent(to_source(definition), "    ")
        code = compile(text, f"<s2sad {within.name}.{name}>", "exec")
        outer = next(c for c in code.co_consts if isinstance(c, types.CodeType))
        body = next(c for c in outer.co_consts if isinstance(c, types.CodeType))
        closure = tuple(cells[free] for free in body.co_freevars)
        function = types.FunctionType(body, within.globals, name, tuple(defaults), closure)
        function.__qualname__ = f"{within.function.__qualname__}.<locals>.{name}"
        _MADE[function] = ParsedFunction(function, definition, within.filename, within.lines,
                                         within.globals, within.closure, scope)
        functions[name] = function
    for name, function in functions.items():
        cells[name].cell_contents = function
    scope.update(functions)
    return functions


def resolve_name(name: str, extra: dict, closure: dict, scope: dict) -> Any:
    """The live object ``name`` refers to in a function's scopes (names bound by s2sad,
    closure cells, globals, builtins), or ``_MISSING``."""
    if name in extra:
        return extra[name]
    if name in closure:
        try:
            return resolved(closure[name].cell_contents)
        except ValueError:  # an empty cell: the name is not bound yet
            return _MISSING
    if name in scope:
        return resolved(scope[name])
    return getattr(builtins, name, _MISSING)


def _derivative_limit(generated: Any, lineno: int, message: str
                      ) -> UnsupportedSyntaxError | None:
    """The error for what s2sad cannot do with its own derivative (a derivative of a
    derivative), at the user's statement line ``lineno`` of ``generated`` comes from, or
    None when that cannot be told."""
    origin = user_origin(generated, lineno)
    if origin is None:
        return None
    name = getattr(user_function(generated), "__qualname__", "the function")
    line = linecache.getline(origin.filename, origin.lineno)
    return UnsupportedSyntaxError(
        f"s2sad cannot differentiate its own derivative of this statement again ({message})",
        origin.filename, origin.lineno, len(line) - len(line.lstrip()), line,
        f"this is a limit of s2sad's derivatives of derivatives, not of your code: first "
        f"derivatives of {name} work; for the second, write this step without changing a "
        "value in place (a new array or list each time, or whole-array operations)")
