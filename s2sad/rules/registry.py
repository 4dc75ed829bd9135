"""The typed registry of derivative rules.

A rule is an ordinary Python function: it can be called (and so tested) on numbers,
and the compiler inlines its body as a template. Rules are keyed by the primal object
itself (``np.sin``, ``math.exp``, ``np.ndarray.sum``), never by its spelling.

A VJP rule for one argument takes ``(g, ans, *primal_params)`` and returns that
argument's adjoint contribution; a JVP rule takes ``(x_dot, ans, *primal_params)`` and
returns the output tangent contributed by that argument's tangent. Both list the primal
parameters with the primal's own names and defaults, which is how the compiler binds a
call's positional and keyword arguments.

>>> import numpy as np
>>> registry = RuleRegistry()
>>> @registry.vjp(np.sin)
... def sin_x(g, ans, x):
...     return g * np.cos(x)
>>> registry.vjp_rule(np.sin, "x").template(2.0, np.sin(0.0), 0.0)
np.float64(2.0)
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from s2sad.errors import MissingRuleError

Mode = Literal["jvp", "vjp"]
Template = Callable[..., Any]


@dataclass(frozen=True)
class Rule:
    """One derivative rule: of ``function`` with respect to parameter ``argument``."""

    function: Any
    argument: str
    mode: Mode
    template: Template
    #: The primal's parameters as the rule declares them (the template's without the
    #: leading ``g``/``x_dot`` and ``ans``).
    signature: inspect.Signature
    #: The template's name for the incoming adjoint or tangent, and for the result.
    seed_name: str
    ans_name: str


@dataclass
class RuleSet:
    """Everything known about the derivatives of one primal function."""

    function: Any
    name: str
    signature: inspect.Signature | None = None
    vjps: dict[str, Rule] = field(default_factory=dict)
    jvps: dict[str, Rule] = field(default_factory=dict)
    #: Parameters in which the function is linear: its JVP is the function itself applied
    #: to the tangent in that argument's place.
    linear: set[str] = field(default_factory=set)
    #: Parameters the result does not depend on differentiably (shapes only, say): a
    #: derivative reaching them is zero, not an error.
    constant: set[str] = field(default_factory=set)
    nondifferentiable: bool = False
    #: for a function nondifferentiable for real arguments only: a function computing the
    #: same for complex ones whose rules code that may see complex values uses instead
    complex_stand_in: Any = None

    def modes(self) -> tuple[str, ...]:
        if self.nondifferentiable:
            return ("zero",)
        has_jvp = bool(self.jvps) or bool(self.linear)
        return tuple(m for m, has in (("jvp", has_jvp), ("vjp", bool(self.vjps))) if has)

    def variadic(self, param: str) -> bool:
        """Whether ``param`` gathers arguments (``*coordinates`` of ``math.hypot``): the
        tuple it holds is the call's arguments, never a sequence the function reads."""
        parameter = self.signature.parameters.get(param) if self.signature else None
        return parameter is not None and parameter.kind in (parameter.VAR_POSITIONAL,
                                                            parameter.VAR_KEYWORD)


def qualified_name(function: Any) -> str:
    """The name a user would type for ``function``: ``numpy.sin``, ``math.exp``."""
    module = getattr(function, "__module__", None) or ""
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    if name is None:
        name = repr(function)
    if isinstance(function, type(abs)) and module == "builtins":
        return name
    if module == "_operator":
        module = "operator"
    if (module.startswith("numpy") or not module and _is_ufunc(function)) \
            and getattr(_numpy(), name, None) is function:
        module = "numpy"  # np.sum lives in numpy._core.fromnumeric; users say numpy.sum
    package = sys.modules.get(module.rpartition(".")[0])
    if getattr(package, "NAMES_ITS_MEMBERS", False) and getattr(package, name, None) is function:
        module = package.__name__  # a package split by family names its helpers itself
    if _is_ufunc(getattr(function, "__self__", None)):  # numpy.add.reduce
        return f"numpy.{function.__self__.__name__}.{function.__name__}"
    owner = getattr(function, "__objclass__", None)
    if owner is not None:  # a method such as numpy.ndarray.sum
        return f"{owner.__module__}.{owner.__qualname__}.{function.__name__}"
    return f"{module}.{name}" if module else name


#: one bound method per ufunc and method name (np.add.reduce is a new object when read)
_UFUNC_METHODS: dict[tuple[int, str], Any] = {}


def ufunc_method(ufunc: Any, name: str) -> Any:
    """The object rules of ``ufunc``'s method ``name`` (``reduce``, ``accumulate``,
    ``reduceat``, ``outer``) are keyed by: the same for every reading of
    ``np.add.reduce``."""
    key = (id(ufunc), name)
    found = _UFUNC_METHODS.get(key)
    if found is None:
        found = _UFUNC_METHODS[key] = getattr(ufunc, name)
    return found


