"""The catalog of derivative rules: every function in :data:`RULES` and its modes.

``s2sad rules`` prints :func:`document` (``docs/rules.md`` is that text) and
``s2sad rules --json`` prints :func:`as_json`. Both are built by :func:`catalog`, which
imports every rule family first, SciPy's too when SciPy is installed.

>>> entries = {entry.function: entry for entry in catalog().entries}
>>> entries["numpy.sin"].coverage, entries["numpy.sin"].family
('both', 'numpy_elementwise')
>>> entries["numpy.dot"].forward_cell()
'linear: a, b'
>>> entries["numpy.floor"].reverse_cell()
'zero'
"""

from __future__ import annotations

import builtins
import functools
import importlib
import json
import pkgutil
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from s2sad.rules import derivative, registry
from s2sad.rules.helper_modules import BORROWED_HELPERS, OWN_HELPERS, helpers_by_family
from s2sad.rules.registry import RULES, RuleRegistry, RuleSet

#: Coverage classes, in the order the summary lists them, with their labels.
COVERAGE = {
    "both": "both modes",
    "reverse_only": "reverse only",
    "forward_only": "forward only",
    "nondifferentiable": "nondifferentiable",
}

#: The modules of this package that declare no rules.
_NOT_FAMILIES = {"registry", "catalog", "derivative", "helper_modules"}

_HELPERS_INTRO = """\
## Where the helpers are

A rule that needs more than one expression calls a run-time helper, in `s2sad/runtime/`.
Each family's own helpers are in the modules listed after its name; "also" names the
helpers it calls from other families' modules (the array methods stand for NumPy
functions, and `runtime_rules` gives the helpers rules of their own), and every family
may call `core` (`unbroadcast`, `unreduce`, `conj`, `zeros_like`, ...). The lists are
`s2sad/rules/helper_modules.py`, checked against every template's calls."""

_INTRO = """\
Every function s2sad has derivative rules for, and the modes they cover. Your own Python
functions need no rules: s2sad differentiates their source. A call of any other function on
an active value stops the transformation with a `MissingRuleError` that says how to register
a rule (see [api.md](api.md)).

- **reverse**: the arguments with a VJP rule (`grad`, `vjp`, `--mode reverse`).
- **forward**: the arguments with a JVP rule (`jvp`, `--mode forward`); `linear: a` means
  the function is linear in `a`, so its JVP is the function itself applied to `a`'s tangent.
- `zero`: the result carries no derivative (a rounding, a comparison, a random draw), so
  the call is a constant in both modes; `zero: x` means the same of argument `x` alone
  (only its shape is read). `-`: no rule in that mode.
- **family**: the module of `s2sad/rules/` that declares the rules."""


@dataclass(frozen=True, order=True)
class Entry:
    """One function of the catalog; arguments by the primal's parameter names. Entries
    sort by family, then function."""

    family: str
    function: str
    #: Arguments with a VJP rule.
    reverse: tuple[str, ...]
    #: Arguments with a forward-mode derivative: a JVP rule, or linearity.
    forward: tuple[str, ...]
    #: The arguments of ``forward`` in which the function is linear.
    linear: tuple[str, ...]
    #: Arguments whose derivative is zero (the function reads only their shapes).
    constant: tuple[str, ...]
    nondifferentiable: bool

    @property
    def coverage(self) -> str:
        """A key of :data:`COVERAGE`, or ``"none"`` for a function with no rule at all."""
        if self.nondifferentiable:
            return "nondifferentiable"
        if self.reverse and self.forward:
            return "both"
        if self.reverse or self.forward:
            return "reverse_only" if self.reverse else "forward_only"
        return "none"

    @property
    def library(self) -> str:
        return self.function.split(".")[0] if "." in self.function else "builtins"

    def reverse_cell(self) -> str:
        return self._cell(", ".join(self.reverse))

    def forward_cell(self) -> str:
        by_rule = ", ".join(name for name in self.forward if name not in self.linear)
        return self._cell(by_rule, "linear: " + ", ".join(self.linear) if self.linear else "")

    def _cell(self, *parts: str) -> str:
        if self.nondifferentiable:
            return "zero"
        zero = "zero: " + ", ".join(self.constant) if self.constant else ""
        return "; ".join(part for part in (*parts, zero) if part) or "-"

    def as_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "family": self.family,
            "coverage": self.coverage,
            "reverse": list(self.reverse),
            "forward": list(self.forward),
            "linear": list(self.linear),
            "constant": list(self.constant),
        }


