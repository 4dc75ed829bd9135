"""Rules for fields of dataclasses and NamedTuples (``p.a``): the adjoint is a record of
``p``'s type holding ``g`` in the field read, and zeros elsewhere; the tangent is the
tangent record's field. The adjoint helper is linear in ``g``, for second derivatives.
Building a record (``Point(x, y)``) has rules made per class: the adjoint of ``x`` is the
output adjoint's field ``x``, and the tangent a record with ``x_dot`` in ``x``."""

import dataclasses
import inspect
import linecache
from typing import Any

from s2sad.rules.registry import RuleRegistry, RuleSet, constant, jvp_rule, linear, vjp_rule
from s2sad.runtime.fields import field, field_adjoint


@vjp_rule(field, "record")
def field_record(g, ans, record, name):
    return field_adjoint(g, record, name)


@jvp_rule(field, "record")
def field_record_dot(record_dot, ans, record, name):
    return field(record_dot, name)


constant(field, field_record, "name")


@vjp_rule(field_adjoint, "g")
def field_adjoint_g(g_bar, ans, g, record, name):
    return field(g_bar, name)


linear(field_adjoint, field_adjoint_g, "g")
constant(field_adjoint, field_adjoint_g, "record", "name")


# ---- building a record: Point(x, y) ------------------------------------------------
# Rules of each record class are made when a call of it is first differentiated, kept in
# a registry of their own (the catalog of built-in rules stays as it is).

_BUILT = RuleRegistry()


def record_rules(cls: Any) -> RuleSet | None:
    """The rules of calling the record class ``cls`` (a NamedTuple, or a dataclass whose
    generated ``__init__`` stores each parameter in its field unchanged), or None."""
    if not _plain_record_class(cls):
        return None
    found = _BUILT.find(cls)
    if found is not None:
        return found
    parameters = list(inspect.signature(cls).parameters.values())
    text = _parameters_text(parameters)
    for parameter in parameters:
        name = parameter.name
        for mode, body in (("vjp", f"field(_s2sad_g, {name!r})"),
                           ("jvp", f"field_adjoint(_s2sad_g, _s2sad_ans, {name!r})")):
            template = _template(cls, f"{cls.__name__}_{name}_{mode}", text, body, parameters)
            (_BUILT.vjp if mode == "vjp" else _BUILT.jvp)(cls, name)(template)
    return _BUILT.find(cls)


def _plain_record_class(cls: Any) -> bool:
    if not isinstance(cls, type):
        return False
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        code = getattr(cls.__new__, "__code__", None)  # namedtuple's own, not the user's
        return code is not None and code.co_filename == "<string>"
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return False
    init = vars(cls).get("__init__")
    fields = [f.name for f in dataclasses.fields(cls) if f.init]
    return (init is not None and init.__code__.co_filename == "<string>"  # generated
            and fields == list(inspect.signature(cls).parameters)
            and all(f.init for f in dataclasses.fields(cls)))


def _parameters_text(parameters: list[inspect.Parameter]) -> str:
    parts, starred = [], False
    for parameter in parameters:
        if parameter.kind is parameter.KEYWORD_ONLY and not starred:
            parts.append("*")
            starred = True
        parts.append(parameter.name)
    return ", ".join(parts)


def _template(cls, name: str, parameters_text: str, body: str,
              parameters: list[inspect.Parameter]):
    """A rule function made from source text (registered in ``linecache``, so it is
    inlined like a rule written by hand), with the class's defaults."""
    source = (f"def {name}(_s2sad_g, _s2sad_ans, {parameters_text}):\n"
              f"    return {body}\n")
    filename = f"<s2sad rules of {cls.__module__}.{cls.__qualname__}: {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"field": field, "field_adjoint": field_adjoint}
    exec(compile(source, filename, "exec"), namespace)
    template = namespace[name]
    positional = [p for p in parameters if p.kind is not p.KEYWORD_ONLY]
    defaults = [p.default for p in positional if p.default is not p.empty]
    template.__defaults__ = tuple(defaults) or None
    template.__kwdefaults__ = {p.name: p.default for p in parameters
                               if p.kind is p.KEYWORD_ONLY and p.default is not p.empty} or None
    return template
