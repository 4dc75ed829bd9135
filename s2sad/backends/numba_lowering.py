"""An emitted derivative rewritten in the subset of Python that Numba compiles in
nopython mode.

The emitted code records values for its reverse sweep on Python lists; here each list
becomes one buffer per type of value it holds (a NumPy array and a count): preallocated
to the trip count when every push is in one ``for`` over a ``range`` whose length is known
before it, grown by doubling otherwise (``while``, pushes in nested loops). A push is
``buf[n] = v; n += 1``, a pop ``n -= 1; v = buf[n]``, and a reverse loop over recorded
values (``for a, b in zip(reversed(as_), reversed(bs))``, ``reversed(range(n)[:trips])``)
a loop over a count that reads each buffer by index, as ``zip`` pairs them (from the last
item, up to the shortest). A variable bound to ``None`` before a loop (never read while
it is) gets a value of its type; ``match`` of a float is ``float``. What has no compiled
form here (arrays on the tape, calls of user functions, other helpers) raises
``Unsupported`` at the statement's line in the emitted text.
"""

from __future__ import annotations

import ast
import builtins
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from s2sad.backends.numba_types import SCALAR_DTYPES, single_tag

#: builtins Numba compiles in the forms generated code uses them
_BUILTINS = {"float", "int", "bool", "abs", "min", "max", "len", "range", "pow", "round"}
#: modules the compiled code may use, by the object a name must resolve to
_MODULES = {"math": math, "np": np}
#: helpers of ``numba_runtime`` the lowering calls
HELPERS = ("NotFinite", "ShapeChanged", "grown", "range_length", "all_finite",
           "unbroadcast_to", "array_zeros_like", "array_match")
#: s2sad's runtime helpers with a compiled form of the same name in ``numba_runtime``
COMPILED_HELPERS = ("matmul_adjoint_a", "matmul_adjoint_b", "owned", "unreduce",
                    "getitem_adjoint", "accumulate_at", "extremum_weights", "add",
                    "broadcast_like")
#: calls that make an integer of a float
_TO_INTEGER = {"int", "round", "math.floor", "math.ceil", "math.trunc"}
_PLACEHOLDERS = {"f8": "0.0", "i8": "0", "b1": "False"}
#: checks of the arguments and the output, which the run that learns the types makes:
#: for the argument types compiled (floats, integers, booleans) they pass
_CHECKS = {"check_arguments", "check_scalar"}