@dataclass(frozen=True)
class Catalog:
    entries: tuple[Entry, ...]
    #: ``"python"``, ``"numpy"`` and ``"scipy"`` to their ``major.minor`` versions; SciPy's
    #: is None when SciPy is not installed, and its rules are then not listed.
    versions: dict[str, str | None]

    def summary(self, entries: Iterable[Entry] | None = None) -> dict[str, int]:
        """The number of ``entries`` (default: all) in each coverage class."""
        entries = self.entries if entries is None else list(entries)
        counts = {"functions": len(entries)}
        for coverage in COVERAGE:
            counts[coverage] = sum(entry.coverage == coverage for entry in entries)
        return counts

    def by_library(self) -> dict[str, dict[str, int]]:
        """:meth:`summary` for each library (``builtins``, ``math``, ``numpy``, ...)."""
        libraries = sorted({entry.library for entry in self.entries})
        return {
            library: self.summary(e for e in self.entries if e.library == library)
            for library in libraries
        }

    def environment(self) -> str:
        """The sentence saying which versions the catalog was listed with."""
        python, numpy, scipy = (self.versions[name] for name in ("python", "numpy", "scipy"))
        if scipy is None:
            return (
                f"Listed with Python {python} and NumPy {numpy}. SciPy is not installed, so "
                "the rules for `scipy.special` and `scipy.linalg` are not listed."
            )
        return (
            f"Listed with Python {python}, NumPy {numpy} and SciPy {scipy} (SciPy installed: "
            "its rules are listed)."
        )


def catalog() -> Catalog:
    """Every rule set of :data:`RULES`, after importing every family module."""
    families = _families()
    declared, spelled = _declarations(families)
    entries = sorted(_entry(rules, declared, spelled) for rules in RULES)
    versions = {"python": "{}.{}".format(*sys.version_info[:2])}
    for name in ("numpy", "scipy"):
        module = sys.modules.get(name)
        versions[name] = None if module is None else _major_minor(module.__version__)
    return Catalog(tuple(entries), versions)


def summary_line(counts: dict[str, int]) -> str:
    classes = ", ".join(f"{counts[key]} {label}" for key, label in COVERAGE.items())
    return f"**{counts['functions']} functions**: {classes}."


def document(cat: Catalog | None = None) -> str:
    """The text of ``docs/rules.md``: an introduction, the summary and the table."""
    cat = cat or catalog()
    libraries = [
        [f"`{library}`", *(str(counts[key]) for key in ("functions", *COVERAGE))]
        for library, counts in cat.by_library().items()
    ]
    rows = [
        [f"`{e.function}`", e.reverse_cell(), e.forward_cell(), f"`{e.family}`"]
        for e in cat.entries
    ]
    parts = [
        "# Derivative rules",
        "<!-- Generated by `python -m s2sad rules > docs/rules.md`; "
        "tests/rules/test_catalog.py checks that it is current. -->",
        _INTRO,
        cat.environment(),
        summary_line(cat.summary()),
        _table(["library", "functions", *COVERAGE.values()], libraries),
        _HELPERS_INTRO,
        _helper_lines(),
        "## Every function",
        _table(["function", "reverse", "forward", "family"], rows),
    ]
    return "\n\n".join(parts) + "\n"


def _helper_lines() -> str:
    """Each family, the runtime modules of its own helpers, and those it borrows from
    other families with the helpers it calls there."""
    used = helpers_by_family(RULES)
    lines = []
    for family, own in sorted(OWN_HELPERS.items()):
        borrowed = [f"`{module}` ({', '.join(f'`{n}`' for n in sorted(_at(used, family, module)))})"
                    for module in BORROWED_HELPERS.get(family, ())]
        line = f"- `{family}`: " + (", ".join(f"`{module}`" for module in own) or "none")
        lines.append(line + (f"; also {', '.join(borrowed)}" if borrowed else ""))
    return "\n".join(lines)


