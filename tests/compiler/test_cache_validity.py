"""A cached derivative is used only while what it was built from is unchanged: default
values, closure cells, callees however reached (globals, module attributes, closure cells,
methods), the source of the running code, and the free values real code assumed real.
Every expected number is a closed form."""

import importlib
import math
import sys

import numpy as np
import pytest

import s2sad
from s2sad import pipeline
from s2sad.errors import S2sadError, SourceUnavailableError
from s2sad.testing.source import function_from_source

X = np.array([1.0, 2.0])
V = np.array([0.5, -1.0])


# -- default values ---------------------------------------------------------------------

def test_lambdas_differing_only_in_their_default_get_their_own_derivatives():
    fs = [lambda x, a=a: a * x * x for a in range(1, 301)]
    assert [s2sad.grad(f)(1.5) for f in fs] == [3.0 * a for a in range(1, 301)]
    assert [s2sad.value_and_grad(f)(2.0) for f in fs[:3]] == [(4.0, 4.0), (8.0, 8.0),
                                                              (12.0, 12.0)]
    assert [s2sad.jvp(f, (2.0,), (1.0,)) for f in fs[:3]] == [(4.0, 4.0), (8.0, 8.0),
                                                             (12.0, 12.0)]
    assert [s2sad.vjp(f, 2.0)[1](1.0) for f in fs[:3]] == [(4.0,), (8.0,), (12.0,)]


def make_cubic(a):
    def cubic(x, a=a):
        return a * np.sum(x ** 3)
    return cubic


def make_keyword(a):
    def keyword(x, *, k=a):
        return k * np.sum(x ** 3)
    return keyword


@pytest.mark.parametrize("make", [make_cubic, make_keyword])
def test_defaults_and_keyword_only_defaults_to_second_order(make):
    for a in (1.0, 2.0, 5.0):
        f = make(a)
        np.testing.assert_allclose(s2sad.grad(f)(X), 3 * a * X ** 2)
        np.testing.assert_allclose(s2sad.hvp(f)(X, V), 6 * a * X * V)
        np.testing.assert_allclose(s2sad.jvp(f, (X,), (V,))[1], 3 * a * np.sum(X ** 2 * V))


def test_defaults_replaced_after_the_first_derivative():
    def f(x, a=2.0):
        return a * x * x

    assert s2sad.grad(f)(1.0) == 4.0
    f.__defaults__ = (3.0,)
    assert s2sad.grad(f)(1.0) == 6.0
    assert s2sad.value_and_grad(f)(2.0) == (12.0, 12.0)

    def g(x, *, a=2.0):
        return a * x * x

    assert s2sad.grad(g)(1.0) == 4.0
    g.__kwdefaults__ = {"a": 5.0}
    assert s2sad.grad(g)(1.0) == 10.0
    assert s2sad.jvp(g, (1.0,), (1.0,)) == (5.0, 10.0)


def test_a_mutable_default_is_read_when_called():
    def f(x, w=[1.0, 2.0]):  # noqa: B006 (the point of the test)
        return w[0] * x * x + w[1] * x

    df = s2sad.grad(f)
    assert df(1.0) == 4.0
    f.__defaults__[0][:] = [3.0, 5.0]
    assert df(1.0) == 11.0
    assert s2sad.grad(f)(1.0) == 11.0


def test_closures_over_different_cells():
    def make(a):
        def f(x):
            return a * x * x
        return f

    assert [s2sad.grad(make(a))(1.0) for a in (1.0, 2.0, 3.0)] == [2.0, 4.0, 6.0]


def test_replaced_code_object():
    def f(x):
        return x * x

    def g(x):
        return x * x * x

    assert s2sad.grad(f)(2.0) == 4.0
    f.__code__ = g.__code__
    assert s2sad.grad(f)(2.0) == 12.0
    assert s2sad.hvp(f)(2.0, 1.0) == 12.0


# -- callees ------------------------------------------------------------------------------

