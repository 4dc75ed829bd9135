"""Rules for fields of dataclasses and NamedTuples (``p.a``): the adjoint is a record of
``p``'s type holding ``g`` in the field read, and zeros elsewhere; the tangent is the
tangent record's field. The adjoint helper is linear in ``g``, for second derivatives."""

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime.records import field, field_adjoint


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
