"""The analyses, run in order on the normalized function, and the facts they give.

``analyse`` describes each core statement (``operations``), reads local constants
(``constants``), settles casts, gives names their kinds, finds the active names,
checks in-place writes (``mutation``), binds the names the derivative reads
(``Namespace``), proves shapes equal (``shapes``) and classifies the code (real scalar
arithmetic, array loops that keep real values real). The transforms read the result, a
``Prepared``, and emit.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
from dataclasses import dataclass, field

import gast

from s2sad.analyses.activity import active_names, varied_names
from s2sad.analyses.casts import check_dtypes, settle_casts
from s2sad.analyses.constants import constant_reads
from s2sad.analyses.kinds import Kinds
from s2sad.analyses.mutation import check_callee_writes, check_mutation
from s2sad.analyses.operations import Operation, OperationFinder, missing_rule, targets_of
from s2sad.analyses.real_values import (
    is_scalar_arithmetic,
    operation_keeps_real,
    real_free_values,
)
from s2sad.analyses.sequence_arguments import arrays_for_numpy
from s2sad.analyses.shapes import ShapeClasses
from s2sad.callees import Derivatives
from s2sad.errors import S2sadError, UnsupportedSyntaxError
from s2sad.frontend import ParsedFunction
from s2sad.namespace import Namespace
from s2sad.naming import Namer
from s2sad.nodes import assign, load, parameters
from s2sad.normalize import COMPOUND, local_names, simple_statements
from s2sad.origin import PRIMAL_ATTRIBUTE, is_generated, user_function, user_origin
from s2sad.request import Request
from s2sad.rules import RULES
from s2sad.runtime.writes import single_element
from s2sad.templates import TemplateInliner, literal
from s2sad.trees import copy_tree, walk


@dataclass
class Prepared:
    """A user function after the front end, fence, normalization and analyses."""

    parsed: ParsedFunction
    core: gast.FunctionDef
    operations: list[Operation]
    active: set[str]
    wrt: list[str]
    namer: Namer
    namespace: Namespace
    inliner: TemplateInliner
    shapes: ShapeClasses
    #: real scalar code (see ``prepare``): every value is a real float
    scalar_code: bool = False
    #: id of each simple statement of the core -> its index in ``operations``
    index_of: dict[int, int] = field(default_factory=dict)
    #: Python arithmetic on parameters not known to be scalars: these, when they are
    #: floats at run time, make it real scalar code, worth a version of its own (see
    #: ``specialized``)
    scalar_unless: list[str] = field(default_factory=list)
    #: parameters the function writes into (the derivative writes into copies)
    written_parameters: list[str] = field(default_factory=list)
    #: code whose values stay real when the parameters are real: these parameters, when
    #: real at run time, select the version without ``conj`` (real by default)
    real_unless: list[str] = field(default_factory=list)
    #: False: emit the derivative as the rules give it (no shape facts, no specialized
    #: versions, no aliasing, common-subexpression or dead-code elimination)
    optimize: bool = True
    #: what sort of value each name holds (``s2sad/analyses/kinds.py``)
    kinds: Kinds | None = None
    #: every operation keeps real values real and every outside value is real: the
    #: output is real when the arguments are
    keeps_real: bool = False
    #: the free values (paths from a global or closure name, ``("mod", ("c",))``) that
    #: real code (``scalar_code``, ``scalar_unless``, ``real_unless``) found real numbers
    #: (or real arrays, for ``real_unless``): its guard tests them again at every call
    assumed_real: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: the derivatives of the functions it calls, as the pipeline builds them
    derivatives: Derivatives | None = None
    #: in arithmetic code, the values unpacked from calls of functions that give
    #: numbers for numbers (``Derivatives.value_kind``): numbers where the arguments are
    number_results: list[tuple[str, int]] = field(default_factory=list)
    #: globals and closure cells the function writes values carrying a derivative into
    written_outside: list[str] = field(default_factory=list)
    #: in a version for float arguments: the parameters its guard tests to be floats
    #: (the others may be ints or 0-d arrays, whose adjoints ``match`` makes of their type)
    guarded_floats: list[str] | None = None
    #: in a version for arguments of known shapes: each name all of whose values have
    #: one known shape, with that shape (``versions.shaped``)
    known_shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: there, the parameters that are float64 arrays (never rebound, and no integer
    #: arrays among the arguments), and those that are arrays
    float64_arrays: set[str] = field(default_factory=set)
    array_parameters: set[str] = field(default_factory=set)

    @property
    def written_arrays(self) -> set[str]:
        """Names some statement writes into in place (``x[i] = v``)."""
        return {op.operands[0].id for op in self.operations if op.kind == "setitem"}

    def copied_parameters(self, owned=None) -> list[gast.stmt]:
        """``x = x.copy()`` for each parameter written in place (and, given ``owned``, a
        function making an owned tangent, ``x_dot = owned(x_dot, "x")`` too)."""
        copies = []
        for name in self.written_parameters:
            method = gast.Attribute(value=load(name), attr="copy", ctx=gast.Load())
            copies.append(assign(name, gast.Call(func=method, args=[], keywords=[])))
            if owned is not None and name in self.wrt:
                dot = self.namer.dot(name)
                copies.append(assign(dot, owned(load(dot), name)))
        return copies

    @property
    def has_control_flow(self) -> bool:
        return any(isinstance(s, COMPOUND) for s in walk(self.core))

    def same_shape(self, index: int, operation: Operation) -> frozenset[str]:
        """Parameters of statement ``index`` whose arguments have the result's shape."""
        targets = targets_of(operation.statement)
        if len(targets) != 1 or not self.optimize:
            return frozenset()
        return frozenset(
            p
            for p, atom in operation.arguments.items()
            if self.shapes.same_as_result(index, targets[0], atom)
        )

    @property
    def outputs(self) -> list[gast.expr]:
        returned = self.core.body[-1].value
        return list(returned.elts) if isinstance(returned, gast.Tuple) else [returned]

    def missing(self, operation: Operation, mode: str, argument: str | None = None):
        return missing_rule(self.parsed, operation, mode, argument)

    def copy(self) -> Prepared:
        """A copy to transform while this one stays as it is: its own tree, operations,
        names and bindings, with the analyses' results."""
        memo: dict[int, gast.AST] = {}
        core = copy_tree(self.core, memo)
        operations = [dataclasses.replace(
            op, statement=copy_tree(op.statement, memo), operands=copy_tree(op.operands, memo),
            arguments={k: copy_tree(v, memo) for k, v in op.arguments.items()})
            for op in self.operations]
        namer = self.namer.copy()
        namespace = self.namespace.copy(namer)
        inliner = TemplateInliner(namespace)
        inliner.real_only = self.inliner.real_only
        return dataclasses.replace(
            self, core=core, operations=operations, active=set(self.active),
            wrt=list(self.wrt), namer=namer, namespace=namespace, inliner=inliner,
            shapes=self.shapes.copy(operations),
            index_of={id(memo[k]): i for k, i in self.index_of.items()})

    def runtime(self, name: str) -> str:
        """The generated code's name for an ``s2sad.runtime`` helper."""
        from s2sad import runtime

        return self.namespace.name_for(getattr(runtime, name), name)


