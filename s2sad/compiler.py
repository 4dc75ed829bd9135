"""Compile generated source into a live function, and remember it.

The generated function's globals are the user's module globals (live, like the
primal's: never written to); its closure holds the user's own closure cells (live) and
the objects rule templates need (``np``, runtime helpers). Its source is registered in
``linecache`` under a stable pseudo-filename, so tracebacks, ``pdb`` and
``inspect.getsource`` show the generated code.
"""

from __future__ import annotations

import hashlib
import linecache
import textwrap
import types
import weakref
from dataclasses import dataclass
from typing import Any

from s2sad.emit import to_source
from s2sad.frontend import ParsedFunction
from s2sad.namespace import Namespace
from s2sad.origin import PRIMAL_ATTRIBUTE
from s2sad.proof import Proof

_FACTORY = "__s2sad_factory__"


@dataclass(frozen=True)
class Generated:
    """A compiled derivative with its source text."""

    function: types.FunctionType
    #: its own source text (without a general version's)
    text: str
    #: the objects the generated code reaches through names of its own
    bindings: dict[str, Any]
    #: parameters the derivative adds to the primal's: tangents, or the output adjoint
    extra_parameters: tuple[str, ...] = ()
    #: user globals the derivative's calls go through, and the objects they held
    frozen: dict[str, Any] | None = None
    #: the derivatives of user functions it calls, with those functions
    depends: tuple[tuple[Generated, Any], ...] = ()
    #: parameters the differentiated function writes into in place
    written_parameters: tuple[str, ...] = ()
    #: globals and closure cells it writes values carrying a derivative into
    written_outside: tuple[str, ...] = ()
    #: the general version that specialized code hands other arguments to (a
    #: ``DeferredVersion``, built when first needed), or None
    general: Any = None
    #: what it was built from (``s2sad.proof.Proof``): it is used while that holds
    proof: Any = None
    #: with a general version: which arguments this version takes
    #: (``s2sad.versions.Selection``)
    selection: Any = None
    #: real array code: the versions for arguments of given shapes
    #: (``s2sad.versions.ShapedVersions``), or None
    shaped: Any = None

    @property
    def source(self) -> str:
        """The emitted source of every version: the general version's first, if there is
        one (a module that stands alone, as the command line writes it)."""
        if self.general is None:
            return self.text
        return f"{self.general.generated().source}\n\n{self.text}"

    def version_text(self, arguments: dict[str, Any] | None = None,
                     general: bool = False) -> str:
        """The source of the one version that ``arguments`` (by parameter name; None:
        real float64 ones) select, or with ``general``, of the general version."""
        if arguments is not None and self.shaped is not None and not general:
            types = self.shaped.types_of(arguments)
            version = None if types is None else self.shaped.version(types)
            if version is not None:
                return version.text
        if self.general is not None and (general or arguments is not None
                                         and not self.selection.selects(arguments)):
            return self.general.generated().version_text(arguments, general)
        return self.text

    def is_current(self, function: Any) -> bool:
        """Whether ``function`` is still what this derivative was built from (its code,
        defaults, closure, callees however reached, and theirs)."""
        return self.proof is not None and self.proof.holds(function)


def compile_definition(definition, parsed: ParsedFunction, namespace: Namespace) -> Generated:
    source = to_source(definition)
    free = _free_names(parsed, namespace, source)
    header = f"def {_FACTORY}({', '.join(free)}):\n"
    text = header + textwrap.indent(source, "    ") + f"    return {definition.name}\n"
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    filename = f"<s2sad {definition.name} {digest}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    code = compile(text, filename, "exec")
    scope: dict[str, Any] = {}
    exec(code, parsed.globals, scope)  # defines only the factory, in `scope`
    inner = scope[_FACTORY](*(namespace.bindings.get(n) for n in free))
    cells = tuple(
        parsed.closure[name] if name in parsed.closure else cell
        for name, cell in zip(inner.__code__.co_freevars, inner.__closure__ or ())
    )
    function = types.FunctionType(
        inner.__code__, parsed.globals, definition.name, inner.__defaults__, cells or None
    )
    function.__kwdefaults__ = inner.__kwdefaults__
    # where errors in it come from; weakly, as the cache keeps derivatives while their
    # primals live, and no longer
    setattr(function, PRIMAL_ATTRIBUTE, weakref.ref(parsed.function))
    extra = tuple(getattr(definition, "extra_parameters", ()))
    depends = tuple(namespace.depends)
    proof = Proof(parsed.function, namespace.callees, depends)
    return Generated(function, source, dict(namespace.bindings), extra, dict(namespace.frozen),
                     depends, proof=proof)


def _free_names(parsed: ParsedFunction, namespace: Namespace, source: str) -> list[str]:
    """Closure names of the generated function: the user's closure variables it uses and
    every binding the namespace made."""
    names = sorted(namespace.bindings)
    names += sorted(n for n in parsed.closure if n not in namespace.bindings and n in source)
    return names
