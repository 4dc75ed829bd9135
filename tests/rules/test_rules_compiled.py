"""Every spec row again, this time through the compiler.

``test_rules.py`` calls each rule directly. Here each row becomes a small user function
whose source calls the spec's function, the way a user writes it (``FN(a0, 1)``,
``a0.sum(axis=0)``, ``a0 + a1``, ``a0[1:, a1]``), and ``check_grads`` differentiates it in
both modes: the rules are inlined as templates into generated code, with their static
parameters folded.

How a row becomes a function:

- the arguments the rule test differentiates (sampled arrays and floats, ``Seq`` tuples,
  and any other value the row's ``wrt`` picks) are parameters ``a0, a1, ...`` in ``wrt``;
- the other values are literals in the source when they are literals (ints, strings,
  ``None``, tuples of those; ``np.inf`` and NumPy dtypes by name), else parameters
  outside ``wrt`` (index arrays, masks, factorizations);
- a ``Symmetric`` parameter is symmetrized in the function's first statement, so the
  function depends only on the symmetric part, as the rule assumes;
- an output with boolean parts (such as ``cho_factor``'s ``lower``) is unpacked and only
  its float parts are returned.

A second table runs one all-array row per function on float32 inputs: the derivatives
must come back float32.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np
import pytest

from s2sad.pipeline import Request, derivative
from s2sad.rules import RULES
from s2sad.testing import check_grads
from s2sad.testing.rules import is_differentiable, random_like, tree_leaves
from s2sad.testing.source import function_from_source
from tests.rules.harness import Fixed, Seq, Spec, Symmetric, build_args
from tests.rules.test_rules import SPECS

#: Python syntax for the operator functions: how users write them.
_OPERATORS = {
    operator.add: "{} + {}",
    operator.sub: "{} - {}",
    operator.mul: "{} * {}",
    operator.truediv: "{} / {}",
    operator.pow: "{} ** {}",
    operator.matmul: "{} @ {}",
    operator.neg: "-{}",
    operator.pos: "+{}",
}

#: NumPy objects written by name (``np.float32``), the way user code spells them.
_NUMPY_NAMES = {
    id(getattr(np, name)): f"np.{name}"
    for name in ("float16", "float32", "float64", "complex64", "complex128", "int32", "int64")
}


@dataclass
class Case:
    """One spec row as a user function: its source, arguments and ``wrt`` positions."""

    source: str
    namespace: dict
    args: list
    wrt: tuple
    #: the function computes in single precision (float32 inputs, or a cast to float32)
    single: bool = False

    def function(self, name: str):
        return function_from_source(
            self.source, self.namespace, filename=f"<compiled-rule {name}>", name="f"
        )


def literal_source(value) -> str | None:
    """Source text for a literal value, or None when it is not one."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if np.isnan(value):
            return "np.nan"
        if np.isinf(value):
            return "np.inf" if value > 0 else "-np.inf"
        return repr(value)
    if isinstance(value, tuple):
        parts = [literal_source(v) for v in value]
        if any(p is None for p in parts):
            return None
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    if isinstance(value, type):
        return _NUMPY_NAMES.get(id(value))
    return None


def _index_source(index, parameter) -> str:
    """A subscript as a user writes it: ``1:3``, ``...``, ``None``, ``a1`` for arrays."""
    if isinstance(index, tuple):
        if not index:
            return "()"
        parts = [_index_source(i, parameter) for i in index]
        return ", ".join(parts) + ("," if len(parts) == 1 else "")
    if index is Ellipsis:
        return "..."
    if isinstance(index, slice):
        parts = [literal_source(p) for p in (index.start, index.stop, index.step)]
        text = f"{'' if index.start is None else parts[0]}:{'' if index.stop is None else parts[1]}"
        return text if index.step is None else f"{text}:{parts[2]}"
    text = literal_source(index)
    return text if text is not None else parameter(index, False)


def _positional_names(signature, count: int) -> list[str]:
    """The parameter each of ``count`` positional arguments binds to."""
    names = []
    for param in signature.parameters.values():
        if len(names) == count:
            break
        if param.kind is param.VAR_POSITIONAL:
            names += [param.name] * (count - len(names))
        elif param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            names.append(param.name)
    return names


def _differentiated(spec: Spec, values: list, signature) -> set[str]:
    """The parameters the rule test differentiates: the row's ``wrt``, or every float one."""
    bound = signature.bind(*values, **spec.kwargs)
    names = list(bound.arguments)
    if spec.wrt is None:
        return {n for n in names if is_differentiable(bound.arguments[n])}
    return {names[w] if isinstance(w, int) else str(w) for w in spec.wrt}


