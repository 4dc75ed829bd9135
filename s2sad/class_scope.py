"""What a function defined in a class body means by its private names and ``super()``.

Python compiles a function defined in a class with the class's private names mangled
(``self.__k`` reads ``self._C__k``) and gives a ``super()`` without arguments the class
through a closure cell, ``__class__``. Derivatives are compiled outside the class, so
the front end writes both out: ``__k`` becomes ``_C__k`` and ``super()`` becomes
``super(__class__, self)`` (the cell is among the function's closure cells).
"""

from __future__ import annotations

import types

import gast

from s2sad.trees import walk


def enclosing_class(function: types.FunctionType) -> str | None:
    """The name of the innermost class whose body defines ``function`` (read from its
    ``__qualname__``: a part followed by anything but ``<locals>`` is a class)."""
    parts = function.__qualname__.split(".")
    for position in range(len(parts) - 2, -1, -1):
        if parts[position + 1] != "<locals>" and parts[position] != "<locals>":
            return parts[position]
    return None


def _private(name: str) -> bool:
    return name.startswith("__") and not name.endswith("__") and "." not in name


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names) | set(code.co_varnames) | set(code.co_freevars) | set(
        code.co_cellvars)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _code_names(constant)
    return names


def resolve_class_scope(parsed) -> None:
    """Mangle ``parsed``'s private names and give its ``super()`` calls their arguments,
    in place; a construct whose meaning cannot be told is refused at its position."""
    node = parsed.node
    privates = [n for n in walk(node) if isinstance(n, gast.Name) and _private(n.id)
                or isinstance(n, gast.Attribute) and _private(n.attr)
                or isinstance(n, gast.keyword) and n.arg and _private(n.arg)]
    supers = [n for n in walk(node) if isinstance(n, gast.Call)
              and isinstance(n.func, gast.Name) and n.func.id == "super" and not n.args
              and not n.keywords]
    if privates:
        _mangle(parsed, privates)
    for call in supers:
        _give_super_arguments(parsed, call)


def _mangle(parsed, privates: list) -> None:
    function = parsed.function
    owner = enclosing_class(function)
    stripped = owner.lstrip("_") if owner else ""
    if not stripped:  # not in a class (or a class named only of underscores): as written
        return
    known = _code_names(function.__code__)
    for node in privates:
        field = "id" if isinstance(node, gast.Name) else "attr" if isinstance(
            node, gast.Attribute) else "arg"
        mangled = f"_{stripped}{getattr(node, field)}"
        if mangled not in known:
            raise parsed.error(
                node, f"cannot tell which class's private name {getattr(node, field)} is",
                "give the attribute a name without two leading underscores")
        setattr(node, field, mangled)


def _give_super_arguments(parsed, call: gast.Call) -> None:
    definition = parsed.node
    inside = {id(n) for child in definition.body for n in walk(child)
              if isinstance(n, (gast.FunctionDef, gast.Lambda))
              for n in walk(n)}
    arguments = definition.args.posonlyargs + definition.args.args
    if id(call) in inside or not arguments or "__class__" not in parsed.closure:
        raise parsed.error(call, "super() without arguments is supported only in a method "
                           "defined in its class, directly in its body",
                           "write super(C, self) with the class and the first parameter")
    call.args = [gast.Name(id="__class__", ctx=gast.Load(), annotation=None,
                           type_comment=None),
                 gast.Name(id=arguments[0].id, ctx=gast.Load(), annotation=None,
                           type_comment=None)]
