"""sorted, min/max with a key, list(x) of an array, xs.insert / xs.pop(i) / del xs[i],
dict(...), loops over d.items() / d.values() / d.keys(), del name; sets refused at their
line. Each derivative is checked against central differences and the dot-product
identity (check_grads), and the Hessian-vector product against differences of the
gradient."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([0.3, -0.7, 1.1, 0.45])


def check_hvp(f, x, eps=1e-5):
    v = np.array([0.4, -0.3, 0.8, 0.1])[: len(x)]
    grad = s2sad.grad(f)
    numeric = (grad(x + eps * v) - grad(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(s2sad.hvp(f)(x, v), numeric, rtol=1e-5, atol=1e-7)


def sorted_list(x):
    ys = sorted([x[0], x[1] * 2.0, x[2], np.sin(x[3])])
    return ys[0] * 3.0 + ys[1] * ys[3] + ys[2] ** 2


def sorted_reversed(x):
    ys = sorted([x[0], x[1] * 2.0, x[2]], reverse=True)
    return ys[0] * 3.0 + ys[2] ** 3


def sorted_array(x):
    ys = sorted(x ** 2 - x)
    return ys[0] * ys[-1] + ys[1]


def sorted_tuple_and_generator(x):
    a = sorted((x[0], x[1], x[2]))
    b = sorted(v * v for v in x)
    return a[0] * b[-1] + a[2] * b[0]


def sorted_by_key(x):
    ys = sorted([x[0], x[1], x[2], x[3]], key=lambda v: (v - 0.5) ** 2, reverse=True)
    return ys[0] * 2.0 + ys[1] * ys[2] ** 2


def extremum_by_key(x):
    near = min([x[0], x[1], x[2]], key=lambda v: abs(v - 0.2))
    far = max(x, key=abs)
    return near * far + near ** 3


def list_of_array(x):
    xs = list(x * 2.0)
    return xs[0] * xs[1] + xs[3] ** 2 + sum(xs)


@pytest.mark.parametrize("f", [sorted_list, sorted_reversed, sorted_array,
                               sorted_tuple_and_generator, sorted_by_key, extremum_by_key,
                               list_of_array])
def test_sorting_and_lists_of_arrays(f):
    check_grads(f, (X,))
    check_grads(f, (np.array([1.3, 0.2, -0.4, 0.9]),))
    check_hvp(f, X)


def test_sorted_matches_python():
    assert sorted_by_key(X) == pytest.approx(sorted_by_key.__wrapped__(X)
                                              if hasattr(sorted_by_key, "__wrapped__")
                                              else sorted_by_key(X))
    value, _ = s2sad.jvp(sorted_by_key, (X,), (np.ones(4),))
    assert value == sorted_by_key(X)


def inserted(x):
    xs = [x[0], x[1]]
    xs.insert(1, x[2] * 2.0)
    xs.insert(-1, x[3])
    xs.insert(10, x[0] * x[1])
    xs.insert(-10, 1.5)
    return xs[0] * 1.0 + xs[1] * 2.0 + xs[2] * 3.0 + xs[3] * xs[4] + xs[5] ** 2


def popped_and_deleted(x):
    xs = [x[0], x[1] * 3.0, x[2], x[3]]
    a = xs.pop(1)
    del xs[-1]
    xs.pop(0)
    return a * xs[0] + len(xs)


def inserted_in_loop(x):
    xs = []
    for k in range(4):
        xs.insert(k // 2, x[k] * (k + 1.0))
    return xs[0] * xs[1] + xs[2] * xs[3] ** 2


@pytest.mark.parametrize("f", [inserted, popped_and_deleted, inserted_in_loop])
def test_lists_changed_in_place(f):
    check_grads(f, (X,))
    check_hvp(f, X)


def test_insert_and_delete_follow_python():
    def f(x):
        xs = [1.0, 2.0, 3.0]
        xs.insert(-1, x)
        xs.insert(100, 2 * x)
        del xs[0]
        b = xs.pop(-2)
        return xs, b

    assert f(5.0) == ([2.0, 5.0, 10.0], 3.0)
    (value, extra), (tangent, extra_dot) = s2sad.jvp(f, (5.0,), (1.0,))
    assert (value, extra) == f(5.0)
    assert list(tangent) == [0.0, 1.0, 2.0] and extra_dot == 0.0


def test_index_errors_are_pythons():
    def f(x):
        xs = [x, x]
        del xs[5]
        return xs[0]

    with pytest.raises(IndexError, match="list assignment index out of range"):
        s2sad.grad(f)(1.0)


def entries_removed(x):
    d = {"a": x[0], "b": x[1] * 2.0, "c": x[2], "e": x[3] ** 2}
    a = d["a"]
    del d["a"]
    v = d.pop("c")
    s = 0.0
    for k, w in d.items():
        s = s + w * v * a * (1.0 if k == "b" else 2.0)
    return s + len(d)


def test_entries_of_a_dict_deleted_and_popped():
    check_grads(entries_removed, (X,))
    check_hvp(entries_removed, X)


def test_deleting_a_missing_key_raises_pythons_key_error():
    def f(x):
        d = {"a": x}
        del d["z"]
        return d["a"]

    with pytest.raises(KeyError, match="z"):
        s2sad.grad(f)(1.0)


def test_deleting_from_a_dict_another_name_holds_is_refused_at_its_line():
    def f(x):
        d = {"a": x, "b": 2.0 * x}
        e = d
        del d["a"]
        return e["b"] * 2.0

    with pytest.raises(UnsupportedSyntaxError, match="removing an item of 'd'") as caught:
        s2sad.grad(f)(1.0)
    assert caught.value.lineno == f.__code__.co_firstlineno + 3


def test_del_of_an_item_of_something_else_is_an_error_naming_the_line():
    def f(x):
        t = (x, 2 * x)
        del t[0]
        return t[0]

    with pytest.raises(TypeError, match=r"test_more_builtins.py:\d+:\d+: del xs\[i\].*tuple"):
        s2sad.grad(f)(1.0)


def dict_built(x):
    d = dict(a=x[0], b=x[1] * 2.0)
    e = dict(zip(["p", "q"], [x[2], x[3] ** 2]))
    return d["a"] * d["b"] + e["q"] * e["p"]


def dict_loops(x):
    d = {"a": x[0], "b": x[1] * 2.0, "c": x[2] * x[3]}
    s = 0.0
    for k, v in d.items():
        s = s + v * v * (2.0 if k == "b" else 1.0)
    for v in d.values():
        s = s + np.sin(v)
    for k in d.keys():
        s = s * 0.5 + d[k]
    return s + sum(d.values()) + max(d.values())


def dict_comprehension_over_items(x):
    d = {"a": x[0], "b": x[1]}
    e = {k: v * 3.0 for k, v in d.items()}
    return e["a"] * e["b"]


@pytest.mark.parametrize("f", [dict_built, dict_loops, dict_comprehension_over_items])
def test_dicts(f):
    check_grads(f, (X,))
    check_hvp(f, X)


def test_a_dict_changed_during_its_loop_raises_as_python_does():
    def f(x):
        d = {"a": x}
        for k in d.keys():
            d[k + "z"] = x
        return d["a"]

    with pytest.raises(RuntimeError, match="changed size"):
        f(1.0)
    with pytest.raises(RuntimeError, match="changed size"):
        s2sad.grad(f)(1.0)


def deleted_name(x):
    y = x * 2.0
    z = y + 1.0
    del y
    return np.sum(z ** 2)


def test_del_name():
    check_grads(deleted_name, (X,))


def test_del_of_a_name_read_later_is_refused():
    def f(x):
        y = x * 2.0
        del y
        y = 3.0
        return y * x

    with pytest.raises(UnsupportedSyntaxError, match="del y"):
        s2sad.grad(f)(1.0)


def constant_set_membership(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    t = 0.0
    for k in ["a", "b", "c"]:
        if k in {"a", "c"}:
            t = t + d[k] ** 2
    return t


def test_a_set_of_constants_for_membership_tests():
    check_grads(constant_set_membership, (X,))


def test_sets_of_computed_values_are_refused_at_their_line():
    def display(x):
        s = {x, 2 * x}
        return sum(s)

    def comprehension(x):
        s = {v * 2 for v in x}
        return sum(s)

    for f in (display, comprehension):
        with pytest.raises(UnsupportedSyntaxError, match="a set has no order") as caught:
            s2sad.grad(f)(X)
        assert caught.value.filename.endswith("test_more_builtins.py")
        assert "list" in str(caught.value)


def test_keys_other_than_a_lambda_or_a_name_are_refused():
    def f(x, keys):
        return min([x[0], x[1]], key=keys.get)

    with pytest.raises(UnsupportedSyntaxError, match="a key other than a lambda"):
        s2sad.grad(f)(X, {})


def test_a_lambda_called_where_it_is_written_is_still_refused():
    """(A lambda in a list is a function value: tests/compiler/test_function_values.py.)"""
    def f(x):
        return (lambda v: v * 2.0)(x)

    with pytest.raises(UnsupportedSyntaxError, match="lambda"):
        s2sad.grad(f)(1.0)


def extended(x):
    xs = [x[0] * 1.0, x[1] * 2.0]
    ys = [x[2] * 3.0]
    zs = xs + ys
    xs.extend(ys)
    xs.extend(xs)
    return xs[2] * zs[0] + xs[0] * xs[5]


def test_extend_as_concatenation_in_place():
    check_grads(extended, (X,))
    check_hvp(extended, X)


def extended_from_an_array(x):
    xs = [x[0]]
    xs.extend([x[1], x[2] * 2.0])
    xs.insert(1, x[3])
    return xs[0] * xs[1] * xs[2] + xs[3] ** 2


def test_extend_and_insert_of_items_read_from_one_array():
    check_grads(extended_from_an_array, (X,))
    check_hvp(extended_from_an_array, X)


def through_a_second_name(x):
    xs = [x[0] * 1.0]
    ys = xs
    ys.extend([x[1] * 2.0, x[2] * 3.0])
    return sum(xs) * xs[-1]


def inserted_while_aliased(x):
    xs = [x[0] * 1.0, x[1] * 2.0]
    ys = xs
    xs.insert(0, x[2] * 3.0)
    return xs[0] * xs[1] + ys[2]


def deleted_while_held(x):
    xs = [x[0] * 1.0, x[1] * 2.0, x[3] * 1.0]
    t = (xs, 1.0)
    del xs[0]
    return t[0][0] * 2.0 + xs[1]


def popped_while_held(x):
    xs = [x[0] * 1.0, x[1] * 2.0]
    zs = [xs]
    b = xs.pop(0)
    return zs[0][0] * b


@pytest.mark.parametrize("f", [through_a_second_name, inserted_while_aliased,
                               deleted_while_held, popped_while_held])
def test_a_list_changed_while_another_name_holds_it_is_refused_at_its_line(f):
    with pytest.raises(UnsupportedSyntaxError, match="writing into|may hold") as caught:
        s2sad.grad(f)(X)
    assert caught.value.filename.endswith("test_more_builtins.py")


def extended_by_generators(x):
    xs = []
    xs.extend(v * v for v in x)
    xs.insert(1, sum([v * 2.0 for v in xs]))
    b = xs.pop(len([v for v in xs if v > 0.2]) - 1)
    return xs[0] * xs[1] + b * xs[-1]


def test_arguments_with_comprehensions_are_evaluated_first():
    check_grads(extended_by_generators, (X,))
    check_hvp(extended_by_generators, X)


def test_extend_by_a_generator_reading_the_list_is_refused():
    def f(x):
        xs = [x[0], x[1]]
        xs.extend(v * 2.0 for v in xs)
        return xs[0]

    with pytest.raises(UnsupportedSyntaxError, match="generator reading xs"):
        s2sad.grad(f)(X)


def ranked_entries(x):
    d = {"a": x[0], "b": x[1] * 2.0, "c": x[2]}
    ranked = sorted(d.items(), key=lambda kv: kv[1], reverse=True)
    best = max(d.items(), key=lambda kv: kv[1] ** 2)
    return ranked[0][1] * best[1] + ranked[2][1]


def test_sorted_and_max_of_dict_items_by_value():
    check_grads(ranked_entries, (X,))
    check_hvp(ranked_entries, X)


def copied_dict(x):
    d = {"a": x[0], "b": x[1] * 2.0}
    e = dict(d)
    e["a"] = 3.0 * x[2]
    return e["a"] * d["a"] + e["b"]


def test_dict_of_a_dict_is_a_copy():
    assert copied_dict(X) == s2sad.jvp(copied_dict, (X,), (X,))[0]
    check_grads(copied_dict, (X,))


def rows_sorted(A):
    rows = sorted(A, key=lambda r: r.sum())
    first = list(A)[0]
    return np.sum(rows[0] * rows[1]) + np.sum(rows[2] ** 3) + np.sum(first ** 2)


def test_rows_of_a_matrix_sorted_and_listed():
    A = np.array([[0.3, -0.7, 1.1], [0.45, 0.2, -0.3], [-1.2, 0.8, 0.5]])
    check_grads(rows_sorted, (A,))
    H = s2sad.hessian(rows_sorted)(A)
    assert H.shape == (3, 3, 3, 3)
    np.testing.assert_allclose(H.reshape(9, 9), H.reshape(9, 9).T, atol=1e-12)
