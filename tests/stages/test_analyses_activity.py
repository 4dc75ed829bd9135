"""Activity (``active_names``): varied and useful names, the only ones given derivatives."""

from tests.stages.helpers import active


def test_a_name_active_only_through_a_loop_carried_dependence():
    # t reads s before s reads x: only the previous iteration's s carries x into t
    assert active("""
        def f(x, n):
            s = 0.0
            t = 0.0
            k = n * 2
            unused = x * 3.0
            for i in range(n):
                t = s * 2.0
                s = s + x
            return t * k
    """, ["x"]) == ["_t1", "_y", "s", "t", "x"]


def test_activity_is_per_name_so_a_later_varied_definition_makes_earlier_reads_active():
    # conservative (t = 0.0 * 2.0 carries no derivative), never wrong
    assert active("""
        def f(x, n):
            s = 0.0
            t = s * 2.0
            s = s + x
            return t
    """, ["x"]) == ["_t1", "s", "t", "x"]


def test_a_write_into_an_array_makes_it_varied():
    assert active("""
        def f(x, W):
            W[0] = x
            y = W * 2.0
            return np.sum(y)
    """, ["x"]) == ["W", "_y", "x", "y"]


def test_appending_makes_the_list_varied_and_its_items_too():
    assert active("""
        def f(x, xs):
            xs.append(x)
            y = xs[0]
            return y
    """, ["x"]) == ["x", "xs", "y"]


def test_a_method_found_when_called_may_write_into_what_it_is_given():
    # z is written by rng.shuffle(z) from all it reads, including rng
    assert active("""
        def f(x, y, rng):
            z = y + 1.0
            rng.shuffle(z)
            w = x + z
            return w
    """, ["y"]) == ["w", "y", "z"]
    assert active("""
        def f(x, rng):
            z = np.ones(3)
            rng.shuffle(z)
            return z
    """, ["rng"]) == ["rng", "z"]


def test_an_out_given_by_position_is_written():
    assert active("""
        def f(x):
            z = np.zeros(3)
            np.cumsum(x, 0, None, z)
            return np.sum(z)
    """, ["x"]) == ["_y", "x", "z"]


def test_comparisons_carry_no_derivative_and_unused_copies_are_not_useful():
    assert active("""
        def f(x, y):
            c = x > 0
            w = np.where(c, y, 0.0)
            return w
    """, ["x"]) == []
    assert active("""
        def f(x, y):
            a = x
            b = a
            return y
    """, ["x"]) == []
