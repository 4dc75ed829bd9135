"""The reverse sweep as the reverse transform builds it, before the recording plan emits
it: each primal statement's adjoint block, and a branch's or loop's reversed body with the
statements that go around it."""

from __future__ import annotations

from dataclasses import dataclass, field

import gast


@dataclass
class ReversedStatement:
    statement: gast.stmt
    block: list[gast.stmt]


@dataclass
class ReversedIf:
    statement: gast.If
    body: list
    orelse: list
    #: statements to run before the reversed branch (adjoints given their own variables)
    before: list[gast.stmt]
    fills_body: list[gast.stmt]
    fills_orelse: list[gast.stmt]


@dataclass
class ReversedLoop:
    statement: gast.For | gast.While
    body: list
    before: list[gast.stmt]
    #: zero adjoints at the end of each reversed iteration (values an iteration killed)
    fills: list[gast.stmt] = field(default_factory=list)


def _children(node) -> list:
    if isinstance(node, ReversedIf):
        return node.body + node.orelse
    if isinstance(node, ReversedLoop):
        return node.body
    return []


def walk_reversed(nodes: list):
    """Each reversed node of ``nodes``, and those inside it, depth first."""
    for node in nodes:
        yield node
        yield from walk_reversed(_children(node))