def _has_flags(value) -> bool:
    return any(
        isinstance(leaf, (bool, np.bool_))
        or isinstance(leaf, np.ndarray) and leaf.dtype == bool
        for leaf in tree_leaves(value)
    )


def make_case(spec: Spec, dtype=None, literals: bool = False) -> Case:
    """The user function for ``spec`` (float arrays cast to ``dtype`` when given). With
    ``literals``, fixed floats the rule test differentiates only because they are floats
    (the row has no ``wrt``) are literals in the source instead, and not differentiated."""
    values = build_args(spec)
    rules = RULES.find(spec.fn)
    signature = rules.signature
    chosen = _differentiated(spec, values, signature)
    symmetric = {str(w) for w in spec.wrt or () if isinstance(w, Symmetric)}
    positional = _positional_names(signature, len(values))

    params: list[str] = []
    args: list = []
    wrt: list[int] = []
    prologue: list[str] = []

    def parameter(value, differentiated: bool, symmetrize: bool = False) -> str:
        name = f"a{len(params)}"
        if dtype is not None and isinstance(value, np.ndarray) and value.dtype == float:
            value = value.astype(dtype)
        if differentiated:
            wrt.append(len(params))
        params.append(name)
        args.append(value)
        if symmetrize:
            prologue.append(f"{name} = ({name} + np.swapaxes({name}, -1, -2)) / 2")
        return name

    def argument(raw, value, name: str) -> str:
        differentiated = name in chosen
        if isinstance(raw, Fixed) and (not differentiated or literals and spec.wrt is None):
            text = literal_source(value)
            if text is not None:
                return text
        return parameter(value, differentiated, name in symmetric)

    fn = spec.fn
    if fn is operator.getitem:  # x[index], with index arrays as parameters
        target = argument(spec.args[0], values[0], positional[0])
        return _finish(spec, values, f"{target}[{_index_source(values[1], parameter)}]",
                       params, args, wrt, prologue)
    texts = [argument(raw, v, n) for raw, v, n in zip(spec.args, values, positional)]
    keywords = [f"{k}={argument(Fixed(v), v, k)}" for k, v in spec.kwargs.items()]
    if fn in _OPERATORS:
        expression = _OPERATORS[fn].format(*texts)
    elif fn is abs:
        expression = f"abs({texts[0]})"
    elif getattr(fn, "__objclass__", None) is np.ndarray and not callable(fn):
        expression = f"{texts[0]}.{fn.__name__}"  # an attribute: x.T, x.real
    elif getattr(fn, "__objclass__", None) is np.ndarray:
        expression = f"{texts[0]}.{fn.__name__}({', '.join(texts[1:] + keywords)})"
    else:
        expression = f"FN({', '.join(texts + keywords)})"
    return _finish(spec, values, expression, params, args, wrt, prologue)


def _finish(spec, values, expression, params, args, wrt, prologue) -> Case:
    output = spec.fn(*values, **spec.kwargs)
    lines = [f"def f({', '.join(params)}):", *(f"    {line}" for line in prologue)]
    if isinstance(output, tuple) and _has_flags(output):
        keep = [i for i, part in enumerate(output) if not _has_flags(part)]
        lines.append(f"    out = {expression}")
        returned = ", ".join(f"out[{i}]" for i in keep)
        lines.append(f"    return {returned}")
    else:
        lines.append(f"    return {expression}")
    source = "\n".join(lines) + "\n"
    single = any(
        np.asarray(leaf).dtype in (np.float32, np.complex64)
        for leaf in tree_leaves(output) + [a for a in args if isinstance(a, np.ndarray)]
    )
    return Case(source, {"np": np, "FN": spec.fn}, args, tuple(wrt), single)


# ---- the float32 rows ------------------------------------------------------------------


def _float_array(raw, value) -> bool:
    return (
        not isinstance(raw, (Fixed, Seq))
        and isinstance(value, np.ndarray)
        and value.ndim > 0
        and value.dtype == float
    )


def float32_specs(specs) -> list[Spec]:
    """One row per function whose differentiated arguments are all float arrays (other
    arguments may be integers, strings, index arrays or masks)."""
    chosen, seen = [], set()
    for spec in specs:
        if spec.fn in seen or spec.domain == "complex":
            continue
        values = build_args(spec)
        signature = RULES.find(spec.fn).signature
        differentiated = _differentiated(spec, values, signature)
        positional = _positional_names(signature, len(values))
        pairs = [(raw, v, n) for raw, v, n in zip(spec.args, values, positional)]
        pairs += [(Fixed(v), v, k) for k, v in spec.kwargs.items()]
        if any(n in differentiated and not _float_array(raw, v) for raw, v, n in pairs):
            continue
        if any(np.iscomplexobj(leaf) for _, v, _ in pairs for leaf in tree_leaves(v)):
            continue
        seen.add(spec.fn)
        chosen.append(spec)
    return chosen


