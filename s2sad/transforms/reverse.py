"""Reverse transform: a forward sweep that keeps what the reverse sweep needs, then the
reverse sweep, one block of adjoint statements per primal statement, in reverse order.

``f(x, W)`` becomes ``f_adjoint(x, W, y_bar=1.0) -> x_bar`` (a tuple of adjoints when
several inputs are differentiated). Adjoints that are symbolically zero get no code: the
first contribution to ``x_bar`` assigns it, later ones add to it.

Overwritten values: the reverse sweep runs each block with the primal variables holding
the values they had just after that statement ran forward. A statement that overwrites a
variable whose old value an earlier statement's adjoint reads saves it first
(``_x1 = x``) and the reverse sweep restores it (``x = _x1``) after the statement's own
block. Only such values are saved (to-be-recorded analysis).
"""

from __future__ import annotations

import copy

import gast

from s2sad.analyses.operations import Operation, targets_of
from s2sad.emit import comment
from s2sad.optimize.common_subexpressions import hoist_common_calls
from s2sad.optimize.dead_code import eliminate_dead_code
from s2sad.simplify import simplify
from s2sad.transforms.common import (
    Prepared,
    add,
    assign,
    call,
    load,
    names_read,
    parameters,
    plain_names,
    tuple_of,
)


class ReverseTransform:
    def __init__(self, prepared: Prepared) -> None:
        self.p = prepared
        self.live: set[str] = set()
        self._operation_of = {id(op.statement): op for op in prepared.operations}
        #: the variables that hold adjoints (never restored, unlike primal variables)
        self.adjoint_variables: set[str] = set()
        #: adjoint variables whose value is certainly a Python float (in real scalar code)
        self.float_variables: set[str] = set()
        #: adjoints currently held in another adjoint's variable (copies not emitted)
        #: or a constant (the unit seed of ``grad``)
        self.alias: dict[str, str | float] = {}
        self.plain = plain_names(prepared)
        self.primal_names = {n for op in prepared.operations for n in targets_of(op.statement)}
        self.primal_names |= set(parameters(prepared.core))

    def bar(self, name: str) -> str:
        variable = self.p.namer.bar(name)
        self.adjoint_variables.add(variable)
        return variable

    # -- assembling the function -------------------------------------------------------
    def function(
        self, name: str, *, wrt_tuple: bool, return_value: bool = False, scalar_check: bool = False
    ) -> gast.FunctionDef:
        core = self.p.core
        statements = core.body[:-1]
        returned = core.body[-1].value
        seed_name, seed_block = self._seed(returned, unit_seed=scalar_check)
        blocks: list[tuple[int, list[gast.stmt]]] = []
        for index in reversed(range(len(statements))):
            blocks.append((index, self._adjoint(index, self.p.operations[index])))
        saves = self._to_be_recorded(blocks)

        forward: list[gast.stmt] = []
        for index, statement in enumerate(statements):
            for target in targets_of(statement):
                if (index, target) in saves:
                    forward.append(assign(saves[index, target], load(target)))
            forward.append(statement)
        if scalar_check and not self._surely_scalar(returned):
            check = call(
                self.p.runtime("check_scalar"),
                copy.deepcopy(returned),
                gast.Constant(value=self.p.parsed.name, kind=None),
            )
            forward.append(gast.Expr(value=check))
        reverse: list[gast.stmt] = list(seed_block)
        last_origin = None
        for index, block in blocks:
            restores = [
                assign(target, load(saves[index, target]))
                for target in targets_of(statements[index])
                if (index, target) in saves
            ]
            origin = getattr(statements[index], "origin", None)
            if (block or restores) and origin is not None and origin is not last_origin:
                reverse.append(comment(self.p.parsed.source_of(origin)))
                last_origin = origin
            reverse.extend(block)
            reverse.extend(restores)
        if return_value:
            returned = self._keep_output(returned, saves, forward)
        reverse.append(self._return(returned, wrt_tuple, return_value))
        needed = set().union(*(names_read(s) for s in reverse))
        forward = eliminate_dead_code(forward, needed, self._is_pure)
        body = [comment("forward sweep"), *forward, comment("reverse sweep"), *reverse]
        if not forward:
            body = reverse

        args = copy.deepcopy(core.args)
        seed_param = gast.Name(id=seed_name, ctx=gast.Param(), annotation=None, type_comment=None)
        if seed_name is None:  # grad: the output's adjoint is the constant 1
            pass
        elif args.kwonlyargs:
            args.kwonlyargs.append(seed_param)
            args.kw_defaults.append(gast.Constant(value=1.0, kind=None))
        else:
            args.args.append(seed_param)
            args.defaults.append(gast.Constant(value=1.0, kind=None))
        definition = gast.FunctionDef(
            name=name,
            args=args,
            body=body,
            decorator_list=[],
            returns=None,
            type_comment=None,
            type_params=[],
        )
        definition.extra_parameters = [seed_name] if seed_name else []
        return definition

    def _seed(self, returned: gast.expr, unit_seed: bool) -> tuple[str | None, list[gast.stmt]]:
        """The parameter holding the output's adjoint, and statements spreading it. For
        ``grad`` (a scalar output) the adjoint is the constant 1, folded into the rules."""
        if isinstance(returned, gast.Name) and unit_seed:
            self.live.add(returned.id)
            self.alias[returned.id] = 1.0
            return None, []
        if isinstance(returned, gast.Name):
            self.live.add(returned.id)
            return self.bar(returned.id), []
        seed = self.p.namer.fresh("_y_bar")
        block: list[gast.stmt] = []
        if isinstance(returned, gast.Tuple):
            contributions: dict[str, list[gast.expr]] = {}
            for position, atom in enumerate(returned.elts):
                if isinstance(atom, gast.Name) and atom.id in self.p.active:
                    part = gast.Subscript(
                        value=load(seed),
                        slice=gast.Constant(value=position, kind=None),
                        ctx=gast.Load(),
                    )
                    contributions.setdefault(atom.id, []).append(part)
            self._accumulate(contributions, block)
        return seed, block

    def _keep_output(self, returned: gast.expr, saves, forward: list[gast.stmt]) -> gast.expr:
        """The output, read after the reverse sweep has restored overwritten variables: when
        one of its names is restored, the forward sweep keeps the final value aside first."""
        restored = {target for _, target in saves}
        if not any(isinstance(n, gast.Name) and n.id in restored for n in gast.walk(returned)):
            return returned
        kept = self.p.namer.fresh("_out")
        forward.append(assign(kept, copy.deepcopy(returned)))
        return load(kept)

    def _return(self, returned: gast.expr, wrt_tuple: bool, return_value: bool) -> gast.Return:
        gradients = []
        for param in self.p.wrt:
            if param in self.live and self._surely_float(param):
                gradients.append(self.current(param))
            elif param in self.live:
                gradients.append(call(self.p.runtime("match"), self.current(param), load(param)))
            else:
                gradients.append(call(self.p.runtime("zeros_like"), load(param)))
        value = tuple_of(gradients) if wrt_tuple else gradients[0]
        if return_value:
            value = tuple_of([copy.deepcopy(returned), value])
        return gast.Return(value=value)

    def _is_pure(self, statement: gast.stmt) -> bool:
        """Whether dropping ``statement`` (when its result is unused) changes nothing else."""
        operation = self._operation_of.get(id(statement))
        if operation is None:  # a save: ``_x1 = x``
            return isinstance(statement, gast.Assign) and isinstance(statement.value, gast.Name)
        if operation.kind == "opaque" or isinstance(statement, gast.Expr):
            return False
        module = getattr(operation.function, "__module__", None) or ""
        return "random" not in module

    def _surely_scalar(self, returned: gast.expr) -> bool:
        """The output is a scalar by construction (a math function, a full reduction)."""
        value = self.p.shapes.final.get(returned.id) if isinstance(returned, gast.Name) else None
        return value is not None and self.p.shapes.is_scalar(value)

    def _surely_float(self, param: str) -> bool:
        """In real scalar code, whether ``param``'s adjoint is certainly a Python float."""
        return self.p.scalar_code and self._float_valued(self.current(param))

    def _float_valued(self, node: gast.expr) -> bool:
        """Certainly a float, given floats come from math functions, ``/`` and float
        constants, and spread through arithmetic (an int or a bool times a float is one)."""
        if isinstance(node, gast.Constant):
            return isinstance(node.value, float)
        if isinstance(node, gast.Name):
            return node.id in self.float_variables
        if isinstance(node, gast.Call):
            return getattr(self._callee(node.func), "__module__", None) == "math"
        if isinstance(node, gast.UnaryOp):
            return self._float_valued(node.operand)
        if isinstance(node, gast.BinOp):
            return isinstance(node.op, gast.Div) or self._float_valued(node.left) or \
                self._float_valued(node.right)
        return False

    def _callee(self, func: gast.expr):
        if isinstance(func, gast.Name):
            bindings = self.p.namespace.bindings
            return bindings[func.id] if func.id in bindings else self.p.parsed.globals.get(func.id)
        if isinstance(func, gast.Attribute):
            return getattr(self._callee(func.value), func.attr, None)
        return None

    # -- to-be-recorded ----------------------------------------------------------------
    def _to_be_recorded(self, blocks) -> dict[tuple[int, str], str]:
        """Which (statement, target) pairs must save the old value, and under what name."""
        reads_before: dict[int, set[str]] = {}
        seen: set[str] = set()
        for index, block in sorted(blocks):  # forward order
            reads_before[index] = set(seen)
            for statement in block:
                seen |= names_read(statement) & self.primal_names
        statements = self.p.core.body[:-1]
        saves = {}
        defined = set(parameters(self.p.core))
        for index, statement in enumerate(statements):
            for target in targets_of(statement):
                if target in defined and target in reads_before[index]:
                    saves[index, target] = self.p.namer.numbered(f"_{target}")
                defined.add(target)
        return saves

    # -- adjoints of one statement -----------------------------------------------------
    def _adjoint(self, index: int, operation: Operation) -> list[gast.stmt]:
        targets = targets_of(operation.statement)
        if not any(t in self.live for t in targets) or operation.kind == "inactive":
            self.live.difference_update(targets)
            return []
        block: list[gast.stmt] = []
        contributions = self._contributions(index, operation, targets, block)
        self.live.difference_update(targets)
        self._accumulate(contributions, block)
        return block

    def _seed_of(self, targets: list[str], tuple_target: bool) -> gast.expr:
        if not tuple_target:
            return self.current(targets[0])
        return tuple_of(
            [
                self.current(t) if t in self.live else call(self.p.runtime("zeros_like"), load(t))
                for t in targets
            ]
        )

    def _contributions(
        self, index: int, operation: Operation, targets: list[str], block: list[gast.stmt]
    ) -> dict[str, list[gast.expr]]:
        """Each active argument's adjoint contributions; helper statements go to ``block``."""
        kind = operation.kind
        statement = operation.statement
        tuple_target = not isinstance(statement.targets[0], gast.Name)
        g = self._seed_of(targets, tuple_target)
        out: dict[str, list[gast.expr]] = {}

        def give(atom: gast.expr, value: gast.expr) -> None:
            if isinstance(atom, gast.Name) and atom.id in self.p.active:
                out.setdefault(atom.id, []).append(value)

        if kind == "copy":
            give(operation.operands[0], g)
        elif kind == "unpack":
            give(operation.operands[0], g)
        elif kind == "display":
            for position, atom in enumerate(operation.operands):
                give(atom, _item(g, position))
        else:
            ans = tuple_of([load(t) for t in targets]) if tuple_target else load(targets[0])
            for param, atom in operation.arguments.items():
                if not any(
                    isinstance(n, gast.Name) and n.id in self.p.active for n in gast.walk(atom)
                ):
                    continue
                if kind == "opaque" or param not in operation.rules.vjps:
                    raise self.p.missing(operation, "reverse", None if kind == "opaque" else param)
                rule = operation.rules.vjps[param]
                value = self.p.inliner.expand(
                    rule.template,
                    [copy.deepcopy(g), ans],
                    operation.arguments,
                    self.p.same_shape(index, operation),
                    param,
                )
                if isinstance(atom, gast.Name):
                    give(atom, value)
                elif isinstance(atom, (gast.Tuple, gast.List)):  # a sequence argument
                    if not isinstance(value, gast.Tuple):  # compute the adjoints once
                        adjoints = self.p.namer.fresh(self.p.namer.temp() + "_bar")
                        block.append(assign(adjoints, value))
                        value = load(adjoints)
                    for position, element in enumerate(atom.elts):
                        give(element, _item(value, position))
        return out

    def _accumulate(
        self, contributions: dict[str, list[gast.expr]], block: list[gast.stmt]
    ) -> None:
        """Add each name's contributions to its adjoint.

        All right-hand sides read adjoint values from before this statement's block, so an
        assignment that would overwrite a variable another pending right-hand side still
        reads waits; if every pending assignment waits on another, the value read is copied
        aside first.
        """
        pending: list[tuple[str, gast.expr]] = []
        for name, values in contributions.items():
            plain = name in self.plain
            total = values[0]
            for value in values[1:]:
                total = add(total, value) if plain else call(self.p.runtime("add"), total, value)
            if name in self.live:
                current = self.current(name)
                total = (
                    add(current, total) if plain else call(self.p.runtime("add"), current, total)
                )
            pending.append((name, simplify(total)))
        hoisted, totals = hoist_common_calls(
            [e for _, e in pending], self.p.namer.temp, self._worth_keeping
        )
        block.extend(hoisted)
        pending = [(name, total) for (name, _), total in zip(pending, totals)]
        while pending:
            ready = next((i for i, (name, _) in enumerate(pending)
                          if not self._read_by_others(self.bar(name), pending, i)), None)
            if ready is None:  # a cycle: keep the first clobbered value aside
                variable = self.bar(pending[0][0])
                kept = self.p.namer.fresh(f"{variable}_kept")
                block.append(assign(kept, load(variable)))
                pending = [(n, _rename(e, variable, kept)) for n, e in pending]
                continue
            name, total = pending.pop(ready)
            if (name not in self.live and isinstance(total, gast.Name)
                    and total.id in self.adjoint_variables):
                self.alias[name] = total.id  # x_bar is y_bar: no copy, just another name
            elif name not in self.live and _is_number(total):
                self.alias[name] = total.value  # a constant adjoint folds into its uses
            else:
                self._assign_bar(name, total, block)
            self.live.add(name)

    def _worth_keeping(self, call: gast.Call) -> bool:
        """Repeated calls are computed once, except ``conj`` (free for real values) and
        calls on constants only (``slice(None, None, None)``)."""
        from s2sad.runtime import conj

        func = call.func
        if isinstance(func, gast.Name) and self.p.namespace.bindings.get(func.id) is conj:
            return False
        return not all(isinstance(a, gast.Constant) for a in call.args)

    @staticmethod
    def _read_by_others(variable: str, pending, index: int) -> bool:
        return any(variable in names_read(e) for i, (_, e) in enumerate(pending) if i != index)

    def current(self, name: str) -> gast.expr:
        """``name``'s adjoint now: its variable, another adjoint's variable it equals, or a
        constant."""
        held = self.alias.get(name, self.bar(name))
        return load(held) if isinstance(held, str) else gast.Constant(value=held, kind=None)

    def _assign_bar(self, name: str, value: gast.expr, block: list[gast.stmt]) -> None:
        variable = self.bar(name)
        for other, held_in in list(self.alias.items()):
            if held_in == variable and other != name and other in self.live:
                block.append(assign(self.bar(other), load(variable)))  # keep the other's value
                self.alias[other] = self.bar(other)
        block.append(assign(variable, value))
        self.alias[name] = variable
        if self._float_valued(value):
            self.float_variables.add(variable)
        else:
            self.float_variables.discard(variable)


def _is_number(node: gast.expr) -> bool:
    return (isinstance(node, gast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


def _rename(expression: gast.expr, old: str, new: str) -> gast.expr:
    expression = copy.deepcopy(expression)
    for node in gast.walk(expression):
        if isinstance(node, gast.Name) and node.id == old:
            node.id = new
    return expression


def _item(value: gast.expr, position: int) -> gast.expr:
    if isinstance(value, gast.Tuple):
        return copy.deepcopy(value.elts[position])
    return gast.Subscript(
        value=copy.deepcopy(value), slice=gast.Constant(value=position, kind=None), ctx=gast.Load()
    )