def analyse(parsed: ParsedFunction, core: gast.FunctionDef, namer: Namer, wrt: list[str],
            derivatives: Derivatives, mode: str = "reverse", optimize: bool = True,
            complex_values: bool = False, vector: bool = False) -> Prepared:
    """The analyses of the normalized function ``core``, front to back, as one ``Prepared``.
    ``complex_values``: differentiate functions nondifferentiable for real values only
    (``np.sign``) by their complex rules. ``vector``: for vector forward mode."""
    core_locals = local_names(core)
    finder = OperationFinder(parsed, core_locals, mode, complex_values)
    simple = list(simple_statements(core.body[:-1]))
    operations = [finder.describe(s) for s in simple]                  # operations
    if optimize:  # the rules and the shape analysis see local constants as numbers
        _read_constants(core, operations)                               # constants
    unknown_dtypes = settle_casts(operations, parsed.resolve, core_locals)  # casts
    kinds = Kinds(operations, parameters(core), {id(s) for s in core.body},  # kinds
                  [n.target.id for n in walk(core) if isinstance(n, gast.For)
                   and isinstance(n.target, gast.Name)])
    kinds.retarget(operations, RULES.find)  # list + list is concat, not arithmetic
    returned = core.body[-1].value
    outputs = {n.id for n in walk(returned) if isinstance(n, gast.Name)}
    active = active_names(operations, set(wrt), outputs)                # activity
    converted = arrays_for_numpy(parsed, core, operations, kinds, active, namer, vector)
    if converted is not None:  # np.power([x, y], 2): the rules see the array NumPy makes
        return analyse(converted, core, namer, wrt, derivatives, mode, optimize,
                       complex_values, vector)
    check_dtypes(unknown_dtypes, operations, active, parsed.error)
    varied = varied_names(operations, set(wrt))
    written_parameters, element_reads, written_outside = check_mutation(  # mutation
        parsed, core, operations, active, kinds, varied)
    _check_calls_writing_outside(parsed, operations, active, varied, derivatives)
    _check_methods(parsed, operations, active, mode)
    namespace = _namespace(parsed, core, namer, core_locals, finder)   # names bound
    _read_single_elements(operations, element_reads, namespace)
    shapes = ShapeClasses(parameters(core), [  # + or * of unknown kinds: no shape facts
        dataclasses.replace(op, function=None) if i in kinds.ambiguous else op
        for i, op in enumerate(operations)], core.body[:-1])            # shapes
    # a version for real arguments pays in adjoints (conj in every rule) and in loops
    specialize = optimize and (mode == "reverse" or _has_loop(core))
    callees = _callee_kinds(operations, derivatives)
    code = _CodeClass.of(parsed, core, operations, shapes, core_locals, optimize, specialize,
                         callees)
    inliner = TemplateInliner(namespace)
    inliner.real_only = code.scalar_code
    return Prepared(
        parsed, core, operations, active, wrt, namer, namespace, inliner, shapes,
        code.scalar_code, {id(s): i for i, s in enumerate(simple)}, code.scalar_unless,
        sorted(written_parameters), code.real_unless, optimize, kinds,
        keeps_real=code.keeps_real, assumed_real=code.assumed_real, derivatives=derivatives,
        number_results=_number_results(operations, callees),
        written_outside=sorted(written_outside))


