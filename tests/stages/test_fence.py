"""Fence (``check_supported``): the first construct outside the subset, refused where it is."""

import pytest

from tests.stages.helpers import UnsupportedSyntaxError, fenced

SET = ("set displays of computed values are not supported: a set has no order to "
       "differentiate by; use a list or a tuple ([a, b]); a set of constants is fine")
BIND = "bind it to a name first (g = lambda t: ...), then call g"
#: (statement in ``def f(x)``, the error's first line); the statement starts at line 2
REFUSED = [
    ("try:\n        x = 1\n    except ValueError:\n        pass",
     "2:4: try statements are not supported; move the try/except outside the differentiated "
     "function"),
    ("with open('a') as fh:\n        x = 1",
     "2:4: with statements are not supported; move the with block outside the differentiated "
     "function"),
    ("global y", "2:4: global statements are not supported; pass the value as an argument and "
                 "return the result"),
    ("del x; y = {x}", "2:15: " + SET),
    ("raise", "2:4: a bare raise (raising again) is not supported; raise the exception by "
              "name: raise ValueError(...)"),
    ("import os", "2:4: imports inside the function are not supported; import at module level"),
    ("from os import path", "2:4: imports inside the function are not supported; import at "
                            "module level"),
    ("class K:\n        pass", "2:4: class definitions inside the function are not supported"),
    ("def g(t):\n        return t", "2:4: nested function definitions are not supported; "
                                    "define the helper at module level"),
    ("async def g():\n        pass", "2:4: async functions are not supported"),
    ("y = (lambda t: t)(x)", "2:9: lambda expressions inside the function are not supported; "
                             "bind it to a name first (g = lambda t: ...), then call g"),
    ("y = {v for v in x}", "2:8: set comprehensions are not supported: a set has no order "
                           "to differentiate by; use a list comprehension, and "
                           "dict.fromkeys(...) or a test 'v in seen' to drop repeated values"),
    ("y = {v: {v} for v in x}", "2:12: " + SET),
    ("y = x + (x := 2.0)", "2:13: 'x' is read before this assignment expression assigns "
                           "it, in the same statement; assign in a separate statement"),
    ("a, *b.c = x", "2:8: assignment to an attribute is not supported; keep the value in a "
                    "local variable"),
    ("y = {x, 1.0}", "2:8: " + SET),
    ("y = f'{x:{w}}'", "2:8: a computed format spec in an f-string is not supported; write "
                       "the spec as text: f'{x:.3f}'"),
    ("y = yield x", "2:8: yield is not supported; generators cannot be differentiated; return a "
                    "value instead"),
    ("np.sin(x, out=x)", "2:18: writing a result into an out= array is not supported; use the "
                         "returned value instead"),
    ("y = {**x}", "2:8: unpacking into a dict display ({**d}) is not supported; build the dict "
                  "key by key"),
    ("x[0][1] = 2.0", "2:4: assignment through a nested index or an attribute is not supported; "
                      "index once, e.g. x[i, j] = v instead of x[i][j] = v"),
    ("x.a = 2.0", "2:4: assignment to an attribute is not supported; keep the value in a local "
                  "variable"),
    ("x.a += 2.0", "2:4: assignment to an attribute is not supported; keep the value in a "
                   "local variable"),
    ("for x.a in range(3):\n        pass", "2:8: assignment to an attribute is not supported; "
                                           "keep the value in a local variable"),
    # inside blocks, tests and the parts of expressions: the innermost offending node
    ("if x > 0:\n        pass\n    else:\n        y = [*x]",
     "5:13: unpacking into a list, tuple or set display ([*xs, y]) is not supported; join "
     "them instead: xs + [y] for lists, np.concatenate([xs, [y]]) for arrays"),
    ("while x > 0:\n        x = x - (lambda: 1)()",
     "3:17: lambda expressions inside the function are not supported; " + BIND),
    ("assert x > 0, (lambda: 'no')()",
     "2:19: lambda expressions inside the function are not supported; " + BIND),
    ("y = x if x else {x}", "2:20: " + SET),
    ("y = x[{x}]", "2:10: " + SET),
    ("for i in {1, x}:\n        pass", "2:13: " + SET),
]


@pytest.mark.parametrize("statement, message", REFUSED, ids=[r[1][:40] for r in REFUSED])
def test_the_first_unsupported_construct_is_refused_at_its_position(statement, message):
    source = f"def f(x):\n    {statement}\n    return x\n"
    with pytest.raises(UnsupportedSyntaxError) as caught:
        fenced(source)
    assert str(caught.value).splitlines()[0] == f"stage.py:{message}"


def test_the_error_shows_the_line_and_a_caret_under_the_column():
    with pytest.raises(UnsupportedSyntaxError, match="^stage.py:3:17: ") as caught:
        fenced("def f(x):\n    while x > 0:\n        x = x - (lambda: 1)()\n    return x\n")
    assert str(caught.value).splitlines()[1:] == ["    x = x - (lambda: 1)()",
                                                  "             ^"]
    assert caught.value.hint == "bind it to a name first (g = lambda t: ...), then call g"


@pytest.mark.parametrize("statement", [
    "y = x @ x + x.T[0, ::2]",
    "y = g(*x, **x)",
    "print(x, sep='')",
    "y = [v for v in x if v]\n    z = sum(v for v in x)",
    "a, (b, c) = x\n    x[0] += a",
    "while x:\n        break\n    else:\n        pass",
    "y = {'a': x}\n    z = x if x else -x\n    w = x and x or 0 < x < 1",
    "assert x, 'message'",
])
def test_the_subset_passes(statement):
    assert fenced(f"def f(x):\n    {statement}\n    return x\n") is None
