"""Lift (``lift_definitions``): nested functions become functions of their own."""

import pytest

from tests.stages.helpers import UnsupportedSyntaxError, expected, lift_definitions, parsed, text


def lifted(source):
    front = parsed(source)
    outer, functions = lift_definitions(front.node, front.error)
    return text(outer), {name: text(node) for name, node in functions.items()}


def test_enclosing_variables_become_keyword_parameters_passed_at_each_call():
    outer, functions = lifted("""
        def f(x, a):
            def g(t):
                return t * x + a
            h = lambda t, s=1.0: g(t) * s
            a = a + 1.0
            return h(x) + g(2.0)
    """)
    # a closure reads its variables when called: after a = a + 1.0, so at the call
    assert outer == expected("""
        def f(x, a):
            a = a + 1.0
            return h(x, a=a, x=x) + g(2.0, a=a, x=x)
    """)
    assert functions == {
        "g": "def g(t, *, a, x):\n    return t * x + a\n",
        # h reads a and x through g: it passes them on
        "h": "def h(t, s=1.0, *, a, x):\n    return g(t, a=a, x=x) * s\n",
    }


def test_lambdas_inside_expressions_get_names_and_values_read_what_they_capture():
    outer, functions = lifted("""
        def f(x, a):
            acts = {"scale": lambda z: a * z, "square": lambda z: z * z}
            g = lambda t: t + x
            ys = sorted(x, key=lambda v: -v)
            return acts["scale"](g(1.0)), g, ys
    """)
    # a function used as a value is given the enclosing variables it reads: each is bound
    # once, so they hold what Python's closure would read when called
    assert outer == expected("""
        def f(x, a):
            acts = {'scale': __s2sad_partial__(_lambda1, a=a), 'square': _lambda2}
            ys = sorted(x, key=lambda v: -v)
            return acts['scale'](g(1.0, x=x)), __s2sad_partial__(g, x=x), ys
    """)
    assert functions == {
        "_lambda1": "def _lambda1(z, *, a):\n    return a * z\n",
        "_lambda2": "def _lambda2(z):\n    return z * z\n",
        "g": "def g(t, *, x):\n    return t + x\n",
    }


def test_a_function_without_nested_ones_is_left_as_it_is():
    front = parsed("def f(x):\n    return x * 2\n")
    outer, functions = lift_definitions(front.node, front.error)
    assert outer is front.node and functions == {}


@pytest.mark.parametrize("body, message", [
    ("    def g(t):\n        def k(u):\n            return u\n        return k(t)\n"
     "    return g(x)\n",
     r"^stage.py:3:8: functions nested two levels deep are not supported; define the inner"),
    ("    g = lambda t: t * x\n    x = x * 2.0\n    return g\n",
     r"^stage.py:4:11: the nested function 'g' is used as a value and reads 'x', which the "
     r"function binds more than once or in a loop"),
    ("    g = lambda t: t * x\n    y = g(x)\n    g = np.cos\n    return g(y)\n",
     r"^stage.py:4:4: the nested function 'g' is bound again; give the other value a name"),
    ("    def g(t):\n        return t * x\n    def h(x):\n        return g(x)\n"
     "    return h(2.0)\n",
     r"^stage.py:4:4: 'h' binds 'x', which the nested function 'g' it uses reads from the "
     r"enclosing function; give h's 'x' another name"),
    ("    fs = []\n    for k in range(3):\n        fs.append(lambda t: t * k)\n    return fs\n",
     r"^stage.py:4:18: the nested function '_lambda1' is used as a value and reads 'k'"),
    ("    def g(t):\n        return t\n    def g(t):\n        return 2 * t\n    return g(x)\n",
     r"^stage.py:4:4: 'g' is defined twice inside the function; give each nested function"),
    ("    total = 0.0\n    def add(v):\n        nonlocal total\n        total = total + v\n"
     "    add(x)\n    return total\n",
     r"^stage.py:4:8: nonlocal statements in a nested function are not supported; return the "
     "new value"),
])
def test_refusals_point_at_the_definition_or_use(body, message):
    with pytest.raises(UnsupportedSyntaxError, match=message):
        lifted("def f(x):\n" + body)
