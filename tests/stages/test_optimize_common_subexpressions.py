"""Common subexpressions (``hoist_common_calls``): a call repeated in one reverse block."""

import gast

from tests.stages.helpers import atom_text, block_text, hoist_common_calls


def hoisted(expressions, worth_it=None):
    names = iter(["_t8", "_t9"])
    options = {} if worth_it is None else {"worth_it": worth_it}
    before, rewritten = hoist_common_calls([gast.parse(e).body[0].value for e in expressions],
                                           lambda: next(names), **options)
    return block_text(before), [atom_text(e) for e in rewritten]


def test_a_call_repeated_across_or_within_expressions_is_computed_once():
    assert hoisted(["-solve(A.T, g) @ x", "uncol(solve(A.T, g))"]) == (
        "_t8 = solve(A.T, g)\n", ["-_t8 @ x", "uncol(_t8)"])
    assert hoisted(["f(a) + f(a)"]) == ("_t8 = f(a)\n", ["_t8 + _t8"])
    assert hoisted(["f(a) + f(b)", "g(f(a))"]) == ("_t8 = f(a)\n", ["_t8 + f(b)", "g(_t8)"])


def test_the_largest_repeated_call_is_hoisted_not_its_parts():
    assert hoisted(["h(f(a)) + 1", "h(f(a)) * 2"]) == ("_t8 = h(f(a))\n",
                                                        ["_t8 + 1", "_t8 * 2"])


def test_arithmetic_and_calls_not_worth_it_stay():
    assert hoisted(["x + 1", "x + 1"]) == ("\n", ["x + 1", "x + 1"])
    assert hoisted(["f(a) + 1", "f(a) * 2"], lambda call: False) == (
        "\n", ["f(a) + 1", "f(a) * 2"])


def test_a_call_only_a_branch_may_evaluate_is_not_computed_before_the_block():
    # computed before the block, np.linalg.qr(a, mode) would run where the code chose not to
    assert hoisted(["f(a) if c else 0.0", "f(a) if c else 1.0"]) == (
        "\n", ["f(a) if c else 0.0", "f(a) if c else 1.0"])
    assert hoisted(["c and f(a)", "d or f(a)"]) == ("\n", ["c and f(a)", "d or f(a)"])
    assert hoisted(["lambda: f(a)", "lambda: f(a)"])[0] == "\n"
    assert hoisted(["[f(a) for i in r]", "[f(a) for j in r]"])[0] == "\n"


def test_a_call_evaluated_for_sure_serves_its_repeats_in_branches_too():
    assert hoisted(["f(a) * 2", "f(a) if c else 0.0"]) == (
        "_t8 = f(a)\n", ["_t8 * 2", "_t8 if c else 0.0"])
    assert hoisted(["f(a) if g(b) else 0.0", "g(b) + 1"]) == (
        "_t8 = g(b)\n", ["f(a) if _t8 else 0.0", "_t8 + 1"])
