"""Shapes (``ShapeClasses``): which values certainly have one shape, which are scalars."""

from s2sad.analyses.shapes import ShapeClasses
from tests.stages.helpers import operations, shape_groups, shapes, text


def test_elementwise_functions_keep_shapes_math_and_full_reductions_give_scalars():
    classes = shapes("""
        def f(x, y, W):
            a = np.sin(x)
            b = a * 2.0
            c = b + a
            d = W @ x
            e = np.sum(d)
            g = math.exp(y)
            k = x + d
            return c
    """)
    # W @ x and x + d: no fact (a product, a broadcast of unrelated shapes)
    assert shape_groups(classes) == (["e", "g", "y"], [["a", "b", "c", "x"]])


def test_math_functions_of_sequences_prove_no_shape_of_the_sequence_and_prod_none_at_all():
    """``math.prod`` of arrays multiplies them (an array); ``math.fsum`` gives a scalar,
    but neither makes its sequence one."""
    classes = shapes("""
        def f(x, y, s):
            p = math.prod(x, start=s)
            t = math.fsum(y)
            return p
    """)
    assert shape_groups(classes) == (["t"], [])


def test_which_arguments_have_the_results_shape():
    source = """
        def f(x, W):
            b = x * 2.0
            k = x + W
            return b
    """
    classes = shapes(source)
    _, _, found = operations(source)
    facts = {text(op.statement).strip(): sorted(
        p for p, atom in op.arguments.items()
        if classes.same_as_result(i, text(op.statement).split(" =")[0], atom))
        for i, op in enumerate(found)}
    assert facts == {"b = x * 2.0": ["a"], "k = x + W": []}


def test_a_value_carried_around_a_loop_keeps_its_class_by_induction():
    assert shape_groups(shapes("""
        def f(x, n):
            s = x
            for i in range(n):
                s = s * 2.0
            return s
    """)) == (["i", "n"], [["_t1", "s", "x"]])


def test_after_a_branch_a_name_joins_a_class_only_when_both_definitions_are_in_it():
    assert shape_groups(shapes("""
        def f(x, y, c):
            if c:
                z = x
            else:
                z = y
            w = z * 1.0
            return w
    """)) == ([], [["w", "z"]])
    assert shape_groups(shapes("""
        def f(x, c):
            if c:
                z = np.cos(x)
            else:
                z = -x
            w = z * 1.0
            return w
    """)) == ([], [["w", "x", "z"]])


def test_parameters_assumed_scalar_make_what_keeps_their_shape_scalar():
    classes = shapes("def f(x, W):\n    a = np.sin(x)\n    d = W @ x\n    return a\n")
    assert shape_groups(classes) == ([], [["a", "x"]])
    classes.assume_scalar(["x"])
    assert shape_groups(classes) == (["a", "x"], [])


def test_branches_in_a_row_are_joined_in_a_bounded_number_of_passes(monkeypatch):
    """A name read after a branch joins its class before the statements after the branch
    are learned, in the same pass: not one pass per branch (quadratic in the length).
    ``a * x`` has the shape of both only once ``a`` is known to have the shape of ``x``."""
    lines = ["def f(x, c):", "    a0 = x * 2.0"]
    for i in range(1, 61):
        lines += ["    if c:", f"        a{i} = a{i - 1} * x", "    else:",
                  f"        a{i} = np.sin(a{i - 1}) + x"]
    lines.append("    return a60")
    learned = []
    learn = ShapeClasses._learn
    monkeypatch.setattr(ShapeClasses, "_learn",
                        lambda self, *args: learned.append(1) or learn(self, *args))
    classes = shapes("\n".join(lines) + "\n")
    assert classes.same(classes.final["a60"], ("x", -1))
    assert len(learned) <= 3 * len(classes.reaching)
