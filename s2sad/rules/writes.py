"""Rules for the helpers NumPy's in-place writes are lowered into (``s2sad/runtime/writes.py``).

``added_at(y, i, v)`` (``np.add.at`` on a copy) passes ``y``'s adjoint through and gives
``v`` the adjoint read back at ``i`` (summed over what ``v`` was broadcast along); its
tangent adds ``v``'s tangent at ``i``. ``element(y, i)``, a copy of ``y[i]``, has the
rules of indexing. The rules are made of functions with rules, so
derivatives of any order follow. The helpers that find positions carry no derivative.
"""

import operator

from s2sad.rules.registry import jvp_rule, nondifferentiable, share, vjp_rule
from s2sad.runtime.core import unbroadcast, zeros_like
from s2sad.runtime.writes import (
    added_at,
    at_items,
    at_shape,
    element,
    single_element,
    write_positions,
)

nondifferentiable(write_positions, at_items, at_shape)
share(element, operator.getitem)  # a copy of y[index]
share(single_element, operator.getitem)  # y[index], checked to be one element


@vjp_rule(added_at, "y")
def added_at_y(g, ans, y, indices, v):
    return g


@vjp_rule(added_at, "v")
def added_at_v(g, ans, y, indices, v):
    return unbroadcast(operator.getitem(g, indices), v)


@jvp_rule(added_at, "y")
def added_at_y_dot(y_dot, ans, y, indices, v):
    return y_dot


@jvp_rule(added_at, "v")
def added_at_v_dot(v_dot, ans, y, indices, v):
    return added_at(zeros_like(ans), indices, v_dot)
