"""Casts (``settle_casts``, ``check_dtypes``): a ``dtype=`` to an integer type stops derivatives."""

import pytest

from tests.stages.helpers import UnsupportedSyntaxError, casts, text


def test_integer_and_boolean_dtypes_make_the_operation_inactive_float_ones_keep_it():
    found = casts("""
        def f(x, t):
            a = x.astype(np.int32)
            b = np.asarray(x, dtype=int)
            c = np.sum(x, dtype="i8")
            d = np.full_like(x, 2.0, dtype=bool)
            k = "int16"
            e = np.asarray(x, dtype=k)
            g = np.asarray(x, dtype=np.float32)
            h = np.asarray(x, dtype=x.dtype)
            m = x.astype(t)
            return a + b + c + d + e + g + h + m
    """, ["x"])
    kinds = {text(op.statement).strip(): op.kind for op in found
             if "dtype" in op.arguments or "astype" in text(op.statement)}
    assert kinds == {
        "a = x.astype(_t1)": "inactive",  # _t1 = np.int32, a local name set once
        "b = np.asarray(x, dtype=int)": "inactive",
        "c = np.sum(x, dtype='i8')": "inactive",
        "d = np.full_like(x, 2.0, dtype=bool)": "inactive",
        "e = np.asarray(x, dtype=k)": "inactive",
        "g = np.asarray(x, dtype=_t2)": "apply",
        "h = np.asarray(x, dtype=_t3)": "apply",  # x's own dtype: no cast
        "m = x.astype(t)": "apply",  # astype's rules read t at run time
    }


def test_a_dtype_the_code_does_not_show_is_refused_where_a_derivative_flows():
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:2:31: s2sad cannot tell whether this dtype is an "
                             r"integer, boolean or float type: the derivative of numpy.asarray "
                             r"depends on it; pass the type itself"):
        casts("def f(x, t):\n    return np.asarray(x, dtype=t)\n", ["x"])


def test_a_dtype_the_code_does_not_show_is_fine_where_no_derivative_flows():
    found = casts("def f(x, t):\n    y = np.asarray(x, dtype=t)\n    return np.sum(x)\n", ["x"])
    assert [op.kind for op in found] == ["apply", "apply"]
