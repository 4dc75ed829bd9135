"""Kinds (``Kinds``): what sort of value each name holds, and what ``+`` and ``*`` mean."""

from s2sad.rules.sequences import concat, repeat
from tests.stages.helpers import kinds, text


def test_kinds_of_displays_constants_and_arithmetic_and_what_plus_and_times_become():
    found, operations = kinds("""
        def f(x, xs, n, t):
            a = [x, 1.0]
            b = a + xs
            c = a * 2
            d = 3 * (x, x)
            e = n + 1
            g = 2.5 * x
            h = xs + t
            s = "ab" + "c"
            k = {"a": x}
            m = -t
            return b
    """)
    assert found.kinds == {
        "_t1": "tuple", "a": "list", "b": "list", "c": "list", "d": "tuple", "e": "number",
        "g": "num", "h": "number", "k": "dict", "m": "number", "n": "unknown", "s": "str",
        # used at the top level where a sequence raises (2.5 * x, -t): numbers
        "t": "number", "x": "number", "xs": "unknown"}
    assert found.ambiguous == set() and found.maybe_sequences == set()
    meaning = {text(op.statement).strip(): (op.function, sorted(op.arguments))
               for op in operations if op.function in (concat, repeat)}
    assert meaning == {
        "b = a + xs": (concat, ["a", "b"]),
        "c = a * 2": (repeat, ["count", "seq"]),
        "d = 3 * _t1": (repeat, ["count", "seq"]),
        "s = 'ab' + 'c'": (concat, ["a", "b"]),
    }


def test_a_plus_of_parameters_used_only_in_a_branch_is_ambiguous():
    found, operations = kinds("""
        def f(x, y):
            if x > 0:
                z = -y
            return x + y
    """)
    assert found.kinds == {"_t1": "number", "_y": "unknown", "x": "unknown", "y": "unknown",
                           "z": "number"}
    assert [text(operations[i].statement).strip() for i in found.ambiguous] == ["_y = x + y"]
    assert found.maybe_sequences == {"_y", "x", "y"}
    assert found.is_sequence("x") and not found.is_sequence("z")
    assert not found.of_numbers().is_sequence("x")


def test_an_int_and_a_float_join_to_a_number_a_list_and_a_tuple_to_unknown():
    found, _ = kinds("""
        def f(x):
            q = 1
            for i in range(3):
                q = 0.5 * x
            w = [x]
            w = (x,)
            return q
    """)
    assert (found.kinds["q"], found.kinds["w"]) == ("number", "unknown")