def _at(used: dict[str, dict[str, set[str]]], family: str, module: str) -> set[str]:
    return used.get(family, {}).get(module, set())  # none for a library not installed


def as_json(cat: Catalog | None = None) -> str:
    """The catalog as JSON: versions, summary (overall and by library), functions."""
    cat = cat or catalog()
    data = {
        "versions": cat.versions,
        "summary": cat.summary(),
        "by_library": cat.by_library(),
        "functions": [entry.as_dict() for entry in cat.entries],
    }
    return json.dumps(data, indent=2) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table, its columns padded to line up in a terminal."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths)) + " |"
        for line in lines
    )


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _entry(rules: RuleSet, declared: dict[int, str], spelled: dict[int, str]) -> Entry:
    order = list(rules.signature.parameters) if rules.signature is not None else []

    def ordered(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n)))

    return Entry(
        family=declared.get(id(rules.function)) or _family(rules),
        function=_display_name(rules, spelled.get(id(rules.function))),
        reverse=ordered(rules.vjps),
        forward=ordered({*rules.jvps, *rules.linear}),
        linear=ordered(rules.linear),
        constant=ordered(rules.constant),
        nondifferentiable=rules.nondifferentiable,
    )


def _family(rules: RuleSet) -> str:
    """For rules declared outside the family modules (``s2sad.stop_gradient``, a user's):
    the module of their templates, else the function's own."""
    templates = [rule.template for rule in (*rules.vjps.values(), *rules.jvps.values())]
    module = min((t.__module__ for t in templates), default=None)
    return module or getattr(rules.function, "__module__", None) or "builtins"


def _display_name(rules: RuleSet, spelled: str | None) -> str:
    """The registry's name, unless users call the function by another:

    - a SciPy ufunc, named without a module (``gamma``): the name its family imports
      (``scipy.special.gamma``);
    - a method bound to a module-level instance (``numpy.random.normal``, which the
      registry names ``numpy.random.RandomState.normal`` like the unbound method), or an
      object without a ``__name__`` (which the registry names by its ``repr``, memory
      address and all): its name in its module;
    - a function of a private module (``scipy.linalg._basic.det``): the public module's
      name for it (``scipy.linalg.det``).
    """
    name, function = rules.name, rules.function
    if "." not in name and getattr(builtins, name, None) is not function:
        return spelled or name
    owner = getattr(function, "__self__", None)
    bound = owner is not None and not isinstance(owner, (type, types.ModuleType))
    if bound or getattr(function, "__name__", None) is None:
        for module in _packages(getattr(function, "__module__", None) or ""):
            names = sorted(key for key, value in vars(module).items() if value is function)
            if names:
                return f"{module.__name__}.{names[0]}"
    return _public_name(name, function) or name


def _packages(module: str) -> list[types.ModuleType]:
    """``module`` and the packages holding it, the outermost first (``numpy``,
    ``numpy.random``, ``numpy.random.mtrand``), then the other modules of its library by
    the length of their names (NumPy's test runner object says it comes from
    ``numpy._pytesttester`` but ``numpy.random`` holds it): imported ones only."""
    parts = module.split(".")
    found = [sys.modules.get(".".join(parts[:end])) for end in range(1, len(parts) + 1)]
    found += [sys.modules[name] for name in sorted(
        (name for name in list(sys.modules) if name.startswith(parts[0] + ".")),
        key=lambda name: (len(name), name))]
    return list({id(package): package for package in found if package is not None}.values())


def _public_name(name: str, function: Any) -> str | None:
    """``name`` without its private modules, if that still names ``function``. A NumPy
    name takes the shortest of its packages that still names ``function`` (``numpy.random``
    for ``numpy.random.mtrand``, whose functions moved between NumPy versions)."""
    parts = name.split(".")
    modules = [i for i in range(1, len(parts)) if ".".join(parts[:i]) in sys.modules]
    for end in modules[:-1] if parts[0] == "numpy" else ():
        if _resolve(parts[:end] + parts[modules[-1]:]) is function:
            return ".".join(parts[:end] + parts[modules[-1]:])
    if not modules or not any(part.startswith("_") for part in parts[: modules[-1]]):
        return None
    public = [part for part in parts[: modules[-1]] if not part.startswith("_")]
    found = _resolve(public + parts[modules[-1] :])
    return ".".join(public + parts[modules[-1] :]) if found is function else None


