"""Named regressions for what an independent tester found: raw errors from inside the
generated code where the user needed a derivative or an error naming what to do."""

import math
import random

import numpy as np
import pytest

import s2sad


def magnitude_and_sign_of_items(x):
    return math.fabs(x[0]) + math.copysign(x[1], -1.0)


def test_math_fabs_and_copysign_of_numpy_scalars():
    x = np.array([-0.4, 0.3])
    for _ in range(3):  # the simplified seed 1 made np.bool_ - np.bool_
        np.testing.assert_allclose(s2sad.grad(magnitude_and_sign_of_items)(x), [-1.0, -1.0])
    assert s2sad.grad(lambda a: math.fabs(a))(np.float64(-0.4)) == -1.0


def sum_of_squares(*xs):
    return sum(x ** 2 for x in xs)


@pytest.mark.parametrize("call", [
    lambda: s2sad.vjp(sum_of_squares, 1.0, 2.0),
    lambda: s2sad.jvp(sum_of_squares, (1.0, 2.0), (1.0, 0.0)),
], ids=["vjp", "jvp"])
def test_jvp_and_vjp_of_primals_in_varargs_say_what_to_do(call):
    with pytest.raises(TypeError, match=r"\*xs is not supported.*grad, jacfwd or jacrev"):
        call()


def test_the_gradient_with_respect_to_varargs_positions_works():
    assert s2sad.grad(sum_of_squares, wrt=(0, 1))(1.0, 2.0) == (2.0, 4.0)


def normal_draw(mu):
    return random.gauss(mu, 1.0) * 2.0


def test_a_library_function_that_cannot_be_differentiated_is_refused_at_the_users_call():
    with pytest.raises(s2sad.errors.UnsupportedSyntaxError) as caught:
        s2sad.grad(normal_draw)(0.5)
    assert caught.value.filename == __file__
    assert "library function random" in str(caught.value)