class Unsupported(Exception):
    """A construct without a compiled form, at ``lineno`` of the emitted text."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(message)
        self.message = message
        self.lineno = lineno


@dataclass
class _Tape:
    """A list the forward sweep records on: its pushes and the buffers they become."""

    name: str
    pushes: list[ast.Expr] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    capacity: ast.expr | None = None  # None: a growing buffer
    loop: ast.For | None = None  # where a preallocated buffer is allocated
    read_in_reverse: bool = False  # by ``reversed(tape)`` rather than by pops
    inner: bool = False  # made anew in a loop: a segment of buffers made once, recorded
    # on the outer loop's tape by where it starts (``<buffer>_lo``)

    def buffer(self, tag: str) -> str:
        return f"{self.name}_{tag}"


@dataclass(frozen=True)
class _Row:
    """What one row of a tape buffer holds: a value of ``dtype`` and ``shape`` (``()``
    for a number), or, for ``shape_of``, only the shape of an array of ``len(shape)``
    axes (in a row of integers)."""

    dtype: str
    shape: tuple[int, ...] = ()
    shape_of: bool = False
    segment: bool = False  # where an inner loop's segment of a buffer starts

    @property
    def tag(self) -> str:
        if self.segment:
            return "lo"
        if self.shape_of:
            return f"shape{len(self.shape)}"
        if not self.shape and self.dtype in SCALAR_DTYPES:
            return self.dtype
        return "_".join([f"a{self.dtype}"] + [str(n) for n in self.shape])


def lowered(text: str, types: dict[str, set[str]], bindings: dict[str, Any],
            arrays: dict[str, set[tuple]] | None = None,
            callees: set[str] = frozenset()) -> str:
    """The source of ``text``'s one function in Numba's subset; ``types`` are the tags of
    each local's values and ``arrays`` each array's ``(dtype, shape)``
    (``numba_types.frame_types``), ``bindings`` what its free names refer to,
    ``callees`` the names of the functions it calls that are compiled beside it."""
    module = ast.parse(text)
    definition = module.body[0]
    _drop_guard(definition)
    _Lowering(definition, types, arrays or {}).run()
    _check_free_names(definition, bindings, callees)
    return ast.unparse(ast.fix_missing_locations(module))


def _drop_guard(definition: ast.FunctionDef) -> None:
    """Removes the specialized version's first test (the compiled function is called only
    with the arguments it was built for) and the checks of arguments and output."""
    first = definition.body[0] if definition.body else None
    if isinstance(first, ast.If) and len(first.body) == 1 and _hands_over(first.body[0]):
        definition.body.pop(0)
    definition.body = [s for s in definition.body if not (
        isinstance(s, ast.Expr) and any(_is_call_of(s.value, name) for name in _CHECKS))]


def _hands_over(statement: ast.stmt) -> bool:
    """Whether ``statement`` is ``return f_general(...)``."""
    return isinstance(statement, ast.Return) and isinstance(statement.value, ast.Call) \
        and getattr(statement.value.func, "id", "").endswith("_general")


def _assigned_names(definition: ast.FunctionDef) -> set[str]:
    names = {a.arg for a in definition.args.args + definition.args.kwonlyargs}
    for node in ast.walk(definition):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _check_free_names(definition: ast.FunctionDef, bindings: dict[str, Any],
                      callees: set[str] = frozenset()) -> None:
    """Refuses names that are neither local, nor ``math``, ``np`` and the builtins Numba
    compiles; a name bound to a function of ``math`` (``from math import sin``) is written
    ``math.sin``."""
    local = _assigned_names(definition) | set(HELPERS) | set(callees)
    local |= {name for name in COMPILED_HELPERS if _is_runtime_helper(bindings.get(name), name)}
    for node in ast.walk(definition):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id not in local and _math_name(bindings.get(node.func.id)):
            node.func = ast.Attribute(ast.Name("math", ast.Load()),
                                      _math_name(bindings[node.func.id]), ast.Load())
    for node in ast.walk(definition):
        if not isinstance(node, ast.Name) or node.id in local:
            continue
        if node.id in _MODULES and bindings.get(node.id, _MODULES[node.id]) is _MODULES[node.id]:
            continue
        if node.id in _BUILTINS and bindings.get(node.id, getattr(builtins, node.id)) \
                is getattr(builtins, node.id):
            continue
        raise Unsupported(f"{node.id} has no compiled form in backend='numba'"
                          f"{_what(node.id, bindings.get(node.id))}", node.lineno)


def _is_runtime_helper(value: Any, name: str) -> bool:
    """Whether ``value`` is s2sad's runtime helper ``name`` (not a function of the user's
    that happens to share its name)."""
    return callable(value) and getattr(value, "__name__", None) == name \
        and getattr(value, "__module__", "").startswith("s2sad.runtime")


def _math_name(value: Any) -> str | None:
    """The name of ``value`` in the ``math`` module, when it is a function there."""
    name = getattr(value, "__name__", None)
    return name if callable(value) and getattr(math, name or "", None) is value else None


def _what(name: str, value: Any) -> str:
    if callable(value) and getattr(value, "__module__", "").startswith("s2sad"):
        return f" (s2sad's helper {name}, which the NumPy backend calls here)"
    if callable(value):
        return f" (a call of {name}, which Numba does not compile from here)"
    return f" (the value of {name} is read at run time)"


class _Lowering:
    """Rewrites one definition in place: tapes, reverse loops, placeholders, ``match``."""

    def __init__(self, definition: ast.FunctionDef, types: dict[str, set[str]],
                 arrays: dict[str, set[tuple]]) -> None:
        self.definition = definition
        self.types = types
        self.arrays = arrays
        self.tapes: dict[str, _Tape] = {}
        self.rows: dict[str, _Row] = {}  # by tag
        self.shape_only: dict[tuple[str, str], str] = {}  # (tape, name): "shape" or "drop"
        self.parameters = {a.arg for a in definition.args.args}
        self.counter = 0
        self._leaf_texts: list[str] = []

    def run(self) -> None:
        self._rewrite_helpers()
        self._find_tapes()
        self._find_shape_only_records()
        made_once = [s for t in self.tapes.values() if t.inner
                     for s in self._allocation(t, _constant(16))]
        self.definition.body = made_once + self._block(self.definition.body, top=True)
        self._check_finite_result()

    def _check_finite_result(self) -> None:
        """The final ``return`` raises ``NotFinite`` when a number it returns is not."""
        last = self.definition.body[-1]
        if not isinstance(last, ast.Return) or last.value is None:
            raise Unsupported("a derivative without one return at its end", last.lineno)
        leaves: list[str] = []
        result = self._named_leaves(last.value, leaves)
        tests = " and ".join(f"all_finite({leaf})" for leaf in leaves)
        lines = [f"if not ({tests}):", "    raise NotFinite('not finite')"] if leaves else []
        before = self.definition.body[:-1]
        assignments = _statements([f"_result{k} = {text}" for k, text in
                                   enumerate(self._leaf_texts)], last.lineno)
        self.definition.body = before + assignments + _statements(
            lines + [f"return {result}"], last.lineno)

    def _named_leaves(self, value: ast.expr, leaves: list[str]) -> str:
        """``value`` with each item not a tuple named ``_result<k>`` (recorded in
        ``_leaf_texts``, the names in ``leaves``)."""
        if isinstance(value, ast.Tuple):
            items = [self._named_leaves(item, leaves) for item in value.elts]
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        name = f"_result{len(self._leaf_texts)}"
        self._leaf_texts.append(ast.unparse(value))
        leaves.append(name)
        return name

    # --- what the tapes are ---------------------------------------------------------

    def _find_tapes(self) -> None:
        for statement in self.definition.body:
            if _is_new_list(statement):
                self.tapes[statement.targets[0].id] = _Tape(statement.targets[0].id)
        for loop in self.definition.body:
            if not isinstance(loop, (ast.For, ast.While)):
                continue
            for node in ast.walk(loop):
                if _is_new_list(node) and node.targets[0].id not in self.tapes:
                    name = node.targets[0].id
                    self.tapes[name] = _Tape(name, inner=True)
        for node in ast.walk(self.definition):
            target = _push_target(node)
            if target in self.tapes:
                self.tapes[target].pushes.append(node)
            if _is_call_of(node, "reversed") and len(node.args) == 1 \
                    and isinstance(node.args[0], ast.Name) and node.args[0].id in self.tapes:
                self.tapes[node.args[0].id].read_in_reverse = True
        for statement in self.definition.body:
            if isinstance(statement, (ast.For, ast.While)):
                self._size_tapes_in(statement)

    def _size_tapes_in(self, loop: ast.stmt) -> None:
        inside = {id(n) for n in ast.walk(loop)}
        nested = {id(n) for inner in ast.walk(loop) if inner is not loop
                  and isinstance(inner, (ast.For, ast.While)) for n in ast.walk(inner)}
        trips = _trip_count(loop)
        for tape in self.tapes.values():
            if not tape.pushes or not all(id(p) in inside for p in tape.pushes):
                continue
            if trips is not None and not any(id(p) in nested for p in tape.pushes):
                tape.capacity, tape.loop = trips, loop

    def _find_shape_only_records(self) -> None:
        """Values a tape records with ``shape_only`` whose reverse sweep reads nothing but
        their shape: their shape is recorded instead (``"shape"``), or nothing when it
        reads nothing of them (``"drop"``)."""
        parents = {id(child): node for node in ast.walk(self.definition)
                   for child in ast.iter_child_nodes(node)}
        for tape in self.tapes.values():
            if tape.read_in_reverse:
                continue
            names = {_pushed_name(p) for p in tape.pushes}
            for name in names:
                pushes = [p for p in tape.pushes if _pushed_name(p) == name]
                if all(_records_shape_only(p) for p in pushes) \
                        and self._array_row(name, pushes[0]) is not None:
                    use = self._reverse_use(tape.name, name, parents)
                    if use is not None:
                        self.shape_only[tape.name, name] = use
        for tape in self.tapes.values():
            for push in tape.pushes:
                row = self._row_of(tape.name, _pushed_name(push), push)
                if row is not None:
                    tape.tags.add(row.tag)
        if any(row.shape and not row.shape_of for row in self.rows.values()):
            self._refuse_writes_in_place()

    def _refuse_writes_in_place(self) -> None:
        """Refuses a forward sweep that writes into an array in place while arrays are
        recorded: a buffer keeps a copy of the value at the push, where the Python tape
        keeps the array itself (a view whose base a later write changes, and the reverse
        sweep restores, is read as it is then)."""
        for statement in self.definition.body:
            if any(_pop_of(node) is not None for node in ast.walk(statement)):
                return  # the reverse sweep starts here
            for node in ast.walk(statement):
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AugAssign) else []
                for target in targets:
                    array_name = isinstance(target, ast.Name) and isinstance(
                        node, ast.AugAssign) and single_tag(self.types.get(target.id)) == "array"
                    if isinstance(target, ast.Subscript) or array_name:
                        raise Unsupported(
                            f"{ast.unparse(target)}, an array written in place in a loop "
                            "whose reverse sweep records arrays (backend='numba' records "
                            "copies)", node.lineno)

    def _rows_pushed(self, tape: _Tape, push: ast.Expr) -> list[_Row]:
        """The rows one push onto ``tape`` writes: one, none (a value recorded for a shape
        read nowhere), or for an inner loop's list one start per buffer of it."""
        name = _pushed_name(push)
        if name in self.tapes and self.tapes[name].inner:
            return [self._row_of(tape.name, name, push)] * len(self.tapes[name].tags)
        row = self._row_of(tape.name, name, push)
        return [] if row is None else [row]

    def _reverse_use(self, tape: str, name: str, parents: dict) -> str | None:
        """How the reverse sweep reads ``name`` after popping it from ``tape``: ``"drop"``
        (never), ``"shape"`` (its ``.shape`` only, each such read rewritten to
        ``<name>_shape``), or None (its values, or it is bound otherwise there)."""
        body = self.definition.body
        firsts = [k for k, statement in enumerate(body) for node in ast.walk(statement)
                  if _pop_of(node) == (tape, name)]
        if not firsts:
            return None
        region = body[min(firsts):]
        shape_reads = []
        for statement in region:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and node.id == name:
                    if isinstance(node.ctx, ast.Store):
                        if _pop_of(parents.get(id(node))) != (tape, name):
                            return None
                        continue
                    parent = parents.get(id(node))
                    if not (isinstance(parent, ast.Attribute) and parent.attr == "shape"):
                        return None
                    shape_reads.append(parent)
        for read in shape_reads:
            holder = parents[id(read)]
            for field_name, value in ast.iter_fields(holder):
                if value is read:
                    setattr(holder, field_name, ast.Name(f"{name}_shape", ast.Load()))
                elif isinstance(value, list):
                    setattr(holder, field_name, [ast.Name(f"{name}_shape", ast.Load())
                                                 if v is read else v for v in value])
        return "shape" if shape_reads else "drop"

    def _array_row(self, name: str, node: ast.AST) -> _Row | None:
        """The row of an array ``name`` (one dtype and shape in the run seen), None when
        ``name`` held no array there."""
        if single_tag(self.types.get(name)) != "array":
            return None
        facts = self.arrays.get(name, set())
        if len(facts) != 1:
            raise Unsupported(f"the reverse sweep records {name}, an array whose shape "
                              "changes from one iteration to the next; backend='numba' "
                              "records arrays of one shape", node.lineno)
        ((dtype, shape),) = facts
        if dtype[1:] not in ("f8", "i8", "b1"):
            raise Unsupported(f"the reverse sweep records {name}, an array of dtype "
                              f"{dtype}; backend='numba' records float64, int64 and bool "
                              "arrays", node.lineno)
        return _Row(dtype[1:], tuple(shape))

    def _row_of(self, tape: str, name: str, node: ast.AST) -> _Row | None:
        """What a buffer row of ``tape`` holds for the value ``name`` (None: nothing)."""
        if name in self.tapes and self.tapes[name].inner:
            row = self.rows["lo"] = _Row("i8", segment=True)
            return row
        use = self.shape_only.get((tape, name))
        if use == "drop":
            return None
        row = self._array_row(name, node)
        if row is None:
            row = _Row(self._scalar_tag(name, node))
        elif use == "shape":
            row = _Row("i8", row.shape, shape_of=True)
        self.rows[row.tag] = row
        return row

    def _scalar_tag(self, name: str, node: ast.AST) -> str:
        tag = single_tag(self.types.get(name))
        if tag == "i8":  # an int in the run seen may be a float in another (x if c else 1):
            return "f8"  # a float buffer holds both exactly, an int one would truncate
        if tag is None and not self.types.get(name):
            return "f8"  # never bound to a value in the run seen: a float placeholder
        if tag not in SCALAR_DTYPES:
            what = "an array" if tag == "array" else "values of more than one type"
            raise Unsupported(f"the reverse sweep records {name}, {what}; backend='numba' "
                              "records numbers and arrays of one type each", node.lineno)
        return tag

    # --- rewriting ------------------------------------------------------------------

    def _block(self, statements: list[ast.stmt], top: bool = False) -> list[ast.stmt]:
        result: list[ast.stmt] = []
        for statement in statements:
            result.extend(self._statement(statement, top))
        return result

    def _statement(self, statement: ast.stmt, top: bool) -> list[ast.stmt]:
        if top and _is_new_list(statement) and statement.targets[0].id in self.tapes:
            tape = self.tapes[statement.targets[0].id]
            return [] if tape.loop is not None else self._allocation(tape, _constant(16))
        if not top and _is_new_list(statement) and statement.targets[0].id in self.tapes:
            tape = self.tapes[statement.targets[0].id]
            return _statements([f"{tape.buffer(tag)}_lo = {tape.buffer(tag)}_n"
                                for tag in sorted(tape.tags)], statement.lineno)
        if not top and _is_new_list(statement):
            raise Unsupported("a list made in a loop other than to record values for the "
                              "reverse sweep", statement.lineno)
        if top and isinstance(statement, ast.For):
            before = [s for t in self.tapes.values() if t.loop is statement
                      for s in self._allocation(t, t.capacity)]
            if before:
                return before + self._statement(statement, top=False)
        target = _push_target(statement)
        if target in self.tapes:
            return self._push(self.tapes[target], statement)
        popped = _pop_of(statement)
        if popped is not None and popped[0] in self.tapes:
            return self._pop(self.tapes[popped[0]], popped[1], statement)
        if _is_none_assignment(statement):
            name = statement.targets[0].id
            tag = single_tag(self.types.get(name)) or "f8"
            if tag in _PLACEHOLDERS:
                statement.value = _expression(_PLACEHOLDERS[tag])
            return [statement]
        if isinstance(statement, ast.For) and not _is_range_call(statement.iter):
            return self._reverse_loop(statement)
        for name in ("body", "orelse"):
            if isinstance(getattr(statement, name, None), list):
                setattr(statement, name, self._block(getattr(statement, name)))
        self._rewrite_expressions(statement)
        return [statement]

    def _allocation(self, tape: _Tape, capacity: ast.expr) -> list[ast.stmt]:
        statements = []
        for tag in sorted(tape.tags):
            buffer = tape.buffer(tag)
            size = capacity
            if tape.loop is not None:  # at most each push of the loop's body per iteration
                pushes = sum(row.tag == tag for p in tape.pushes
                             for row in self._rows_pushed(tape, p))
                size = ast.BinOp(_constant(pushes), ast.Mult(), capacity)
            row = self.rows.get(tag, _Row(tag))
            extent = (len(row.shape),) if row.shape_of else row.shape
            shape = ast.Tuple([size] + [_constant(n) for n in extent], ast.Load()) \
                if extent else size
            statements.append(_assign(buffer, ast.Call(
                _expression("np.empty"), [shape, _expression(SCALAR_DTYPES[row.dtype])], [])))
            statements.append(_assign(f"{buffer}_n", _constant(0)))
        return statements

    def _push(self, tape: _Tape, statement: ast.Expr) -> list[ast.stmt]:
        name = _pushed_name(statement)
        row = self._row_of(tape.name, name, statement)
        if row is None:
            return []
        buffer = tape.buffer(row.tag)
        lines = []
        grow = f"if {buffer}_n == {buffer}.shape[0]:\n    {buffer} = grown({buffer})"
        if row.segment:
            for tag in sorted(self.tapes[name].tags):
                lines += [grow] if tape.loop is None else []
                lines += [f"{buffer}[{buffer}_n] = {self.tapes[name].buffer(tag)}_lo",
                          f"{buffer}_n += 1"]
            return _statements(lines, statement.lineno)
        if tape.loop is None:
            lines.append(grow)
        if row.shape_of:
            lines += [f"{buffer}[{buffer}_n, {k}] = {name}.shape[{k}]"
                      for k in range(len(row.shape))]
        else:
            if row.shape:
                lines.append(f"if {name}.shape != {row.shape!r}:\n"
                             f"    raise ShapeChanged('{name}')")
            lines.append(f"{buffer}[{buffer}_n] = {name}")
        lines.append(f"{buffer}_n += 1")
        return _statements(lines, statement.lineno)

    def _pop(self, tape: _Tape, target: str, statement: ast.stmt) -> list[ast.stmt]:
        if target in self.tapes and self.tapes[target].inner:
            buffer = tape.buffer("lo")
            return _statements([line for tag in sorted(self.tapes[target].tags, reverse=True)
                                for line in (f"{buffer}_n -= 1", f"{self.tapes[target].buffer(tag)}"
                                             f"_lo = {buffer}[{buffer}_n]")], statement.lineno)
        row = self._row_of(tape.name, target, statement)
        if row is None:
            return []
        buffer = tape.buffer(row.tag)
        if row.shape_of:
            items = "".join(f"{buffer}[{buffer}_n, {k}], " for k in range(len(row.shape)))
            value, target = f"({items})", f"{target}_shape"
        else:
            value = f"{buffer}[{buffer}_n]"
        return _statements([f"{buffer}_n -= 1", f"{target} = {value}"], statement.lineno)

    def _reverse_loop(self, loop: ast.For) -> list[ast.stmt]:
        """``for targets in zip(reversed(a), ...)`` as a loop over a count reading each
        sequence by index from its end."""
        if loop.orelse:
            raise Unsupported("a for/else in the reverse sweep", loop.lineno)
        iterables = _zipped(loop.iter)
        targets = loop.target.elts if isinstance(loop.target, ast.Tuple) else [loop.target]
        if iterables is None or len(iterables) != len(targets) \
                or not all(isinstance(t, ast.Name) for t in targets):
            raise Unsupported(f"the loop over {ast.unparse(loop.iter)}", loop.lineno)
        self.counter += 1
        count, step = f"_count{self.counter}", f"_step{self.counter}"
        sequences = [self._sequence(item, loop, k) for k, item in enumerate(iterables)]
        before = [line for lines, _, _, _ in sequences for line in lines]
        before.append(f"{count} = min({', '.join(length for _, length, _, _ in sequences)})"
                      if len(sequences) > 1 else f"{count} = {sequences[0][1]}")
        reads = [f"{target.id} = {read(f'{length} - 1 - {step}')}"
                 for target, (_, length, read, _) in zip(targets, sequences)]
        head = _statements(before, loop.lineno)
        new_loop = ast.For(target=ast.Name(step, ast.Store()), iter=_expression(
            f"range({count})"), body=_statements(reads, loop.lineno) + self._block(loop.body),
            orelse=[], lineno=loop.lineno)
        after = [line for _, _, _, lines in sequences for line in lines]
        return head + [new_loop] + _statements(after, loop.lineno)

    def _sequence(self, item: ast.expr, loop: ast.For, k: int):
        """Statements before the loop, the length, a reader by index of one sequence a
        reverse loop runs over, and statements after the loop (an inner loop's segment
        of a buffer, read, is dropped from it)."""
        inner = item.args[0] if _is_call_of(item, "reversed") and len(item.args) == 1 else None
        if isinstance(inner, ast.Name) and inner.id in self.tapes:
            tape = self.tapes[inner.id]
            if len(tape.tags) != 1:
                raise Unsupported(f"the loop over {ast.unparse(item)}", loop.lineno)
            buffer = tape.buffer(next(iter(tape.tags)))
            if tape.inner:
                return ([], f"({buffer}_n - {buffer}_lo)",
                        lambda index: f"{buffer}[{buffer}_lo + {index}]",
                        [f"{buffer}_n = {buffer}_lo"])
            return [], f"{buffer}_n", lambda index: f"{buffer}[{index}]", []
        limit = None
        if isinstance(inner, ast.Subscript) and isinstance(inner.slice, ast.Slice) \
                and inner.slice.lower is None and inner.slice.step is None:
            limit, inner = inner.slice.upper, inner.value
        if inner is None or not _is_range_call(inner):
            raise Unsupported(f"the loop over {ast.unparse(item)}", loop.lineno)
        bounds = [ast.unparse(a) for a in inner.args]
        start, stop, step = (["0"] + bounds + ["1"])[:3] if len(bounds) == 1 else \
            (bounds + ["1"])[:3]
        prefix = f"_r{self.counter}_{k}"
        lines = [f"{prefix}_start = {start}", f"{prefix}_step = {step}",
                 f"{prefix}_n = range_length({start}, {stop}, {step})"]
        if limit is not None:
            lines.append(f"{prefix}_n = min({prefix}_n, max({ast.unparse(limit)}, 0))")
        return (lines, f"{prefix}_n", lambda index: f"{prefix}_start + ({index}) * {prefix}_step",
                [])

    def _rewrite_helpers(self) -> None:
        """Calls of s2sad's helpers as their compiled forms, chosen by the types of their
        arguments in the run seen: ``match``, ``zeros_like``, ``unbroadcast``."""
        for node in ast.walk(self.definition):
            if _is_call_of(node, "match"):
                self._match(node)
            elif _is_call_of(node, "zeros_like"):
                self._zeros_like(node)
            elif _is_call_of(node, "unbroadcast"):
                self._unbroadcast(node)

    def _rewrite_expressions(self, statement: ast.stmt) -> None:
        self._refuse_growing_integers(statement)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id in self.tapes:
                raise Unsupported(f"{node.id}, a tape read other than by pop or reversed",
                                  node.lineno)
            elif isinstance(node, ast.Call) and _is_call_of(node, "shape_only"):
                raise Unsupported("shape_only outside a push", node.lineno)

    def _refuse_growing_integers(self, statement: ast.stmt) -> None:
        """Integers are 64-bit in compiled code: a product, power or shift giving an
        integer would wrap where Python's integer grows, and a float made an integer
        (``int(x)``, ``round(x)``) has no meaning beyond that range."""
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AugAssign):
            target, value = statement.target, ast.BinOp(statement.target, statement.op,
                                                        statement.value)
        else:
            return
        if not isinstance(target, ast.Name) or single_tag(self.types.get(target.id)) != "i8":
            return
        if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mult, ast.Pow,
                                                                  ast.LShift)):
            what = "an integer product, power or shift"
        elif isinstance(value, ast.Call) and ast.unparse(value.func) in _TO_INTEGER:
            what = "a float made an integer"
        else:
            return
        raise Unsupported(f"{ast.unparse(value)}, {what} (64-bit in compiled code, where "
                          "Python's integers grow)", statement.lineno)

    def _is_array_name(self, value: ast.expr | None) -> bool:
        return isinstance(value, ast.Name) \
            and single_tag(self.types.get(value.id)) == "array"

    def _match(self, node: ast.Call) -> None:
        """``match(v, p)`` of a float or integer ``p`` is the float ``v``, of a float64
        array ``array_match(v, p)``."""
        primal = node.args[1] if len(node.args) == 2 else None
        if self._is_array_name(primal):
            node.func = ast.Name("array_match", ast.Load())
            return
        self._number(primal, node)
        node.func = ast.Name("float", ast.Load())
        node.args = node.args[:1]

    def _zeros_like(self, node: ast.Call) -> None:
        """``zeros_like(p)`` of a float or integer ``p`` is ``float(0.0)``, of an array
        ``array_zeros_like(p)``."""
        value = node.args[0] if len(node.args) == 1 else None
        if self._is_array_name(value):
            node.func = ast.Name("array_zeros_like", ast.Load())
            return
        self._number(value, node)
        node.func = ast.Name("float", ast.Load())
        node.args = [_constant(0.0)]

    def _unbroadcast(self, node: ast.Call) -> None:
        """``unbroadcast(g, x)`` is ``unbroadcast_to(g, x.shape)`` for an array ``x``,
        ``unbroadcast_to(g, ())`` for a number."""
        value = node.args[1] if len(node.args) == 2 and not node.keywords else None
        if self._is_array_name(value):
            shape = ast.Attribute(value, "shape", ast.Load())
        else:
            self._number(value, node)
            shape = ast.Tuple([], ast.Load())
        node.func = ast.Name("unbroadcast_to", ast.Load())
        node.args = [node.args[0], shape]

    def _number(self, value: ast.expr | None, node: ast.Call) -> None:
        if not isinstance(value, ast.Name) \
                or single_tag(self.types.get(value.id)) not in ("f8", "i8"):
            raise Unsupported(f"{ast.unparse(node)}: a derivative of a value other than a "
                              "float", node.lineno)


