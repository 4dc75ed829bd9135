"""A derivative raises where its function raises, though it does not need the value."""

import math
import re

import numpy as np
import pytest

import s2sad


def log(x):
    return math.log(x)


def log_unused(x):
    t = math.log(x)  # the value is not needed, but the function raises at x <= 0
    return 2.0 * x + 0.0 * t


def reciprocal(x):
    return 1.0 / x


def floor_division(x):
    return 3.0 * x + (1.0 // x) * 0.0


def modulo(x):
    return 3.0 * x + (1.0 % x) * 0.0


def negative_power(x):
    return x ** -1.0


def truncated(x):
    return x * 2.0 + int(x) * 0.0


def rounded(x):
    return x * 2.0 + round(x) * 0.0


def in_a_branch(x, c):
    if c > 0:
        y = math.sqrt(x) * 0.0 + x
    else:
        y = x
    return y


def in_a_loop(x, n):
    s = 0.0
    for _ in range(n):
        s = s + x * math.acos(x) * 0.0 + x
    return s


def inverse_unused(a):
    unused = np.linalg.inv(a)
    return np.sum(a ** 2) + 0.0 * np.sum(unused)


MATH = [math.log, math.sqrt, math.acos, math.asin, math.acosh, math.atanh, math.log10,
        math.log2, math.log1p, math.gamma, math.lgamma]


def _raises_like(f, args, call, message=None):
    """``call()`` raises the exception ``f(*args)`` raises, with the same message (or one
    matching ``message``)."""
    try:
        f(*args)
    except Exception as error:  # noqa: BLE001 - any exception: the derivative's must match
        expected = error
    else:
        pytest.fail(f"{f.__name__}{args} raised nothing")
    with pytest.raises(type(expected), match=message or f"^{re.escape(str(expected))}$"):
        call()


@pytest.mark.parametrize("function, x", [
    (log, -1.0), (log_unused, -1.0), (log_unused, 0.0), (reciprocal, 0.0),
    (floor_division, 0.0), (modulo, 0.0), (negative_power, 0.0),
    (truncated, math.nan), (truncated, math.inf), (rounded, math.nan),
])
def test_every_derivative_raises_where_the_function_does(function, x):
    _raises_like(function, (x,), lambda: s2sad.grad(function)(x))
    _raises_like(function, (x,), lambda: s2sad.value_and_grad(function)(x))
    _raises_like(function, (x,), lambda: s2sad.jvp(function, (x,), (1.0,)))
    _raises_like(function, (x,), lambda: s2sad.vjp(function, x)[1](1.0))
    # the tangent of the gradient of 1.0 % x divides by x before it takes the modulo
    says = "^float (modulo|division by zero)$" if function is modulo else None
    _raises_like(function, (x,), lambda: s2sad.hvp(function)(x, 1.0), says)




def test_math_functions_out_of_their_domain_through_source(tmp_path, monkeypatch):
    lines = []
    for fn in MATH:
        lines += [f"def f_{fn.__name__}(x):", f"    t = math.{fn.__name__}(x)",
                  "    return x * 3.0 + 0.0 * t", ""]
    module = tmp_path / "raising_math.py"
    module.write_text("import math\n\n" + "\n".join(lines))
    monkeypatch.syspath_prepend(str(tmp_path))
    import raising_math
    for fn in MATH:
        f = getattr(raising_math, f"f_{fn.__name__}")
        _raises_like(f, (-2.0,), lambda: s2sad.grad(f)(-2.0))  # noqa: B023
        if fn not in (math.gamma, math.lgamma):  # digamma has no derivative rule
            _raises_like(f, (-2.0,), lambda: s2sad.hvp(f)(-2.0, 1.0))  # noqa: B023
        assert s2sad.grad(f)(0.5 if fn is not math.acosh else 2.0) == 3.0  # noqa: B023


def test_in_branches_and_loops():
    _raises_like(in_a_branch, (-1.0, 1.0), lambda: s2sad.grad(in_a_branch)(-1.0, 1.0))
    assert s2sad.grad(in_a_branch)(-1.0, -1.0) == 1.0
    assert s2sad.grad(in_a_branch)(4.0, 1.0) == 1.0
    _raises_like(in_a_loop, (2.0, 3), lambda: s2sad.grad(in_a_loop)(2.0, 3))
    assert s2sad.grad(in_a_loop)(0.5, 3) == 3.0


def test_singular_matrix():
    singular = np.ones((2, 2))
    _raises_like(inverse_unused, (singular,), lambda: s2sad.grad(inverse_unused)(singular))
    a = np.array([[2.0, 1.0], [0.0, 1.0]])
    np.testing.assert_array_equal(s2sad.grad(inverse_unused)(a), 2 * a)


def test_a_value_nothing_raises_on_is_still_not_computed():
    def square_sum(x):
        return np.sum(x ** 2)

    assert "_y = " not in str(s2sad.grad(square_sum).source)