def _canonical(function: Any) -> Any:
    """``function``, or the bound ufunc method rules are keyed by for the same one."""
    owner = getattr(function, "__self__", None)
    if owner is not None and type(function) is type(abs) and _is_ufunc(owner):
        return ufunc_method(owner, function.__name__)
    return function


def _numpy():
    import numpy

    return numpy


def _is_ufunc(function: Any) -> bool:
    """Whether ``function`` is a NumPy ufunc (which has no ``__module__`` before NumPy 2.2)."""
    return isinstance(function, _numpy().ufunc)


class RuleRegistry:
    """Rules by primal object. Use the module-level decorators, not this class."""

    def __init__(self) -> None:
        self._sets: dict[int, RuleSet] = {}
        self._keep: dict[int, Any] = {}  # keeps keyed objects alive so ids stay unique
        self._scipy_loaded = False
        #: (class, method name) -> the function whose rules the method has, called with
        #: the object first (``scipy.stats.norm.logpdf(x)``: a new bound method each read)
        self._methods: dict[tuple[type, str], Any] = {}

    # -- declaring ---------------------------------------------------------------
    def rule_set(self, function: Any) -> RuleSet:
        function = _canonical(function)
        key = id(function)
        if key not in self._sets:
            self._sets[key] = RuleSet(function, qualified_name(function))
            self._keep[key] = function
        return self._sets[key]

    def vjp(self, function: Any, argument: int | str = 0) -> Callable[[Template], Template]:
        """Decorator: register ``template`` as the VJP of ``function`` in ``argument``."""
        return self._decorator(function, argument, "vjp")

    def jvp(self, function: Any, argument: int | str = 0) -> Callable[[Template], Template]:
        """Decorator: register ``template`` as the JVP of ``function`` in ``argument``."""
        return self._decorator(function, argument, "jvp")

    def linear(self, function: Any, signature_of: Template, *arguments: int | str) -> None:
        """Declare ``function`` linear in ``arguments``: its JVP applies it to the tangent.

        ``signature_of`` is any function with the primal's parameters (a VJP rule of the
        same function will do); it says how calls bind.
        """
        rules = self.rule_set(function)
        signature = _primal_signature(signature_of, skip=2)
        self._adopt_signature(rules, signature)
        for argument in arguments or (0,):
            rules.linear.add(_parameter_name(signature, argument, function))

    def constant(self, function: Any, signature_of: Template, *arguments: int | str) -> None:
        """Declare that ``function``'s result has a zero derivative in ``arguments`` (it
        reads only their shapes, say)."""
        rules = self.rule_set(function)
        signature = _primal_signature(signature_of, skip=2)
        self._adopt_signature(rules, signature)
        for argument in arguments:
            rules.constant.add(_parameter_name(signature, argument, function))

    def share(self, function: Any, source: Any) -> None:
        """Give ``function`` the rules of ``source``, which computes the same thing with
        parameters in the same order (``np.add`` and ``operator.add``). Calls of
        ``function`` bind by position to ``source``'s parameters; a keyword only
        ``function`` knows (``np.add(..., dtype=...)``) is then rejected by the compiler."""
        rules = self._sets.get(id(source))
        if rules is None:
            raise ValueError(f"{qualified_name(source)} has no rules to share")
        shared = RuleSet(function, qualified_name(function), rules.signature, rules.vjps,
                         rules.jvps, rules.linear, rules.constant,
                         nondifferentiable=rules.nondifferentiable)
        self._sets[id(function)] = shared
        self._keep[id(function)] = function

    def method(self, owner: type, name: str, stand_in: Any) -> None:
        """Give the method ``name`` of every instance of ``owner`` (exactly that class)
        the rules of ``stand_in``, a function taking the instance as its first parameter
        ``self``: a call ``obj.name(...)`` binds ``obj`` to it."""
        self._methods[(owner, name)] = stand_in

    def bound_stand_in(self, function: Any) -> Any:
        """The stand-in whose rules the bound method ``function`` has, or None."""
        owner = getattr(function, "__self__", None)
        if owner is None:
            return None
        if not self._scipy_loaded and _is_scipy(function):
            self.find(function)  # loads SciPy's rules
        return self._methods.get((type(owner), getattr(function, "__name__", None)))

    def nondifferentiable(self, *functions: Any) -> None:
        """Declare functions whose outputs carry no derivative (floor, argmax, len)."""
        for function in functions:
            self.rule_set(function).nondifferentiable = True

    def zero_for_real(self, function: Any, stand_in: Any) -> None:
        """Declare ``function`` nondifferentiable for real arguments (piecewise constant)
        but not for complex ones, where it computes what ``stand_in`` (a function with
        rules) does: code that may see complex values differentiates it with those."""
        rules = self.rule_set(function)
        rules.nondifferentiable = True
        rules.complex_stand_in = stand_in

    def _decorator(self, function: Any, argument: int | str, mode: Mode):
        def register(template: Template) -> Template:
            rules = self.rule_set(function)
            signature = _primal_signature(template, skip=2)
            self._adopt_signature(rules, signature)
            name = _parameter_name(signature, argument, function)
            seed, ans = list(_signature(template).parameters)[:2]
            rule = Rule(function, name, mode, template, signature, seed, ans)
            (rules.vjps if mode == "vjp" else rules.jvps)[name] = rule
            return template

        return register

    @staticmethod
    def _adopt_signature(rules: RuleSet, signature: inspect.Signature) -> None:
        if rules.signature is None:
            rules.signature = signature

    # -- looking up --------------------------------------------------------------
    def find(self, function: Any) -> RuleSet | None:
        """The rules of ``function``, or None when it has none at all."""
        found = self._sets.get(id(_canonical(function)))
        if found is None and _is_scipy(function) and not self._scipy_loaded:
            self._scipy_loaded = True
            _load_scipy_rules()
            found = self._sets.get(id(function))
        if found is None and self._methods:
            stand_in = self._methods.get((type(getattr(function, "__self__", None)),
                                          getattr(function, "__name__", None)))
            if stand_in is not None:
                found = self._sets.get(id(stand_in))
        return found

    def vjp_rule(self, function: Any, argument: str) -> Rule:
        return self._rule(function, argument, "vjp")

    def jvp_rule(self, function: Any, argument: str) -> Rule:
        return self._rule(function, argument, "jvp")

    def _rule(self, function: Any, argument: str, mode: Mode) -> Rule:
        rules = self.find(function)
        table = None if rules is None else (rules.vjps if mode == "vjp" else rules.jvps)
        if table is None or argument not in table:
            name = rules.name if rules else qualified_name(function)
            raise MissingRuleError(name, "reverse" if mode == "vjp" else "forward", argument)
        return table[argument]

    def __iter__(self) -> Iterable[RuleSet]:
        return iter(sorted(self._sets.values(), key=lambda rules: rules.name))

    def __len__(self) -> int:
        return len(self._sets)


