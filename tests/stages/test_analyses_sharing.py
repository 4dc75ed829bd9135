"""What may share memory (``analyses/sharing.py``): the facts the mutation check and the
recording of overwritten values start from."""

from tests.stages.helpers import sharing


def test_a_view_of_an_array_written_in_place_is_found_through_copies_of_names():
    facts = sharing("""
        def f(x, y):
            v = y[1:]
            w = v
            z = x * 2.0
            y[0] = x
            return np.sum(w * z)
    """)
    assert facts["views of written"] == {"y": {"y"}, "v": {"y"}, "w": {"y"}}


def test_only_a_name_every_binding_gives_a_new_list_or_dict_is_a_display():
    facts = sharing("""
        def f(x, xs):
            d = {}
            d["a"] = x
            ys = [x, x]
            ys = list(xs)
            zs = [x]
            zs = xs
            return d["a"] + ys[0] + zs[0]
    """)
    assert facts["displays"] == {"d", "ys"}


def test_a_name_indexes_by_copy_when_every_definition_makes_an_index_array():
    facts = sharing("""
        def f(x, n):
            i = np.array([1, 0])
            j = [0, 1]
            k = 1
            m = x > 0.0
            return np.sum(x[i]) + np.sum(x[j]) + x[k] + np.sum(x[m])
    """)
    assert {"i", "j", "m"} <= facts["index arrays"]
    assert "k" not in facts["index arrays"]
