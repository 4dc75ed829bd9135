"""Scalar spreads (``inline_scalar_spreads``): a full reduction's adjoint stays a scalar where
its only reader multiplies it by an array of the reduced shape."""

from tests.stages.helpers import block_text, expected, inline_scalar_spreads, statements


def inlined(source, **options):
    return block_text(inline_scalar_spreads(statements(source), "unreduce", **options))


def test_a_spread_read_once_by_a_product_with_the_array_is_the_scalar():
    assert inlined("""
        s_bar = unreduce(t_bar, x, None, False)
        y_bar = s_bar * x
    """) == "y_bar = t_bar * x\n"


def test_with_shape_facts_a_product_with_a_same_shape_expression_and_a_unit_scalar_goes():
    assert inlined("""
        s_bar = unreduce(1.0, x, None, False)
        u_bar = s_bar * conj(2 * u)
    """, same_shape=lambda a, b: {a, b} == {"x", "u"}, elementwise={"conj"}) == (
        "u_bar = conj(2 * u)\n")


def test_read_back_by_a_gather_adjoint_the_spread_is_one_scatter():
    assert inlined("""
        s_bar = unreduce(-t_bar * w, x, None, False)
        a_bar = getitem_adjoint(s_bar, a, (i, j))
    """, gather=("getitem_adjoint", lambda: "spread_at")) == (
        "a_bar = spread_at(-t_bar * w, a, (i, j))\n")


def test_read_twice_by_another_shape_or_after_a_partial_reduction_it_stays():
    for source in ("""
        s_bar = unreduce(t_bar, x, None, False)
        y_bar = s_bar * x
        z_bar = s_bar * w
    """, """
        s_bar = unreduce(t_bar, x, None, False)
        y_bar = s_bar * w
    """, """
        s_bar = unreduce(t_bar, x, 0, False)
        y_bar = s_bar * x
    """):
        assert inlined(source) == expected(source)
