"""Front end (``parse_function``): a live function to its definition at the user's positions."""

import numpy as np
import pytest

from s2sad.errors import SourceUnavailableError, UnsupportedSyntaxError
from s2sad.testing.source import function_from_source
from tests.stages.helpers import FILE, expected, is_missing, parse_function, parsed, text


def test_a_function_keeps_its_file_lines_and_columns():
    front = parsed("""
        def f(x):
            y = x * 2.0
            return y
    """)
    assert (front.name, front.filename) == ("f", FILE)
    assert front.lines == ["def f(x):", "    y = x * 2.0", "    return y"]
    assignment = front.node.body[0]
    assert (assignment.lineno, assignment.col_offset) == (2, 4)
    assert (assignment.value.lineno, assignment.value.col_offset) == (2, 8)
    assert front.source_of(assignment) == "y = x * 2.0"
    assert text(front.node) == expected("""
        def f(x):
            y = x * 2.0
            return y
    """)


def test_an_error_points_at_the_node_in_the_users_file():
    front = parsed("def f(x):\n    y = x * 2.0\n    return y\n")
    error = front.error(front.node.body[0].value, "what is wrong", "what to do")
    assert str(error) == "stage.py:2:8: what is wrong; what to do\n    y = x * 2.0\n        ^"
    assert (error.filename, error.lineno, error.col_offset) == (FILE, 2, 8)


def test_a_method_is_shifted_back_to_its_indented_place_and_sees_its_class():
    source = (
        "class C:\n"
        "    def __init__(self):\n"
        "        self.__k = 2.0\n"
        "\n"
        "    def m(self, x):\n"
        "        return self.__k * x + super().m(x)\n"
    )
    cls = function_from_source(source, {}, filename=FILE, name="C")
    front = parse_function(cls.m)
    assert (front.node.lineno, front.node.col_offset) == (5, 4)
    assert (front.node.body[0].lineno, front.node.body[0].col_offset) == (6, 8)
    assert text(front.node) == expected("""
        def m(self, x):
            return self._C__k * x + super(__class__, self).m(x)
    """)


def test_super_in_a_nested_function_is_refused_at_its_call():
    source = (
        "class C:\n"
        "    def m(self, x):\n"
        "        g = lambda t: super().m(t)\n"
        "        return g(x)\n"
    )
    cls = function_from_source(source, {}, filename=FILE, name="C")
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:3:22: super\(\) without arguments is supported only "
                             r"in a method defined in its class"):
        parse_function(cls.m)


def test_a_lambda_bound_to_a_name_becomes_a_definition():
    lam = function_from_source("f = lambda x, y=2.0: x * y\n", {}, filename=FILE, name="f")
    front = parse_function(lam)
    assert text(front.node) == "def lambda_(x, y=2.0):\n    return x * y\n"
    assert (front.node.body[0].lineno, front.node.body[0].col_offset) == (1, 21)


def test_free_names_resolve_through_closure_then_globals_then_builtins():
    def outer():
        np = 3.0  # shadows the global

        def inner(x):
            return np * x + len(x)

        return inner

    front = parse_function(outer())
    assert sorted(front.closure) == ["np"]
    assert front.resolve("np") == 3.0
    assert front.resolve("len") is len
    assert is_missing(front.resolve("not_defined_anywhere"))
    assert parsed("def f(x):\n    return np.sin(x)\n").resolve("np") is np


@pytest.mark.parametrize("function, kind", [
    (np.sin, "ufunc"), (len, "builtin_function_or_method"),
])
def test_a_function_without_python_source_is_refused_saying_why(function, kind):
    with pytest.raises(SourceUnavailableError,
                       match=rf"^{function.__name__} is not a Python function \(it is a {kind}"):
        parse_function(function)


def test_a_function_whose_source_is_gone_is_refused():
    scope = {}
    exec(compile("def f(x):\n    return x\n", "<nowhere>", "exec"), scope)
    with pytest.raises(SourceUnavailableError,
                       match=r"^cannot read the source of f \(defined in <nowhere>\)"):
        parse_function(scope["f"])
