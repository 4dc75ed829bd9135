"""Specialize (``specialize_calls``): a closure passed straight to a function of the user's
becomes extra arguments of a copy of that function."""


from s2sad.emit import to_source
from s2sad.frontend import parse_function
from s2sad.lift import lift
from s2sad.specialize import specialize_calls
from tests.compiler.test_closures_passed import integrate


def compares(fn, x):
    return fn(x) if fn is not None else x


def compared(k, x):
    return compares(lambda t: k * t, x)


def test_the_call_passes_the_captured_value_to_a_copy_that_calls_the_lifted_function():
    done = specialize_calls(lift(parse_function(integrate)))
    assert to_source(done.node).splitlines()[-1].strip() == (
        "return simpson_with_integrand(0.0, b, fn_k=k)")
    copy = done.extra["simpson_with_integrand"]
    assert to_source(parse_function(copy).node) == (
        "def simpson_with_integrand(a, b, n=8, *, fn_k):\n"
        "    h = (b - a) / n\n"
        "    s = fn(a, k=fn_k) + fn(b, k=fn_k)\n"
        "    for i in range(1, n):\n"
        "        s = s + (4 if i % 2 else 2) * fn(a + i * h, k=fn_k)\n"
        "    return s * h / 3\n")
    assert copy(0.0, 2.0, fn_k=0.5) == integrate(0.5, 2.0)  # it runs as Python too
    assert done.specialized["simpson_with_integrand."][0] == ("simpson", ())


def test_a_function_value_used_otherwise_than_called_or_passed_on_keeps_the_call():
    lifted = lift(parse_function(compared))
    assert specialize_calls(lifted) is lifted
