"""Spec rows for the rules of Python's operators (``operator.*`` and ``abs``)."""

import operator

import numpy as np

from tests.rules.harness import Fixed, Spec

#: Operand shapes for binary operators: equal, broadcast either way, and scalars.
BROADCAST = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((4,), (3, 4)),
    ((3, 4), (3, 1)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((3, 4), ()),
    ((), (3, 4)),
    ((), ()),
]

_rng = np.random.default_rng(7)


def _complex(*shape):
    """A fixed complex array, differentiated like any float argument."""
    return Fixed(_rng.standard_normal(shape) + 1j * _rng.standard_normal(shape))


def _binary(fn, domain="real", **options):
    return [Spec(fn, shapes, domain=domain, **options) for shapes in BROADCAST]


SPECS = [
    *_binary(operator.add),
    *_binary(operator.sub),
    *_binary(operator.mod, "positive"),
    *_binary(operator.mul),
    *_binary(operator.truediv, "nonzero"),
    *_binary(operator.pow, "positive"),
    # integer and constant exponents, negative bases
    Spec(operator.pow, ((3, 4), Fixed(2)), wrt=("a",)),
    Spec(operator.pow, ((3, 4), Fixed(3)), wrt=("a",)),
    Spec(operator.pow, ((), Fixed(2)), wrt=("a",)),
    Spec(operator.pow, ((3, 4), Fixed(-1)), domain="nonzero", wrt=("a",)),
    Spec(operator.pow, ((3, 4), Fixed(0.5)), domain="positive", wrt=("a",), id="pow_sqrt"),
    Spec(operator.pow, (Fixed(2.0), (3, 4)), id="pow_scalar_base"),
    # x ** 0 is constant, also at x == 0
    Spec(operator.pow, (Fixed(np.array([0.0, 1.5, -2.0])), Fixed(0)), wrt=("a",), id="pow_zero"),
    Spec(operator.pow, (Fixed(0.0), Fixed(0)), wrt=("a",), id="pow_zero_scalar"),
    Spec(operator.pow, (Fixed(0.0), Fixed(2)), wrt=("a",), id="pow_at_zero"),
    Spec(
        operator.pow,
        (Fixed(np.array([0.0, 0.0, 2.0])), Fixed(np.array([0, 2, 3]))),
        wrt=("a",),
        id="pow_zero_array_exponent",
    ),
    Spec(operator.pow, ((3,), Fixed(np.float64(0.0))), wrt=("a",), id="pow_numpy_zero"),
    Spec(
        operator.pow,
        (Fixed(np.array([0.0, 0.5, 2.0])), (3,)),
        domain="positive",
        wrt=("b",),
        id="pow_zero_base",
    ),
    Spec(operator.neg, ((3, 4),)),
    Spec(operator.neg, ((),)),
    Spec(operator.pos, ((3, 4),)),
    Spec(operator.pos, ((),)),
    Spec(operator.abs, ((3, 4),), domain="nonzero"),
    Spec(operator.abs, ((),), domain="nonzero"),
    Spec(abs, ((3, 4),), domain="nonzero"),
    Spec(abs, ((),), domain="nonzero"),
    # matrix products: 2-D, matrix-vector, vector-matrix, inner, stacks and broadcasting
    Spec(operator.matmul, ((3, 4), (4, 5))),
    Spec(operator.matmul, ((3, 4), (4,))),
    Spec(operator.matmul, ((4,), (4, 5))),
    Spec(operator.matmul, ((4,), (4,))),
    Spec(operator.matmul, ((2, 3, 4), (4, 5))),
    Spec(operator.matmul, ((3, 4), (2, 4, 5))),
    Spec(operator.matmul, ((2, 3, 4), (2, 4, 5))),
    Spec(operator.matmul, ((2, 1, 3, 4), (5, 4, 2))),
    Spec(operator.matmul, ((2, 3, 4), (4,))),
    Spec(operator.matmul, ((4,), (2, 4, 5))),
    # complex operands: the adjoint multiplies by the conjugated derivative
    Spec(operator.mul, (_complex(3, 4), _complex(4)), id="mul_complex"),
    Spec(operator.mul, ((3, 4), _complex(3, 4)), wrt=(1,), id="mul_real_complex"),
    Spec(operator.truediv, (_complex(3, 4), _complex(3, 1)), id="truediv_complex"),
    Spec(operator.pow, (_complex(3, 4), Fixed(3)), wrt=("a",), id="pow_complex"),
    Spec(operator.pow, (_complex(3, 4), _complex(4)), id="pow_complex_both"),
    Spec(operator.add, (_complex(3, 4), _complex(4)), id="add_complex"),
    Spec(operator.sub, (_complex(3, 4), _complex(3, 1)), id="sub_complex"),
    Spec(operator.neg, (_complex(3, 4),), id="neg_complex"),
    Spec(operator.abs, (_complex(3, 4),), id="abs_complex"),
    Spec(abs, (Fixed(1.5 - 2j),), id="abs_python_complex"),
    Spec(operator.matmul, (_complex(3, 4), _complex(4, 5)), id="matmul_complex"),
    Spec(operator.matmul, (_complex(2, 3, 4), _complex(4)), id="matmul_complex_stack"),
    Spec(operator.matmul, (_complex(4), _complex(4, 2)), id="matmul_complex_vector"),
]
