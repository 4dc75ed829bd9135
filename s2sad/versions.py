"""The versions of a derivative: code for the arguments at hand behind a guard, and the
general code it hands other arguments to.

Real scalar code (Python arithmetic on floats) and array loops that keep real values real
get a version of their own (``specialized``) whose first statement (``float_guard``) tests
that the arguments are what it assumed, and calls the general version
(``generalized``, built when first needed) otherwise.

>>> import s2sad
>>> def g(x, n):
...     for _ in range(n):
...         x = x * x
...     return x
>>> print("\\n".join(s2sad.source(g).split("\\n\\n\\n")[1].splitlines()[:3]))
def g_adjoint(x, n, x_bar=1.0):
    if not isinstance(x, float):
        return g_adjoint_general(x, n, x_bar)
"""

from __future__ import annotations

import gast

from s2sad.analyses.prepared import Prepared
from s2sad.namespace import Namespace
from s2sad.nodes import call, load, parameters
from s2sad.runtime import all_real, real_numbers


def generalized(prepared: Prepared) -> Prepared:
    """A copy of proven real scalar code's ``prepared`` for the general version (complex
    values, arrays), taken when that code assumed free values real that may not stay so."""
    general = prepared.copy()
    general.inliner.real_only = general.scalar_code = False
    return general


def specialized(prepared: Prepared) -> Prepared:
    """The specialized version's copy of ``prepared`` (which stays as it is, for the
    general version): every value real (``real_unless``: no ``conj``), or every parameter
    a real scalar (``scalar_unless``: real scalar code)."""
    special = prepared.copy()
    special.inliner.real_only = True
    if prepared.scalar_unless:
        special.shapes.assume_scalar(parameters(special.core))
        special.scalar_code = True
        if special.kinds is not None:  # float parameters, arithmetic: no sequences
            special.kinds = special.kinds.of_numbers()
    special.scalar_unless, special.real_unless = [], []
    return special


def float_guard(definition: gast.FunctionDef, names: list[str], namespace: Namespace,
                general, real: bool = False, values: list = ()) -> gast.If:
    """``if not isinstance(x, float): return general(x, ...)``: the first statement of code
    specialized for float arguments ``names`` (with ``real``: ``if not all_real(x, ...)``,
    for real arrays and numbers). ``values`` are the free values (paths from a global or
    closure name, see ``Prepared.assumed_real``) the code assumed real: tested too, read
    at every call (``real_numbers(c)``; with ``real``, in ``all_real``)."""
    read = [_path(root, attrs) for root, attrs in values]
    if real:
        test = call(namespace.name_for(all_real, "all_real"), *[load(n) for n in names], *read)
    else:
        checks = [call(namespace.name_for(isinstance, "isinstance"), load(n),
                       load(namespace.name_for(float, "float"))) for n in names]
        if read:
            checks.append(call(namespace.name_for(real_numbers, "real_numbers"), *read))
        test = checks[0] if len(checks) == 1 else gast.BoolOp(op=gast.And(), values=checks)
    args = definition.args
    positional = [load(a.id) for a in list(args.posonlyargs) + list(args.args)]
    keywords = [gast.keyword(arg=a.id, value=load(a.id)) for a in args.kwonlyargs]
    fallback = gast.Call(func=load(namespace.name_for(general, general.__name__)),
                         args=positional, keywords=keywords)
    return gast.If(test=gast.UnaryOp(op=gast.Not(), operand=test),
                   body=[gast.Return(value=fallback)], orelse=[])


def _path(root: str, attrs: tuple[str, ...]) -> gast.expr:
    """``root.a.b``, read."""
    node: gast.expr = load(root)
    for attr in attrs:
        node = gast.Attribute(value=node, attr=attr, ctx=gast.Load())
    return node