def _is_scipy(function: Any) -> bool:
    if (getattr(function, "__module__", None) or "").startswith("scipy"):
        return True
    # scipy.special's ufuncs have no __module__: find them in the imported module
    import sys

    special = sys.modules.get("scipy.special")
    name = getattr(function, "__name__", None)
    return special is not None and name is not None and any(
        getattr(special, n, None) is function for n in (name, name.lstrip("_"))
    ) or special is not None and function in vars(special).values()


def _load_scipy_rules() -> None:
    """SciPy's rules load on the first lookup of a SciPy function, so that neither
    importing s2sad nor using it without SciPy ever imports SciPy."""
    import importlib

    for name in ("s2sad.rules.scipy_special", "s2sad.rules.scipy_linalg",
                 "s2sad.rules.scipy_stats"):
        try:
            importlib.import_module(name)
        except ImportError:  # SciPy missing: its functions simply have no rules
            pass


def _primal_signature(template: Template, skip: int) -> inspect.Signature:
    key = (template, skip)
    found = _signatures.get(key)
    if found is None:
        parameters = list(_signature(template).parameters.values())[skip:]
        found = _signatures[key] = inspect.Signature(parameters, __validate_parameters__=False)
    return found


#: signatures by template (and by template and skipped parameters): hundreds of rules are
#: registered when s2sad is imported, several of them with one template
_signatures: dict[Any, inspect.Signature] = {}


def _signature(template: Template) -> inspect.Signature:
    """``inspect.signature(template)``, computed once per template."""
    found = _signatures.get(template)
    if found is None:
        found = _signatures[template] = inspect.signature(template)
    return found


def _parameter_name(signature: inspect.Signature, argument: int | str, function: Any) -> str:
    names = list(signature.parameters)
    if isinstance(argument, str):
        if argument not in names:
            raise ValueError(f"{qualified_name(function)} has no parameter {argument!r}")
        return argument
    if not 0 <= argument < len(names):
        raise ValueError(f"{qualified_name(function)} has no argument number {argument}")
    return names[argument]


#: The registry every built-in and user rule goes into.
RULES = RuleRegistry()

vjp_rule = RULES.vjp
jvp_rule = RULES.jvp
linear = RULES.linear
constant = RULES.constant
nondifferentiable = RULES.nondifferentiable
zero_for_real = RULES.zero_for_real
share = RULES.share
