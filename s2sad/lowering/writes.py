"""Write lowering: NumPy calls that write into an array become writes s2sad differentiates.

Runs on the user's tree before the fence. Each statement that is one such call (or assigns
its result, ``None``) is replaced by the in-place forms the compiler knows, on the same
array, so a view of it still sees the write (or the mutation check refuses it):

- ``np.put``, ``y.put``, ``np.copyto``, ``np.putmask``, ``np.place``, ``np.fill_diagonal``,
  ``np.put_along_axis``, ``y.fill`` and ``Y.flat[i] = v`` become
  ``_p, _s = write_positions(kind, y, ...); y[_p] = np.ravel(v)[_s]`` (NumPy's own function,
  run on numbers, says which element goes where);
- ``np.add.at(y, i, v)`` becomes ``y[...] = added_at(y, i, v)`` and ``np.subtract.at``
  the same with ``-v``; another ``ufunc.at`` a loop applying the ufunc once per position,
  in NumPy's order (``at_items``);
- ``y.__setitem__(i, v)`` becomes ``y[i] = v``.

``y.setfield``, ``y.itemset`` and ``y.resize`` are refused here; any other call that may
write into an argument is the effects model's (``s2sad/analyses/effects.py``).

>>> import numpy as np
>>> from s2sad.emit import to_source
>>> from s2sad.frontend import parse_function
>>> from s2sad.naming import Namer, names_in
>>> def h(x):
...     y = np.zeros(3)
...     np.add.at(y, [0, 0, 2], x)
...     return y
>>> parsed = parse_function(h)
>>> print(to_source(lower_writes(parsed, Namer(names_in(parsed.node))).node), end="")
def h(x):
    y = np.zeros(3)
    y[...] = added_at(y, [0, 0, 2], x)
    return y
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import inspect
from typing import Any

import gast
import numpy as np

from s2sad.frontend import ParsedFunction, is_missing
from s2sad.naming import Namer
from s2sad.runtime.writes import added_at, at_items, at_shape, element, write_positions
from s2sad.trees import copy_tree, walk


def _put(a, ind, v, mode="raise"): ...
def _copyto(dst, src, casting="same_kind", where=True): ...
def _putmask(a, mask, values): ...
def _place(arr, mask, vals): ...
def _fill_diagonal(a, val, wrap=False): ...
def _put_along_axis(arr, indices, values, axis): ...
def _method_put(ind, v, mode="raise"): ...
def _fill(value): ...
def _setitem(key, value): ...


#: NumPy function -> (kind for write_positions, its signature)
_FUNCTIONS = {
    np.put: ("put", _put),
    np.copyto: ("copyto", _copyto),
    np.putmask: ("putmask", _putmask),
    np.place: ("place", _place),
    np.fill_diagonal: ("fill_diagonal", _fill_diagonal),
    np.put_along_axis: ("put_along_axis", _put_along_axis),
}
#: the parameter holding the value written, per kind
_VALUE = {"put": "v", "copyto": "src", "putmask": "values", "place": "vals",
          "fill_diagonal": "val", "put_along_axis": "values", "flat": "values",
          "fill": "value"}
_METHODS = {"put": ("put", _method_put), "fill": ("fill", _fill)}
_REFUSED_METHODS = {
    "setfield": "write the field through an index, or build a new array",
    "itemset": "write y[i] = v instead",
    "resize": "use y = np.resize(y, shape), which returns a new array",
}


class WriteLowering:
    """Lowers the writes of one function definition (see the module docstring); the
    helpers the lowered code calls are in ``extra``, by the names it calls them."""

    def __init__(self, parsed: ParsedFunction, namer: Namer) -> None:
        self.parsed = parsed
        self.namer = namer
        self.extra: dict[str, Any] = {}

    def function(self, node: gast.FunctionDef) -> gast.FunctionDef:
        self._locals = {a.id for a in node.args.args + node.args.posonlyargs
                        + node.args.kwonlyargs} | {
            n.id for n in walk(node)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        for argument in (node.args.vararg, node.args.kwarg):
            if argument is not None:
                self._locals.add(argument.id)
        body = self._block(node.body)
        if body is node.body:
            return node
        lowered = copy.copy(node)
        lowered.body = body
        return lowered

    def _block(self, statements: list[gast.stmt]) -> list[gast.stmt]:
        out: list[gast.stmt] = []
        changed = False
        for statement in statements:
            lowered = self._statement(statement)
            changed |= lowered != [statement]
            out.extend(lowered)
        return out if changed else statements

    def _statement(self, statement: gast.stmt) -> list[gast.stmt]:
        if isinstance(statement, (gast.If, gast.For, gast.While)):
            body, orelse = self._block(statement.body), self._block(statement.orelse)
            if body is statement.body and orelse is statement.orelse:
                return [statement]
            statement = copy.copy(statement)
            statement.body, statement.orelse = body, orelse
            return [statement]
        if isinstance(statement, gast.Expr) and isinstance(statement.value, gast.Call):
            return self._call(statement.value, statement) or [statement]
        if isinstance(statement, gast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(statement.value, gast.Call) and isinstance(target, gast.Name):
                lowered = self._call(statement.value, statement)
                if lowered:  # these calls return None
                    return lowered + self._located(f"{target.id} = None", statement)
            if _flat(target) is not None:
                array = self._array(_flat(target), statement)
                return self._positions("flat", array, {"index": self._value(target.slice),
                                                       "values": statement.value}, statement)
        if isinstance(statement, gast.AugAssign) and _flat(statement.target) is not None:
            raise self.parsed.error(
                statement, "augmented assignment through .flat is not supported",
                "write np.put(y, i, np.take(y, i) + v), or index y itself")
        return [statement]

    # -- calls -----------------------------------------------------------------------
    def _call(self, call: gast.Call, statement: gast.stmt) -> list[gast.stmt] | None:
        func = call.func
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) \
                and func.value.id in self._locals:
            return self._method(func.attr, func.value, call, statement)
        function = self._resolve(func)
        if function is None:
            return None
        if _is_ufunc_at(function):
            return self._ufunc_at(function.__self__, call, statement)
        try:
            known = _FUNCTIONS.get(function)
        except TypeError:  # unhashable
            known = None
        if known is None:
            return None
        kind, signature = known
        bound = self._bind(signature, call, statement, getattr(function, "__name__", kind))
        array = self._array(bound.pop(next(iter(bound))), statement)
        return self._positions(kind, array, bound, statement)

    def _method(self, name: str, array: gast.Name, call: gast.Call,
                statement: gast.stmt) -> list[gast.stmt] | None:
        if name in _REFUSED_METHODS:
            raise self.parsed.error(
                call, f"{array.id}.{name}(...) writes into the array in a way s2sad "
                "cannot differentiate", _REFUSED_METHODS[name])
        if name == "__setitem__":
            bound = self._bind(_setitem, call, statement, name)
            return self._located(f"{array.id}[__key] = __value", statement,
                                 {f"__{k}": v for k, v in bound.items()})
        if name not in _METHODS:
            return None
        kind, signature = _METHODS[name]
        try:
            inspect.signature(signature).bind(*call.args, **{
                k.arg: k.value for k in call.keywords if k.arg is not None})
        except TypeError:  # not the array method: another object's (a queue's put)
            return None
        bound = self._bind(signature, call, statement, name)
        return self._positions(kind, array.id, bound, statement)

    def _positions(self, kind: str, array: str, bound: dict[str, gast.expr],
                   statement: gast.stmt) -> list[gast.stmt]:
        """``y[_p] = ravel(_v)[_s]`` after ``write_positions`` says which goes where."""
        value = _VALUE[kind]
        held = self.namer.fresh("_v")
        positions, sources, ravelled = (self.namer.fresh(n) for n in ("_p", "_s", "_w"))
        helper, ravel = self._bind_object(write_positions), self._bind_object(np.ravel)
        arguments = ", ".join(held if name == value else f"__{name}" for name in bound)
        lowered = self._located(
            f"{held} = __{value}\n"
            f"{positions}, {sources} = {helper}({kind!r}, {array}, {arguments})\n"
            f"{ravelled} = {ravel}({held})\n"
            f"{array}[{positions}] = {ravelled}[{sources}]", statement,
            {f"__{name}": node for name, node in bound.items()})
        return lowered

    def _ufunc_at(self, ufunc: np.ufunc, call: gast.Call, statement: gast.stmt
                  ) -> list[gast.stmt]:
        name = f"{ufunc.__name__}.at"
        if call.keywords or any(isinstance(a, gast.Starred) for a in call.args) \
                or not 2 <= len(call.args) <= 3:
            raise self.parsed.error(call, f"{name} takes the array, the indices and the "
                                    "value, by position", f"write {name}(y, i, v)")
        array = self._array(call.args[0], statement)
        indices = call.args[1]
        if ufunc.nin != len(call.args) - 1 or ufunc.nout != 1:
            raise self.parsed.error(call, f"{name} with {len(call.args) - 1} operand(s) is "
                                    "not supported", "apply the ufunc to y[i] and write it back")
        nodes = {"__i": indices}
        if ufunc in (np.add, np.subtract):
            value = call.args[2] if ufunc is np.add else gast.Call(
                func=self._name(self._bind_object(np.negative)), args=[call.args[2]],
                keywords=[])
            nodes["__v"] = value
            helper = self._bind_object(added_at)
            return self._located(f"{array}[...] = {helper}({array}, __i, __v)", statement,
                                 nodes)
        for builtin in ("range", "len"):
            if builtin in self._locals or self.parsed.resolve(builtin) is not getattr(
                    builtins, builtin):
                raise self.parsed.error(
                    call, f"{name} becomes a loop calling the builtin {builtin}, which the "
                    "function's namespace rebinds", f"do not rebind {builtin}")
        held, items, values, k = (self.namer.fresh(n) for n in ("_i", "_items", "_b", "_k"))
        names = {f: self._bind_object(o) for f, o in (
            ("items", at_items), ("shape", at_shape), ("element", element), ("ravel", np.ravel),
            ("broadcast_to", np.broadcast_to), ("range", builtins.range),
            ("len", builtins.len), ("ufunc", ufunc))}
        operand = f"{names['element']}({array}, {items}[{k}])"
        lines = [f"{held} = __i", f"{items} = {names['items']}({array}, {held})"]
        if ufunc.nin == 2:
            nodes["__v"] = call.args[2]
            lines.append(f"{values} = {names['ravel']}({names['broadcast_to']}(__v, "
                         f"{names['shape']}({array}, {held})))")
            applied = f"{names['ufunc']}({operand}, {values}[{k}])"
        else:
            applied = f"{names['ufunc']}({operand})"
        lines += [f"for {k} in {names['range']}({names['len']}({items})):",
                  f"    {array}[{items}[{k}]] = {applied}"]
        return self._located("\n".join(lines), statement, nodes)

    # -- pieces ----------------------------------------------------------------------
    def _array(self, node: gast.expr, statement: gast.stmt) -> str:
        """The name of the array written into (a variable of the function's)."""
        if isinstance(node, gast.Name) and node.id in self._locals:
            return node.id
        raise self.parsed.error(
            node, "s2sad differentiates writes into a variable of the function only",
            "write into the array by its name: y = ...; then write into y")

    def _bind(self, signature, call: gast.Call, statement: gast.stmt, name: str
              ) -> dict[str, gast.expr]:
        """Parameter -> argument (defaults filled in, as constants)."""
        if any(isinstance(a, gast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords):
            raise self.parsed.error(call, f"unpacking arguments into {name} is not supported",
                                    "pass the arguments one by one")
        parameters = inspect.signature(signature)
        try:
            bound = parameters.bind(*call.args, **{k.arg: k.value for k in call.keywords})
        except TypeError as error:
            raise self.parsed.error(call, f"cannot bind the call to {name}: {error}",
                                    "pass the arguments the function documents") from None
        bound.apply_defaults()
        return {k: v if isinstance(v, gast.AST) else gast.Constant(value=v, kind=None)
                for k, v in bound.arguments.items()}

    def _resolve(self, node: gast.expr) -> Any:
        if isinstance(node, gast.Name):
            if node.id in self._locals:
                return None
            found = self.parsed.resolve(node.id)
            return None if is_missing(found) else found
        if isinstance(node, gast.Attribute):
            base = self._resolve(node.value)
            return None if base is None else getattr(base, node.attr, None)
        return None

    def _value(self, index: gast.expr) -> gast.expr:
        """An index as a value: ``a:b`` as ``slice(a, b, None)``."""
        if isinstance(index, gast.Slice):
            none = gast.Constant(value=None, kind=None)
            parts = [copy_tree(p) if p is not None else copy.copy(none)
                     for p in (index.lower, index.upper, index.step)]
            made = gast.Call(func=self._name(self._bind_object(builtins.slice)), args=parts,
                             keywords=[])
            return gast.copy_location(made, index)
        if isinstance(index, gast.Tuple):
            made = gast.Tuple(elts=[self._value(e) for e in index.elts], ctx=gast.Load())
            return gast.copy_location(made, index)
        return index

    def _bind_object(self, value: Any) -> str:
        if value is builtins.range or value is builtins.len:  # checked by the caller
            return value.__name__
        for name, held in self.extra.items():
            if held is value:
                return name
        name = self.namer.fresh(getattr(value, "__name__", "helper"))
        self.extra[name] = value
        return name

    @staticmethod
    def _name(identifier: str) -> gast.Name:
        return gast.Name(id=identifier, ctx=gast.Load(), annotation=None, type_comment=None)

    @staticmethod
    def _located(text: str, where: gast.stmt, nodes: dict[str, gast.expr] | None = None
                 ) -> list[gast.stmt]:
        """``text`` parsed, at ``where``'s position, its placeholders ``__name`` replaced by
        copies of ``nodes`` (which keep their own positions)."""
        statements = gast.parse(text).body
        for statement in statements:
            for node in walk(statement):
                if isinstance(node, (gast.expr, gast.stmt)):
                    gast.copy_location(node, where)
                    node.end_lineno = where.end_lineno
                    node.end_col_offset = where.end_col_offset
        nodes = nodes or {}
        for statement in statements:
            for node in walk(statement):
                for field in node._fields:
                    child = getattr(node, field, None)
                    if isinstance(child, gast.Name) and child.id in nodes:
                        setattr(node, field, copy_tree(nodes[child.id]))
                    elif isinstance(child, list):
                        child[:] = [copy_tree(nodes[c.id]) if isinstance(c, gast.Name)
                                    and c.id in nodes else c for c in child]
        return statements


def _flat(target: gast.expr) -> gast.expr | None:
    """``Y`` for the target ``Y.flat[i]``."""
    if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Attribute) \
            and target.value.attr == "flat":
        return target.value.value
    return None


def _is_ufunc_at(function: Any) -> bool:
    return isinstance(getattr(function, "__self__", None), np.ufunc) \
        and getattr(function, "__name__", None) == "at"


def lower_writes(parsed: ParsedFunction, namer: Namer) -> ParsedFunction:
    """``parsed`` with its writes lowered (itself when it has none)."""
    lowering = WriteLowering(parsed, namer)
    node = lowering.function(parsed.node)
    if node is parsed.node:
        return parsed
    return dataclasses.replace(parsed, node=node, extra={**parsed.extra, **lowering.extra})