def _read_constants(core: gast.FunctionDef, operations: list[Operation]) -> None:
    """Each operation's arguments with the local constants they read as numbers."""
    constants = constant_reads(core)
    for operation in operations:
        for param, atom in operation.arguments.items():
            if id(atom) in constants:
                operation.arguments[param] = copy.copy(constants[id(atom)][1])


def _read_single_elements(operations: list[Operation], reads: set[int],
                          namespace: Namespace) -> None:
    """The element reads ``s = w[i]`` the mutation check took for copies, made
    ``s = single_element(w, i)``, which refuses a view when it runs."""
    for operation in operations:
        if id(operation.statement) not in reads:
            continue
        read = operation.statement.value
        name = namespace.name_for(single_element, "single_element")
        operation.statement.value = gast.copy_location(
            gast.Call(func=load(name), args=[read.value, read.slice], keywords=[]), read)
        operation.function = single_element
        operation.rules = RULES.find(single_element)


def _check_methods(parsed: ParsedFunction, operations: list[Operation], active: set[str],
                   mode: str) -> None:
    """``obj.method(...)``: no derivative through ``obj`` itself; ``f(...)``: none through
    the function value ``f`` (a closure over a value carrying one), nor into one
    (``partial(g, x=x)``). In a derivative, a function value is one the function's own
    derivative called, refused there if it carried one: it is active only as an item of
    an active tape."""
    derivative = hasattr(parsed.function, PRIMAL_ATTRIBUTE)
    for operation in operations:
        if operation.function is functools.partial and any(
                t in active for t in targets_of(operation.statement)) and any(
                n in active for n in operation.names_read()):
            raise _at_users_line(parsed, operation.statement.value, UnsupportedSyntaxError(
                "a function value reading values that carry a derivative (a closure over "
                "them) is not supported here", hint="pass the function straight to a "
                "function of yours that only calls it or passes it on (s2sad then gives it "
                "those values as arguments), or pass them to the function as arguments "
                "instead of capturing them"))
        instance = operation.operands[0] if operation.kind in ("method", "value") else None
        if not (isinstance(instance, gast.Name) and instance.id in active and any(
                t in active for t in targets_of(operation.statement))):
            continue
        if operation.kind == "value" and derivative:
            continue
        if operation.kind == "value":
            raise parsed.error(
                operation.statement.value, "a derivative through the function called here "
                "itself (a closure reading values that carry one) is not supported",
                "pass those values to the function as arguments instead of capturing them")
        raise missing_rule(parsed, operation, mode)