def _resolve(parts: list[str]) -> Any:
    """The object ``parts`` names: the longest imported module, then attributes."""
    ends = [end for end in range(1, len(parts) + 1) if ".".join(parts[:end]) in sys.modules]
    if not ends:
        return None
    value = sys.modules[".".join(parts[: ends[-1]])]
    for attribute in parts[ends[-1] :]:
        value = getattr(value, attribute, None)
    return value


# -- which family module declares each function ----------------------------------------


def _families() -> dict[str, types.ModuleType]:
    """The family modules by name, imported (so registered); SciPy's only when SciPy is
    installed."""
    families = {}
    package = sys.modules[__package__]
    for name in sorted(info.name for info in pkgutil.iter_modules(package.__path__)):
        if name in _NOT_FAMILIES:
            continue
        try:
            families[name] = importlib.import_module(f"{__package__}.{name}")
        except ImportError:  # a family for a library that is not installed (SciPy)
            continue
    return families


class _Recorder(RuleRegistry):
    """A registry that notes the functions declared to it (kept apart from RULES)."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: list[Any] = []

    def rule_set(self, function: Any) -> RuleSet:
        self.declared.append(function)
        return super().rule_set(function)

    def share(self, function: Any, source: Any) -> None:
        self.declared.append(function)


def _declarations(families: dict[str, types.ModuleType]) -> tuple[dict[int, str], ...]:
    """Two maps from ``id`` of a function: to the family declaring it (the first in name
    order, should two declare it), and to ``module.name`` for the name under which that
    family imports it with ``from module import name``.

    The registry does not keep where a rule was declared, and a declaration can be
    computed (``nondifferentiable(*_public_callables(np.random))``, a loop), so each
    family's code is run again with a :class:`_Recorder` as its registry."""
    declared: dict[int, str] = {}
    spelled: dict[int, str] = {}
    for name, family in families.items():
        for module in _modules_of(family):
            recorder, imported = _rerun(module)
            for function in recorder.declared:
                declared.setdefault(id(function), name)
            for spelling in sorted(imported):
                source, _, attribute = spelling.rpartition(".")
                value = getattr(sys.modules.get(source), attribute, None)
                if value is not None and declared.get(id(value)) == name:
                    spelled.setdefault(id(value), spelling)
    return declared, spelled


def _modules_of(family: types.ModuleType) -> list[types.ModuleType]:
    """A family module; or a family package and its modules, in name order."""
    path = getattr(family, "__path__", None)
    if path is None:
        return [family]
    names = sorted(info.name for info in pkgutil.iter_modules(path))
    return [family, *(importlib.import_module(f"{family.__name__}.{n}") for n in names)]


def _rerun(module: types.ModuleType) -> tuple[_Recorder, set[str]]:
    """Run ``module``'s code in a fresh namespace where ``from s2sad.rules.registry import
    ...`` gives a :class:`_Recorder`'s methods (and ``from s2sad.rules.derivative import
    ...`` decorators registering with it): the recorder, and each ``module.name`` the
    code imports with ``from module import name``."""
    recorder = _Recorder()
    stand_in = types.ModuleType(registry.__name__)
    for name, value in vars(registry).items():
        if getattr(value, "__self__", None) is RULES:  # vjp_rule = RULES.vjp, ...
            value = getattr(recorder, value.__name__)
        setattr(stand_in, name, recorder if value is RULES else value)
    written_once = types.ModuleType(derivative.__name__)
    for name in ("derivative", "real_derivative"):
        setattr(written_once, name, functools.partial(getattr(derivative, name),
                                                      registry=recorder))
    stand_ins = {registry.__name__: stand_in, derivative.__name__: written_once}
    imported: set[str] = set()

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if fromlist and level == 0:
            imported.update(f"{name}.{item}" for item in fromlist)
            if name in stand_ins:
                return stand_ins[name]
        return __import__(name, globals, locals, fromlist, level)

    namespace = {
        "__name__": module.__name__,
        "__file__": module.__file__,
        "__builtins__": {**vars(builtins), "__import__": import_},
    }
    exec(compile(module.__loader__.get_source(module.__name__), module.__file__, "exec"), namespace)
    return recorder, imported