def _is_new_list(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
        and isinstance(statement.targets[0], ast.Name) \
        and isinstance(statement.value, ast.List) and not statement.value.elts


def _is_none_assignment(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
        and isinstance(statement.targets[0], ast.Name) \
        and isinstance(statement.value, ast.Constant) and statement.value.value is None


def _push_target(node: ast.AST) -> str | None:
    """The list ``node`` appends to, when it is a statement ``xs.append(v)``."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and func.attr == "append" \
                and isinstance(func.value, ast.Name) and len(node.value.args) == 1:
            return func.value.id
    return None


def _records_shape_only(statement: ast.Expr) -> bool:
    """Whether the push ``statement`` records ``shape_only(v)``."""
    return _is_call_of(statement.value.args[0], "shape_only")


def _pushed_name(statement: ast.Expr) -> str:
    """The variable a push records (``shape_only(v)`` records all of ``v``)."""
    value = statement.value.args[0]
    if _is_call_of(value, "shape_only") and len(value.args) == 1:
        value = value.args[0]
    if not isinstance(value, ast.Name):
        raise Unsupported(f"the record of {ast.unparse(value)}", statement.lineno)
    return value.id


def _pop_of(statement: ast.stmt) -> tuple[str, str] | None:
    """``(tape, target)`` for a statement ``target = tape.pop()``."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Name) \
            and isinstance(statement.value, ast.Call) and not statement.value.args:
        func = statement.value.func
        if isinstance(func, ast.Attribute) and func.attr == "pop" \
                and isinstance(func.value, ast.Name):
            return func.value.id, statement.targets[0].id
    return None


def _trip_count(loop: ast.stmt) -> ast.expr | None:
    """The number of iterations of ``for _ in range(...)`` as an expression of values
    known before the loop, or None."""
    if not isinstance(loop, ast.For) or not _is_range_call(loop.iter) or loop.orelse:
        return None
    bounds = [ast.unparse(a) for a in loop.iter.args]
    start, stop, step = (["0"] + bounds + ["1"])[:3] if len(bounds) == 1 else \
        (bounds + ["1"])[:3]
    return _expression(f"range_length({start}, {stop}, {step})")


def _zipped(iterable: ast.expr) -> list[ast.expr] | None:
    if _is_call_of(iterable, "zip") and not iterable.keywords:
        return list(iterable.args)
    if _is_call_of(iterable, "reversed"):
        return [iterable]
    return None


def _is_call_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == name


def _is_range_call(node: ast.AST) -> bool:
    return _is_call_of(node, "range") and not node.keywords and 1 <= len(node.args) <= 3


def _expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _constant(value: Any) -> ast.expr:
    return ast.Constant(value)


def _assign(name: str, value: ast.expr) -> ast.stmt:
    return ast.Assign(targets=[ast.Name(name, ast.Store())], value=value)


def _statements(lines: list[str], lineno: int) -> list[ast.stmt]:
    statements = ast.parse("\n".join(lines)).body
    for statement in statements:
        for node in ast.walk(statement):
            if hasattr(node, "lineno"):
                node.lineno = lineno
    return statements