def _at_users_line(parsed: ParsedFunction, node: gast.AST,
                   error: UnsupportedSyntaxError) -> UnsupportedSyntaxError:
    """``error`` located at ``node``; in a derivative, at the user's line it comes from (or
    the user's function it was built from)."""
    if not is_generated(parsed.filename):
        return parsed.error(node, error.message, error.hint)
    origin = user_origin(parsed.function, node.lineno)
    if origin is not None:
        return UnsupportedSyntaxError(error.message, origin.filename, origin.lineno, 0,
                                      origin.text, error.hint)
    user = user_function(parsed.function)
    code = getattr(user, "__code__", None)
    if code is None:
        return parsed.error(node, error.message, error.hint)
    return UnsupportedSyntaxError(f"{error.message} (in {user.__qualname__})",
                                  code.co_filename, code.co_firstlineno, 0, None, error.hint)


def _namespace(parsed: ParsedFunction, core: gast.FunctionDef, namer: Namer,
               core_locals: set[str], finder: OperationFinder) -> Namespace:
    """The names the derivative reads from outside, bound (``s2sad/namespace.py``)."""
    namer.taken |= set(parsed.closure)
    namespace = Namespace(parsed.globals, namer, core_locals | set(parsed.closure))
    namespace.callees.update(finder.call_chains)
    for name, value in finder.call_roots.items():
        if name in parsed.extra:
            namespace.bind(name, value)
        else:
            namespace.freeze(name, value)
    for node in walk(core):  # a nested function used as a value
        if isinstance(node, gast.Name) and node.id in parsed.extra and \
                node.id not in namespace.bindings and node.id not in core_locals:
            namespace.bind(node.id, parsed.extra[node.id])
    _bind_defaults(core, parsed, namespace)
    return namespace


@dataclass
class _CodeClass:
    """What sort of code it is, for the versions (``s2sad/versions.py``): see the fields of
    ``Prepared`` with the same names."""

    scalar_code: bool
    scalar_unless: list[str]
    real_unless: list[str]
    assumed_real: list[tuple[str, tuple[str, ...]]]
    keeps_real: bool

    @staticmethod
    def of(parsed: ParsedFunction, core: gast.FunctionDef, operations: list[Operation],
           shapes: ShapeClasses, core_locals: set[str], optimize: bool,
           specialize: bool, callees: dict[int, str]) -> _CodeClass:
        """``specialize``: a version for real (or float) arguments is worth its code;
        ``callees``: what the user functions called make of real values, by the index of
        their call (``Derivatives.value_kind``)."""
        # Real scalar code: Python arithmetic and math functions only, and every parameter
        # passed (directly or through same-shape operations) to a math function, which
        # accepts real scalars only. Its derivatives are real floats: no conj, no match.
        nodes = walk(core)
        real_constants = not any(isinstance(n, gast.Constant) and isinstance(n.value, complex)
                                 for n in nodes)
        numbers = real_free_values(nodes, parsed, core_locals)
        plain_parameters = core.args.vararg is None and core.args.kwarg is None
        constant = _constant_tuples(operations)
        arithmetic = all(is_scalar_arithmetic(op) or callees.get(i) == "numbers"
                         or i in constant for i, op in enumerate(operations)) \
            and real_constants \
            and plain_parameters and numbers is not None
        unproven = [p for p in parameters(core) if not shapes.is_scalar((p, -1))]
        scalar_code = arithmetic and not unproven and optimize
        keeps_real = all(operation_keeps_real(op) or i in callees
                         for i, op in enumerate(operations))
        real_code = (not scalar_code and not arithmetic and keeps_real
                     and plain_parameters and real_constants)
        arrays = real_free_values(nodes, parsed, core_locals, arrays=True) \
            if real_code else None
        real_code = real_code and arrays is not None
        return _CodeClass(
            scalar_code,
            unproven if arithmetic and specialize else [],
            parameters(core) if real_code and specialize else [],
            (numbers if arithmetic else arrays if real_code else None) or [],
            # a value read from outside may turn complex after the derivative is built:
            # only code that reads none keeps real values real for good
            real_constants and keeps_real and real_free_values(
                nodes, parsed, core_locals, arrays=True) == [])