def literal_specs(specs) -> list[Spec]:
    """The rows whose fixed floats the rule test differentiates (``initial=1.5``, clip's
    bounds, ``constant_values``), when something else is still differentiated."""
    chosen = []
    for spec in specs:
        case = make_case(spec, literals=True)
        if case.wrt and case.source != make_case(spec).source:
            chosen.append(spec)
    return chosen


# ---- known failures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A row expected to fail: ``reason`` says why, ``raises`` with what. ``source``, when
    given, picks among rows of one name the one whose generated source contains it."""

    reason: str
    raises: type | tuple | None = None
    source: str | None = None

    def mark(self):
        return pytest.mark.xfail(strict=True, raises=self.raises, reason=self.reason)


#: Compiler bugs (s2sad/simplify.py, s2sad/transforms, ...), by row name.
COMPILER_BUGS: dict[str, Known] = {}

#: Call forms the compiler rejects with a clear error (MissingRuleError,
#: UnsupportedSyntaxError), by row name.
UNSUPPORTED: dict[str, Known] = {}


def _known(name: str, source: str) -> Known | None:
    for table in (COMPILER_BUGS, UNSUPPORTED):
        known = table.get(name)
        if known is not None and (known.source is None or known.source in source):
            return known
    return None


def _params(specs, dtype=None, literals=False):
    params = []
    for spec in specs:
        case = make_case(spec, dtype, literals)
        known = _known(spec.name(), case.source)
        marks = [known.mark()] if known is not None else []
        params.append(pytest.param(spec, case, id=spec.name(), marks=marks))
    return params


# Generated code that Python warns about fails to compile under -W error: a bug here.
pytestmark = pytest.mark.filterwarnings("error::SyntaxWarning")

#: Tolerances of the dot-product identity <y_bar, J v> == <J^T y_bar, v> (check_grads
#: allows ten times these). Both sides are computed, not approximated: they agree to
#: rounding, far tighter than forward mode agrees with finite differences.
DOT_PRODUCT = {"double": {"rtol": 1e-9, "atol": 1e-10}, "single": {"rtol": 3e-5, "atol": 3e-6}}


def check_both_modes(case: Case, name: str, modes=("jvp", "vjp"), **finite_differences):
    """Forward mode against finite differences (with the row's tolerances), then reverse
    mode against forward mode (with tight ones)."""
    f = case.function(name)
    if "jvp" in modes:
        check_grads(f, case.args, ("fwd",), wrt=case.wrt, **finite_differences)
    if "vjp" in modes:
        tolerances = DOT_PRODUCT["single" if case.single else "double"]
        check_grads(f, case.args, ("rev",), wrt=case.wrt, **tolerances)
    return f


@pytest.mark.parametrize("spec, case", _params(SPECS))
def test_compiled(spec: Spec, case: Case, request):
    check_both_modes(
        case, request.node.name, spec.modes, eps=spec.eps, rtol=spec.rtol, atol=spec.atol
    )


@pytest.mark.parametrize("spec, case", _params(literal_specs(SPECS), literals=True))
def test_compiled_literals(spec: Spec, case: Case, request):
    """The rows again with their fixed floats as literals, folded into the templates."""
    check_both_modes(
        case, request.node.name, spec.modes, eps=spec.eps, rtol=spec.rtol, atol=spec.atol
    )


@pytest.mark.parametrize("spec, case", _params(float32_specs(SPECS), np.float32))
def test_compiled_float32(spec: Spec, case: Case, request):
    """float32 in, float32 derivatives out (check_grads checks each adjoint's dtype; the
    tangent of a float32 output is checked here). Central differences in float32 carry
    a rounding error of about ``1e-7 * |f| / eps``: ``eps = 1e-3``, tolerances ``1e-2``."""
    f = check_both_modes(case, request.node.name, eps=1e-3, rtol=1e-2, atol=1e-2)
    tangent = derivative(f, Request("forward", tuple(f"a{i}" for i in case.wrt)))
    rng = np.random.default_rng(1)
    directions = [random_like(case.args[i], rng) for i in case.wrt]
    out, out_dot = tangent.function(*case.args, **dict(zip(tangent.extra_parameters, directions)))
    for value, value_dot in zip(tree_leaves(out), tree_leaves(out_dot)):
        if np.asarray(value).dtype == np.float32:
            assert np.asarray(value_dot).dtype == np.float32, "a float32 output's tangent"