@pytest.fixture
def module(tmp_path, monkeypatch):
    """A module ``helpers_<n>`` written into ``tmp_path``, imported; ``write(text)``
    changes its file."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = f"cache_helpers_{abs(hash(tmp_path)) % 10 ** 8}"
    path = tmp_path / f"{name}.py"

    def write(text):
        path.write_text(text)
        importlib.invalidate_caches()

    write("def h(x):\n    return x * x\n")
    imported = importlib.import_module(name)
    imported.write = write
    yield imported
    sys.modules.pop(name, None)


def test_module_attribute_callee_rebound(module):
    namespace = {"mod": module}
    f = function_from_source("def f(x):\n    return 2.0 * mod.h(x)\n", namespace,
                             filename="mod_callee.py")
    old = s2sad.value_and_grad(f)
    assert s2sad.grad(f)(3.0) == 12.0
    module.h = lambda x: x * x * x
    assert s2sad.grad(f)(3.0) == 54.0
    assert s2sad.jvp(f, (3.0,), (1.0,)) == (54.0, 54.0)
    assert s2sad.vjp(f, 3.0)[0] == 54.0 and s2sad.vjp(f, 3.0)[1](1.0) == (54.0,)
    assert s2sad.hvp(f)(3.0, 1.0) == 36.0
    # a derivative obtained before keeps the old function, its value and its gradient
    assert old(3.0) == (18.0, 12.0)


def test_module_reloaded_and_file_edited_without_reload(module):
    namespace = {"mod": module}
    f = function_from_source("def f(x):\n    return 2.0 * mod.h(x)\n", namespace,
                             filename="mod_reload.py")
    assert s2sad.grad(f)(3.0) == 12.0
    module.write("def h(x):\n    return x * x * x * x\n")
    importlib.reload(module)
    assert s2sad.grad(f)(3.0) == 216.0
    assert s2sad.jvp(f, (3.0,), (1.0,)) == (162.0, 216.0)
    # edited again, not reloaded: Python runs x ** 4, the file says something else
    module.write("def h(x):\n    return 10.0 * x\n\n\n")
    assert s2sad.grad(f)(3.0) == 216.0  # built from the running code: still right
    s2sad.clear_cache()
    with pytest.raises(SourceUnavailableError, match="not the code Python is running"):
        s2sad.grad(f)(3.0)
    with pytest.raises(SourceUnavailableError, match="not the code Python is running"):
        s2sad.grad(module.h)(3.0)
    importlib.reload(module)
    assert s2sad.grad(f)(3.0) == 20.0


def test_edited_method_and_function_defined_in_a_try_block(module):
    module.write("import math\ntry:\n    def h(x):\n        return math.sin(x) * x\n"
                 "except ImportError:\n    pass\n\n\nclass Child:\n    def __init__(self):\n"
                 "        self.k = 2.0\n\n    def m(self, x):\n"
                 "        return self.k * x * x\n")
    importlib.reload(module)
    assert s2sad.grad(module.h)(0.5) == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5))
    assert s2sad.grad(module.Child.m, wrt=1)(module.Child(), 3.0) == 12.0
    text = (module.__file__ and open(module.__file__).read())
    module.write(text.replace("math.sin(x) * x", "math.sin(x) * x * x").replace(
        "self.k * x * x", "self.k * x"))
    s2sad.clear_cache()
    for f, args in ((module.h, (0.5,)), (module.Child.m, (module.Child(), 3.0))):
        with pytest.raises(SourceUnavailableError, match="not the code Python is running"):
            s2sad.grad(f, wrt=len(args) - 1)(*args)


def test_running_code_check_accepts_nested_functions_methods_and_lambdas():
    scale = 3.0

    class Model:
        def __init__(self):
            self.w = 2.0

        def loss(self, x):
            return self.w * x * x * scale

    def outer(x):
        inner = lambda y: y * scale  # noqa: E731
        return inner(x) * x

    assert s2sad.grad(Model.loss, wrt=1)(Model(), 1.0) == 12.0
    assert s2sad.grad(outer)(2.0) == 12.0
    assert s2sad.grad(lambda x: x * scale)(1.0) == 3.0


def test_callee_in_a_rebound_closure_cell():
    def make():
        def helper(x):
            return x * x

        def f(x):
            return helper(x) + 1.0

        def rebind():
            nonlocal helper
            helper = lambda x: 3.0 * x  # noqa: E731
        return f, rebind

    f, rebind = make()
    old = s2sad.value_and_grad(f)
    assert s2sad.grad(f)(2.0) == 4.0
    rebind()
    assert s2sad.grad(f)(2.0) == 3.0
    assert s2sad.jvp(f, (2.0,), (1.0,)) == (7.0, 3.0)
    assert old(2.0) == (5.0, 4.0)


class Scaler:
    def m(self, x):
        return x * x


OBJ = Scaler()


def through_global_object(x):
    return OBJ.m(x)


def through_local_object(x):
    o = Scaler()
    return o.m(x)


def test_methods_and_class_attributes_rebound(monkeypatch):
    old_local = s2sad.grad(through_local_object)
    assert s2sad.grad(through_global_object)(2.0) == 4.0
    assert old_local(2.0) == 4.0
    monkeypatch.setattr(Scaler, "m", lambda self, x: 5.0 * x * x * x)
    assert s2sad.grad(through_global_object)(2.0) == 60.0
    assert s2sad.grad(through_local_object)(2.0) == 60.0
    # the method is found when called, by the primal call and its derivative alike
    assert old_local(2.0) == 60.0
    assert s2sad.jvp(through_local_object, (2.0,), (1.0,)) == (40.0, 60.0)
    monkeypatch.setattr(OBJ, "m", lambda x: 7.0 * x, raising=False)
    assert s2sad.grad(through_global_object)(2.0) == 7.0


def test_global_callee_rebound_in_a_callee():
    namespace = {"np": np, "act": np.tanh}
    inner = function_from_source("def inner(x):\n    return act(x)\n", namespace,
                                 filename="inner_callee.py")
    namespace = {"inner": inner}
    f = function_from_source("def f(x):\n    return 2.0 * inner(x)\n", namespace,
                             filename="outer_caller.py")
    assert s2sad.grad(f)(0.5) == 2.0 * (1 - np.tanh(0.5) ** 2)
    inner.__globals__["act"] = np.sin
    assert s2sad.grad(f)(0.5) == 2.0 * np.cos(0.5)
    inner.__defaults__ = None
    inner.__code__ = function_from_source("def inner(x):\n    return act(x) * x\n",
                                          inner.__globals__, filename="inner2.py",
                                          name="inner").__code__
    assert s2sad.grad(f)(0.5) == pytest.approx(2.0 * (np.cos(0.5) * 0.5 + np.sin(0.5)))


def test_callee_defaults_replaced():
    namespace = {}
    h = function_from_source("def h(x, a=2.0):\n    return a * x * x\n", namespace,
                             filename="callee_defaults.py")
    f = function_from_source("def f(x):\n    return h(x) + 0.0\n\n\n"
                             "def g(x):\n    t = (x,)\n    return h(*t) + 0.0\n",
                             {"h": h}, filename="caller_defaults.py", name="f")
    g = f.__globals__["g"]
    old_f, old_g = s2sad.value_and_grad(f), s2sad.value_and_grad(g)
    assert old_f(1.0) == (2.0, 4.0) and old_g(1.0) == (2.0, 4.0)
    h.__defaults__ = (5.0,)
    assert s2sad.value_and_grad(f)(1.0) == (5.0, 10.0)
    assert s2sad.value_and_grad(g)(1.0) == (5.0, 10.0)
    assert s2sad.jvp(f, (1.0,), (1.0,)) == (5.0, 10.0)
    # built before: the value and the gradient of the function as it was
    assert old_f(1.0) == (2.0, 4.0) and old_g(1.0) == (2.0, 4.0)


def test_unpacked_call_of_a_callee_changed_before_its_first_call():
    h = function_from_source("def h(x, a=2.0):\n    return a * x * x\n", {},
                             filename="unpacked_callee.py")
    f = function_from_source("def f(x):\n    t = (x,)\n    return h(*t) + 0.0\n",
                             {"h": h}, filename="unpacked_caller.py")
    old = s2sad.value_and_grad(f)
    h.__defaults__ = (5.0,)
    with pytest.raises(S2sadError, match="changed after the derivative"):
        old(1.0)  # its primal call is h as it was: never paired with h as it is
    assert s2sad.value_and_grad(f)(1.0) == (5.0, 10.0)
    assert s2sad.jvp(f, (1.0,), (1.0,)) == (5.0, 10.0)


def test_recursive_function_whose_global_name_is_rebound():
    namespace = {}
    p = function_from_source(
        "def p(x, n):\n    if n == 0:\n        return 1.0\n    return x * p(x, n - 1)\n",
        namespace, filename="recursive_rebound.py")
    old = s2sad.value_and_grad(p)
    assert old(2.0, 3) == (8.0, 12.0)
    assert s2sad.hvp(p)(2.0, 3, 1.0) == 12.0
    p.__globals__["p"] = lambda x, n: 10.0 * x
    # the recursive call of the primal and of the derivative: both the function as built
    assert old(2.0, 3) == (8.0, 12.0)
    # built now: p(x, n) is x * 10 x
    assert s2sad.value_and_grad(p)(2.0, 3) == (40.0, 40.0)


# -- free values real code assumed real -----------------------------------------------------

def test_scalar_code_reading_a_global_that_turns_complex_or_an_array():
    namespace = {"math": math, "c": 2.0}
    f = function_from_source("def f(x):\n    return abs(c * math.sin(x))\n", namespace,
                             filename="scalar_global.py")
    old = s2sad.grad(f)
    assert old(0.5) == 2.0 * math.cos(0.5)
    f.__globals__["c"] = 2.0j
    assert old(0.5) == pytest.approx(2.0 * math.cos(0.5))
    assert s2sad.grad(f)(0.5) == pytest.approx(2.0 * math.cos(0.5))
    assert s2sad.hvp(f)(0.5, 1.0) == pytest.approx(-2.0 * math.sin(0.5))
    f.__globals__["c"] = 3
    assert s2sad.grad(f)(0.5) == 3.0 * math.cos(0.5)
    f.__globals__["c"] = np.array([1.0, -3.0])
    value, pullback = s2sad.vjp(f, 0.5)
    np.testing.assert_allclose(value, [math.sin(0.5), 3.0 * math.sin(0.5)])
    assert pullback(np.ones(2))[0] == pytest.approx(4.0 * math.cos(0.5))
    np.testing.assert_allclose(s2sad.jvp(f, (0.5,), (1.0,))[1],
                               [math.cos(0.5), 3.0 * math.cos(0.5)])


def test_scalar_code_reading_a_closure_variable_or_module_attribute_that_turns_complex():
    import types

    def make():
        c = 2.0

        def f(x):
            return abs(c * math.sin(x))

        def set_c(value):
            nonlocal c
            c = value
        return f, set_c

    f, set_c = make()
    config = types.ModuleType("config")
    config.c = 2.0
    g = function_from_source("def g(x):\n    return abs(config.c * math.sin(x))\n",
                             {"math": math, "config": config}, filename="attr_global.py")
    old_f, old_g = s2sad.grad(f), s2sad.grad(g)
    assert old_f(0.5) == old_g(0.5) == 2.0 * math.cos(0.5)
    set_c(2.0j)
    config.c = 2.0j
    for df in (old_f, old_g, s2sad.grad(f), s2sad.grad(g)):
        assert df(0.5) == pytest.approx(2.0 * math.cos(0.5))


def test_real_loop_reading_a_global_that_turns_complex():
    namespace = {"np": np, "c": 2.0}
    f = function_from_source(
        "def f(x):\n    s = 0.0\n    for i in range(2):\n"
        "        s = s + np.sum(np.abs(c * x) ** 2)\n    return s\n", namespace,
        filename="real_loop_global.py")
    old = s2sad.grad(f)
    np.testing.assert_allclose(old(X), 4 * 4.0 * X)
    f.__globals__["c"] = 1.0 + 1.0j  # |c|^2 = 2
    np.testing.assert_allclose(old(X), 4 * 2.0 * X)
    np.testing.assert_allclose(s2sad.grad(f)(X), 4 * 2.0 * X)
    np.testing.assert_allclose(s2sad.hvp(f)(X, V), 4 * 2.0 * V)
    f.__globals__["c"] = np.array([1.0, 3.0])
    np.testing.assert_allclose(s2sad.grad(f)(X), 4 * np.array([1.0, 9.0]) * X)


def test_global_array_changing_shape():
    namespace = {"np": np, "W": np.ones(2)}
    f = function_from_source("def f(x):\n    return np.sum(W * x)\n", namespace,
                             filename="global_shape.py")
    np.testing.assert_allclose(s2sad.grad(f)(X), [1.0, 1.0])
    f.__globals__["W"] = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(s2sad.grad(f)(X), [9.0, 12.0])


# -- what the check costs -------------------------------------------------------------------

def test_an_unchanged_function_is_not_transformed_again(module):
    namespace = {"mod": module, "math": math, "c": 2.0}
    f = function_from_source("def f(x, a=1.0):\n    return a * mod.h(x) * c\n", namespace,
                             filename="unchanged.py")
    s2sad.grad(f)(1.0)
    before = pipeline.stats["transformations"]
    for _ in range(3):
        assert s2sad.grad(f)(1.0) == 4.0
    assert pipeline.stats["transformations"] == before


# -- the store itself -------------------------------------------------------------------------

def test_a_closure_made_at_each_call_leaves_nothing_behind():
    import gc
    import weakref

    def outer(a, x, refs):
        def f(x):
            return a * x * x
        refs.append(weakref.ref(f))
        return s2sad.jvp(f, (x,), (1.0,))[1], s2sad.vjp(f, x)[1](1.0)[0]

    gc.collect()
    before = len(pipeline._cache)
    refs = []
    for a in range(30):
        assert outer(float(a), 2.0, refs) == (4.0 * a, 4.0 * a)
    gc.collect()
    assert all(ref() is None for ref in refs)
    assert len(pipeline._cache) == before


@pytest.mark.parametrize("body", ["a * x * x", "np.sum(a * x * x)"])
def test_gradients_of_closures_made_at_each_call_leave_nothing_behind(body):
    import gc
    import weakref

    outer = function_from_source(
        f"def outer(a, x, refs):\n    def f(x):\n        for _ in range(2):\n"
        f"            x = x * 0.5\n        return {body}\n"
        "    refs.append(weakref.ref(f))\n    return s2sad.grad(f)(x)\n",
        {"np": np, "s2sad": s2sad, "weakref": weakref}, filename=f"<closures {body}>")
    gc.collect()
    before = len(pipeline._cache)
    refs = []
    for a in range(10):
        outer(float(a), np.array([2.0, 1.0]) if "sum" in body else 2.0, refs)
    gc.collect()
    assert all(ref() is None for ref in refs)
    assert len(pipeline._cache) == before


def test_the_store_is_bounded_and_an_evicted_entry_is_built_again(monkeypatch):
    monkeypatch.setattr(pipeline._cache, "limit", 5)
    fs = [lambda x, a=a: a * x * x for a in range(1, 21)]
    assert [s2sad.grad(f)(1.0) for f in fs] == [2.0 * a for a in range(1, 21)]
    assert len(pipeline._cache) <= 5
    before = pipeline.stats["transformations"]
    assert s2sad.grad(fs[0])(1.0) == 2.0
    assert pipeline.stats["transformations"] == before + 1