def _callee_kinds(operations: list[Operation], derivatives: Derivatives | None,
                  ) -> dict[int, str]:
    """What each call of a plain Python function (by position, not unpacking its
    arguments, not a method) makes of real values, where its analyses tell."""
    found: dict[int, str] = {}
    for index, operation in enumerate(operations):
        if derivatives is None or operation.kind != "call" or operation.unpacking or \
                operation.operands or type(operation.function) is not types.FunctionType:
            continue
        kind = derivatives.value_kind(operation.function)
        if kind is not None:
            found[index] = kind
    return found


def _constant_tuples(operations: list[Operation]) -> set[int]:
    """The operations that make a tuple of number constants, or unpack one made so, once
    (``u, v = 1.0, 0.5``): arithmetic too, where nothing else reads the tuple."""
    made = [targets_of(op.statement) for op in operations]
    once = {name for name in {n for names in made for n in names}
            if sum(name in names for names in made) == 1}
    once -= {name for op in operations if op.kind != "unpack" for name in op.names_read()}
    once -= {n.id for op in operations if op.kind != "unpack"
             for n in walk(op.statement) if isinstance(n, gast.Name)
             and isinstance(n.ctx, gast.Load)}
    found, tuples = set(), set()
    for index, operation in enumerate(operations):
        operands = operation.operands
        value = getattr(operation.statement, "value", None)
        if isinstance(value, gast.Tuple) and all(
                isinstance(a, gast.Constant) and type(a.value) in (int, float)
                for a in value.elts) and set(made[index]) <= once:
            found.add(index)
            tuples.update(made[index])
        elif operation.kind == "unpack" and len(operands) == 1 and \
                isinstance(operands[0], gast.Name) and operands[0].id in tuples:
            found.add(index)
    return found


def _check_calls_writing_outside(parsed: ParsedFunction, operations: list[Operation],
                                 active: set[str], varied: set[str],
                                 derivatives: Derivatives | None) -> None:
    """Check the calls of user functions given values carrying a derivative whose result
    carries none (a statement ``h(x)``, or ``_ = h(x)`` unread) as those whose result does
    are checked where their derivative is built (``check_callee_writes``): no write into
    the caller's arguments, nor of such a value outside the callee."""
    if derivatives is None:
        return
    for op in operations:
        if op.kind != "call" or op.function is None or op.unpacking \
                or set(targets_of(op.statement)) & active:
            continue
        given = tuple(p for p, atom in op.arguments.items()
                      if isinstance(atom, gast.Name) and atom.id in varied)
        request = Request("forward", given)
        if not given or derivatives.in_progress(op.function, request):
            continue
        try:
            generated = derivatives.derivative(op.function, request)
        except S2sadError:  # not differentiable: what it writes is not known. A call made
            if isinstance(op.statement, gast.Expr):  # for its effects must be known
                raise
            continue
        check_callee_writes(parsed, op, generated)


def _number_results(operations: list[Operation], callees: dict[int, str],
                    ) -> list[tuple[str, int]]:
    """The values unpacked from calls of functions giving numbers (flat tuples of them)
    and from tuples of number constants."""
    found = [(name, index) for index in _constant_tuples(operations)
             if operations[index].kind == "unpack"
             for name in targets_of(operations[index].statement)]
    for index, kind in callees.items():
        statement = operations[index].statement
        target = statement.targets[0] if isinstance(statement, gast.Assign) else None
        if kind == "numbers" and isinstance(target, gast.Tuple) and all(
                isinstance(e, gast.Name) for e in target.elts):
            found.extend((e.id, index) for e in target.elts)
    return found


def _has_loop(core: gast.FunctionDef) -> bool:
    return any(isinstance(n, (gast.For, gast.While)) for n in walk(core))


def _bind_defaults(core: gast.FunctionDef, parsed: ParsedFunction, namespace: Namespace) -> None:
    """Default values of the derivative's parameters are the primal's own default objects
    (evaluated once, when the user's ``def`` ran), not their expressions evaluated again."""
    def node_for(name: str, value) -> gast.expr:
        node = literal(value)
        return node if node is not None else load(namespace.name_for(value, f"_{name}_default"))

    args = core.args
    defaults = parsed.function.__defaults__ or ()
    positional = list(args.posonlyargs) + list(args.args)
    owners = positional[len(positional) - len(defaults):]
    args.defaults = [node_for(p.id, v) for p, v in zip(owners, defaults)]
    kwdefaults = parsed.function.__kwdefaults__ or {}
    args.kw_defaults = [node_for(p.id, kwdefaults[p.id]) if p.id in kwdefaults else None
                        for p in args.kwonlyargs]
