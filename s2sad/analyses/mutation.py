"""Mutation: the transforms assume no value is modified in place; reject what breaks that.

Two constructs could modify a value behind the derivative's back, and each is rejected at
its line unless it provably cannot:

- a call made for its effect (``x.sort()``) that is given an active value, and any call
  not known to leave its arguments alone (``activity.written_names``) that is given a
  value that is active after it (``z = some_c_function(y, x)``, ``r = y.sort()``): it may
  write into it;
- augmented assignment (``x += e``). s2sad evaluates it as ``x = x + e``, a new value, which
  is the same thing unless another variable shares memory with ``x`` (``y = x``, a slice or
  a transpose of ``x``, a tuple holding ``x``) and is read afterwards: then the original code
  would change that variable too.

Memory sharing is tracked conservatively through the core (a loop body is walked twice,
each branch of an ``if`` from what was shared before it): operations known to return a
new object (arithmetic, ufuncs, ``math``, reductions, products, ``len``, ``.copy()``)
break sharing (``analyses/sharing.py``); anything else is assumed to return a view of
its arguments. Appending to a list, popping from it, or writing an entry of a new dict
or list leaves what its elements are: a name holding an element read from it (``x =
xs[k]``, or a value computed from such names alone) may still be in use then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import gast

from s2sad.analyses.activity import written_names
from s2sad.analyses.operations import Operation, targets_of
from s2sad.analyses.restores import find_restore
from s2sad.analyses.sharing import (
    DISPLAYS,
    FRESH_EXPRESSIONS,
    IN_PLACE,
    array_indices,
    copy_relation,
    displays,
    entry_removed,
    follow_elements,
    is_fresh,
    join_paths,
    new_container,
    replace_relation,
    shared_part,
    views_of_written,
)
from s2sad.frontend import ParsedFunction
from s2sad.normalize import local_names
from s2sad.origin import is_generated
from s2sad.trees import walk

__all__ = ["IN_PLACE", "check_mutation", "views_of_written"]


#: kinds (``analyses/kinds.py``) of values no operation changes in place
_IMMUTABLE = frozenset({"int", "tuple", "str"})


class Mutation(NamedTuple):
    """What ``check_mutation`` found besides its refusals."""

    #: the parameters written in place (the derivative copies them first: it never
    #: changes its caller's arrays)
    written_parameters: set[str]
    #: ids of the element reads ``s = w[i]`` taken for copies, so that a write into
    #: ``w`` while ``s`` is in use is safe: the code must read them with
    #: ``single_element``, which refuses a view when it runs
    element_reads: set[int]
    #: names from outside the function (globals, a closure's cells, parameters whose
    #: default it may write into) it writes a value carrying a derivative into: that
    #: derivative leaves with them, unseen by a caller
    written_outside: set[str]


def check_mutation(parsed: ParsedFunction, core: gast.FunctionDef,
                   operations: Sequence[Operation], active: set[str],
                   kinds=None, varied: set[str] | None = None) -> Mutation:
    """Raise an ``UnsupportedSyntaxError`` at the first unsafe in-place construct; else
    what the writes in place reach (``Mutation``). ``kinds`` (``analyses/kinds.py``)
    tells which indices are integers; ``varied``, the names carrying a derivative
    whether the output reads them or not (``active`` when not given)."""
    checked: set[int] = set()
    while True:
        check = _MutationCheck(parsed, core, operations, active, kinds, checked, varied)
        try:
            check.visit(core.body[:-1])
        except _ElementReads as reads:  # take them for copies, checked, and walk again
            checked |= reads.statements
            continue
        return Mutation(check.written, checked, check.written_outside)


def check_callee_writes(parsed: ParsedFunction, operation: Operation, generated) -> None:
    """Refuse the call ``operation`` of a user function whose derivative ``generated``
    writes in place into an argument the call gives it (the caller's array changes), or
    a value carrying a derivative into a global, a closure's cell or a default
    (``Mutation.written_outside``): the caller's derivative would follow neither."""
    function = operation.function
    for name in generated.written_parameters:
        atom = operation.arguments.get(name)
        if isinstance(atom, gast.Name):
            raise parsed.error(
                operation.statement, f"{function.__qualname__} writes into its argument "
                f"{name!r} in place, which changes the caller's {atom.id!r}: s2sad cannot "
                "differentiate that", f"copy it first inside {function.__name__} "
                f"({name} = {name}.copy())")
    for name in generated.written_outside:
        if name in operation.arguments:  # a parameter given: the caller's argument
            continue
        kept = (f"gives a value carrying a derivative to {name}, which may keep it"
                if name.startswith("the call ") else f"writes a value carrying a derivative into "
                f"{name!r}, a variable from outside it, in place")
        raise parsed.error(
            operation.statement, f"{function.__qualname__} {kept}: the derivative would not "
            "follow it to where it is read",
            f"return the value from {function.__name__} and write it here instead")


class _ElementReads(Exception):
    """A write is safe once these element reads are taken for copies."""

    def __init__(self, statements: set[int]) -> None:
        self.statements = statements


class _MutationCheck:
    """The walk of ``check_mutation``: which names may share memory at each statement."""

    def __init__(self, parsed: ParsedFunction, core: gast.FunctionDef,
                 operations: Sequence[Operation], active: set[str], kinds=None,
                 checked: set[int] = frozenset(), varied: set[str] | None = None) -> None:
        self.parsed = parsed
        self.kinds = kinds
        #: element reads taken for copies (see ``check_mutation``)
        self.checked = checked
        #: name -> the element read ``name = w[i]`` that last defined it
        self.core = core
        self.active = active
        self.operation_of = {id(op.statement): op for op in operations}
        self.operations = operations
        #: a list -> the names that may be it or hold it (see ``_holders``)
        self.holders_of: dict[str, set[str]] = {}
        #: id of a statement -> the names read after it
        self.later: dict[int, set[str]] = {}
        self.parameters = {a.id for a in core.args.posonlyargs + core.args.args
                           + core.args.kwonlyargs}
        positional = core.args.posonlyargs + core.args.args
        #: parameters with a default: an object from outside, unless the call gives one
        self.defaulted = {a.id for a in positional[len(positional) - len(core.args.defaults):]}
        self.defaulted |= {a.id for a, d in zip(core.args.kwonlyargs, core.args.kw_defaults)
                           if d is not None}
        # the caller still holds the parameters: they count as read at the end
        _read_after(core.body[:-1], _reads(core.body[-1]) | self.parameters, self.later)
        #: id of a statement -> the names the function itself reads after it
        self.read_later: dict[int, set[str]] = {}
        _read_after(core.body[:-1], _reads(core.body[-1]), self.read_later)
        #: name -> names that may share its memory
        self.shares: dict[str, set[str]] = {}
        #: a list -> the names that may hold one of its elements (or a part of one), never
        #: the list itself: appending to the list or popping from it leaves them as they are
        self.elements: dict[str, set[str]] = {}
        #: names only ever bound to a new dict or list: writing an entry replaces the entry
        #: and leaves the value it held (and what shares it) as it was
        self.displays = displays(core, parsed.resolve)
        #: names that hold index arrays: reading through one copies (``y = x[[0, 1]]``)
        self.array_indices = array_indices(operations)
        self.reads_of: dict[str, int] = {}
        #: the parameters written in place
        self.written: set[str] = set()
        #: names from outside written values carrying a derivative
        self.written_outside: set[str] = set()
        self.local = local_names(core)
        #: values carrying a derivative, read by the output or not
        self.varied = active if varied is None else varied
        #: id of a statement undoing a write -> the names bound between the two
        self.restored: dict[int, frozenset[str]] = {}

    def visit(self, body: Sequence[gast.stmt]) -> None:
        """The simple statements as they may run: a loop body twice (its second pass sees
        what the first left shared), each branch of an ``if`` from what was shared before
        it; after the ``if``, what either branch left."""
        shares, elements = self.shares, self.elements
        for statement in body:
            if isinstance(statement, gast.If):
                before = copy_relation(shares), copy_relation(elements)
                self.visit(statement.body)
                taken = copy_relation(shares), copy_relation(elements)
                replace_relation(shares, before[0])
                replace_relation(elements, before[1])
                self.visit(statement.orelse)
                join_paths(shares, elements, *taken)
            elif isinstance(statement, (gast.For, gast.While)):
                self.visit(statement.body)
                self.visit(statement.body)
            else:
                self.check(statement, body)

    def check(self, statement: gast.stmt, block: Sequence[gast.stmt] = ()) -> None:
        operation = self.operation_of[id(statement)]
        if operation.kind in IN_PLACE:
            self._check_write(statement, operation, block)
            return
        self._check_call(statement, operation)
        self._check_entry_removed(statement)
        targets = targets_of(statement)
        self._check_augmented(statement, targets)
        self._track(statement, operation, targets)

    def _partners_in_use(self, name: str, statement: gast.stmt,
                         spared: set[str] = frozenset()) -> bool:
        return bool((self.shares.get(name, set()) - spared) & self.later[id(statement)])

    def _check_write(self, statement: gast.stmt, operation: Operation,
                     block: Sequence[gast.stmt] = ()) -> None:
        """``x[i] = v``, ``xs.append(v)``, ...: ``x`` shares its memory with no name in use
        (or none until a later statement undoes the write, see ``restores.py``)."""
        name = operation.operands[0].id
        spared = self.elements.get(name, set()) \
            if operation.kind in ("append", "pop") or name in self.displays else set()
        if operation.kind in ("append", "pop") and name in self.displays:
            # a new list changes for the names that are it or hold it only
            spared = spared | (self.shares.get(name, set()) - self._holders(name))
        partners = self.shares.get(name, set()) - spared
        restore = find_restore(block, statement) if operation.kind == "setitem" else None
        if restore is not None:  # views are read only after the restore: the write is safe
            self.restored[id(restore.statement)] = restore.bound
            spared = spared | (partners - restore.window)
        if id(statement) in self.restored:  # a restore: views bound before the write hold
            spared = spared | (partners - self.restored[id(statement)])  # their value again
        if self._partners_in_use(name, statement, spared):
            in_use = (self.shares.get(name, set()) - spared) & self.later[id(statement)]
            if all(p in self.reads_of for p in in_use):  # s = w[i]: one element, if checked
                raise _ElementReads({self.reads_of[p] for p in in_use})
            raise self.parsed.error(
                statement, f"writing into {name!r}, which may share memory with another "
                "variable still in use (a second name, a slice, a view or a container "
                "of it)", f"make it an array of its own first: {name} = {name}.copy()")
        if name in self.parameters and not any(
                name in targets_of(s) for s in _before(self.core.body[:-1], statement)):
            self.written.add(name)
        reached = {name} | self.shares.get(name, set())
        outside = (reached - self.local) | (reached & self.defaulted)
        if outside and any(n in self.varied for n in operation.names_read()):
            self.written_outside |= outside

    def _keeps_a_derivative(self, statement: gast.stmt, operation: Operation) -> None:
        """Whether a call of unknown effects, made for them (``q.put(y)``,
        ``log_it(y)``), is given a value carrying a derivative that the output does not
        read; raise where the function reads afterwards what the call may have kept it in
        (an object it was given, or data of its globals), else keep the call in
        ``written_outside``: the derivative leaves with it, unseen by a caller."""
        reads = operation.names_read()
        if not any(name in self.varied for name in reads):
            return
        after = self.read_later[id(statement)]
        held = (set(reads) - self.varied) | {n for n in after - self.local
                                             if self._holds_data(n)}
        if held & after:
            raise self.parsed.error(
                statement, f"{_called(operation)} is given a value carrying a derivative "
                f"and may keep it in {sorted(held & after)[0]!r}, read afterwards: s2sad "
                "cannot follow the derivative there", "pass the value on as an argument or "
                "a returned value instead")
        self.written_outside.add(_called(operation))

    def _holds_data(self, name: str) -> bool:
        """Whether the global ``name`` holds data (not a module, a function or a class)."""
        value = self.parsed.resolve(name)
        return not (isinstance(value, type(gast)) or callable(value) or value is None)

    def _check_entry_removed(self, statement: gast.stmt) -> None:
        """``d = removed_entry(d, k)`` stands for ``del d[k]``: refused where a name still
        in use may be ``d`` or hold it (it would see the entry go), the values read from
        ``d`` aside."""
        name = entry_removed(getattr(statement, "value", None), self.parsed.resolve)
        if name is None or is_generated(self.parsed.filename):  # (there, a new dict only)
            return
        spared = self.elements.get(name, set()) | {name} | set(targets_of(statement))
        in_use = (self._holders(name) - spared) & self.later[id(statement)]
        if in_use:
            raise self.parsed.error(
                statement, f"removing an item of {name!r}, which another variable still in "
                f"use may hold ({sorted(in_use)[0]!r})",
                "build a new list or dict without it instead")

    def _holders(self, name: str) -> set[str]:
        """The names that may be the list ``name`` or hold it, at any point of the function:
        each name a statement reading one of them binds or may write into (a call is
        taken to store what it reads in every name it is given)."""
        found = self.holders_of.get(name)
        if found is not None:
            return found
        found = {name}
        changed = True
        while changed:
            changed = False
            for operation in self.operations:
                statement = operation.statement
                if not _reads(statement) & found:
                    continue
                reached = set(targets_of(statement))
                if operation.kind in IN_PLACE:
                    reached.add(operation.operands[0].id)
                if operation.kind in ("call", "method", "value", "opaque"):
                    reached |= set(operation.names_read())
                if not reached <= found:
                    found |= reached
                    changed = True
        self.holders_of[name] = found
        return found

    def _element_read(self, value: gast.AST) -> bool:
        """``w[i]``, ``w[i, j]`` with integer indices: one element of an array with as many
        axes (a copy), or a view of a row of one with more."""
        if not (self.kinds is not None and isinstance(value, gast.Subscript)
                and isinstance(value.value, gast.Name)):
            return False
        index = value.slice
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        return bool(parts) and all(self.kinds.of(p) == "int" for p in parts)

    def _check_call(self, statement: gast.stmt, operation: Operation) -> None:
        """A call writes into no value carrying a derivative, nor, given an ``out``, into a
        name that shares memory with another still in use (``np.cumsum(x, 0, None, A[1])``:
        the write lands in ``A``, which activity, following names, does not see)."""
        active = self.active
        written = written_names(operation)
        out = operation.arguments.get("out") if operation.kind == "apply" else None
        shared = [n for n in written if out is not None and self._partners_in_use(n, statement)]
        if shared:
            given = "an argument" if shared[0].startswith("_") else repr(shared[0])
            raise self.parsed.error(
                statement, f"{_called(operation)} may write into {given}, which may share "
                "memory with another variable still in use (a second name, a slice, a view "
                "or a container of it)", "write into an array of its own, or use the value "
                "the call returns")
        written_active = [n for n in written if n in active]
        if written_active and operation.kind == "apply":  # given an out by position
            raise self.parsed.error(
                statement, f"{_called(operation)} writes its result into its out argument "
                f"{written_active[0]!r}, given by position", "use the returned value instead")
        # a user function's writes are known (check_callee_writes, from prepared.py); any
        # other callee may keep a value carrying a derivative, read or not
        if isinstance(statement, gast.Expr) and operation.kind not in ("inactive", "call"):
            if any(name in active for name in operation.names_read()):
                raise self.parsed.error(
                    statement, "a call whose result is not used may modify its arguments in "
                    "place, which s2sad cannot differentiate",
                    "use a function that returns a new value, e.g. y = np.sort(x) instead of "
                    "x.sort()")
            self._keeps_a_derivative(statement, operation)
        if written_active and not any(t in active for t in targets_of(statement)):
            raise self.parsed.error(  # (a written target: no rule, an error of its own)
                statement, f"{_called(operation)} may write into {written_active[0]!r}, "
                "which carries a derivative, and s2sad has no rule for that write",
                "compute a new value instead (y = f(...)), or give the function a rule "
                "(s2sad.custom_vjp)")

    def _check_augmented(self, statement: gast.stmt, targets: list[str]) -> None:
        """``x += e`` (evaluated as ``x = x + e``) of an ``x`` no other name in use holds."""
        origin = getattr(statement, "origin", None)
        if isinstance(origin, gast.AugAssign) and isinstance(origin.target, gast.Name) \
                and targets == [origin.target.id] and self._partners_in_use(targets[0],
                                                                           statement):
            if self.kinds is not None and self.kinds.kinds.get(targets[0]) in _IMMUTABLE:
                return  # t += (v,) makes a new tuple: what shared t keeps the old one
            raise self.parsed.error(
                origin, f"augmented assignment to {origin.target.id!r}, which may share "
                "memory with another variable still in use (a second name, a slice, a "
                "view or a container of it)",
                f"write {origin.target.id} = {origin.target.id} {_symbol(origin.op)} ... "
                "to make a new value")

    def _track(self, statement: gast.stmt, operation: Operation, targets: list[str]) -> None:
        """The names the statement's targets may share memory with from now on."""
        shares, elements = self.shares, self.elements
        for target in targets:  # a new value: whatever it shared, it shares no more
            for partner in shares.pop(target, set()):
                shares.get(partner, set()).discard(target)
            for held in elements.values():
                held.discard(target)
            self.reads_of.pop(target, None)
        if id(statement) in self.checked:  # read by single_element: a copy
            return
        value = shared_part(operation, getattr(statement, "value", statement))
        if len(targets) == 1 and self._element_read(value):
            self.reads_of[targets[0]] = id(statement)
        if is_fresh(operation) or isinstance(value, FRESH_EXPRESSIONS) or (
                isinstance(value, gast.Subscript) and isinstance(value.slice, gast.Name)
                and value.slice.id in self.array_indices):  # advanced indexing: a copy
            return
        sources = {n.id for n in walk(value) if isinstance(n, gast.Name)}
        group = set(sources).union(*(shares.get(n, set()) for n in sources)) - set(targets)
        if isinstance(value, DISPLAYS) or new_container(value, self.parsed.resolve):
            for target in targets:  # [a, b], list(xs): a new container holding them, and
                # what shares their memory (x for a = x[0]): none of these is the container
                elements.setdefault(target, set()).update(group)
        follow_elements(elements, shares, value, sources, targets)
        for target in targets:
            shares[target] = set(group) | (set(targets) - {target})
            for partner in group:
                shares.setdefault(partner, set()).add(target)


def _before(body: Sequence[gast.stmt], statement: gast.stmt) -> list[gast.stmt]:
    """The simple statements that come before ``statement`` in source order."""
    found = []
    for other in _in_execution_order(body):
        if other is statement:
            break
        found.append(other)
    return found


def _reads(node: gast.AST) -> set[str]:
    return {n.id for n in walk(node)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def _in_execution_order(body: Sequence[gast.stmt]):
    """The simple statements as they may run: a loop body twice (its second pass sees what
    the first left shared), both branches of an ``if``."""
    for statement in body:
        if isinstance(statement, gast.If):
            yield from _in_execution_order(statement.body)
            yield from _in_execution_order(statement.orelse)
        elif isinstance(statement, (gast.For, gast.While)):
            yield from _in_execution_order(statement.body)
            yield from _in_execution_order(statement.body)
        else:
            yield statement


def _read_after(body: Sequence[gast.stmt], live: set[str], later: dict[int, set[str]],
                exits: list[set[str]] | None = None) -> set[str]:
    """Fill ``later``: for each simple statement, the names live after it (read by some
    statement that may run later, before being assigned again). Returns those live before
    ``body``; ``exits`` holds what is live after the enclosing loop (where break goes)."""
    live = set(live)
    for statement in reversed(body):
        if isinstance(statement, gast.If):
            live = (_read_after(statement.body, live, later, exits)
                    | _read_after(statement.orelse, live, later, exits)
                    | _reads(statement.test))
        elif isinstance(statement, (gast.For, gast.While)):
            header = statement.iter if isinstance(statement, gast.For) else statement.test
            target = {statement.target.id} if isinstance(statement, gast.For) else set()
            head = live | _reads(header)
            while True:
                start = _read_after(statement.body, head, later, [live])
                new_head = live | _reads(header) | (start - target)
                if new_head == head:
                    break
                head = new_head
            live = head
        elif isinstance(statement, gast.Break):
            live = set(exits[-1]) if exits else live
        else:
            later[id(statement)] = set(live)
            live = (live - set(targets_of(statement))) | _reads(statement)
    return live


def _called(operation: Operation) -> str:
    """The function a call statement calls, as the user wrote it."""
    node = getattr(getattr(operation.statement, "value", None), "func", None)
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, gast.Name):
        parts.append(node.id)
    return f"the call {'.'.join(reversed(parts)) or 'of an expression'}(...)"


def _symbol(op: gast.operator) -> str:
    symbols = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**",
               gast.MatMult: "@", gast.FloorDiv: "//", gast.Mod: "%"}
    return symbols.get(type(op), "op")
