"""s2sad.trace: the lecture's primal, tangent and adjoint traces, their rows and their
numbers, checked against closed forms and central differences."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError, UnsupportedSyntaxError
from s2sad.lecture import trace
from s2sad.testing.source import function_from_source


def f(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def lecture_loss(w1, w2):
    return w2 * math.log(w1) + math.sqrt(w2 * math.log(w1))


def central(function, args, direction, h=1e-6):
    plus = [a + h * d for a, d in zip(args, direction)]
    minus = [a - h * d for a, d in zip(args, direction)]
    return (function(*plus) - function(*minus)) / (2 * h)


def gradient_by_differences(function, args):
    units = np.eye(len(args))
    return [central(function, args, unit) for unit in units]


def test_the_lecture_exercise_numbers():
    t = trace(f, 2, 5, seed=(1, 0))
    assert f"{t.value:.6f}" == "11.652071"
    assert t.derivative == pytest.approx(5.5, abs=1e-15)
    assert [f"{g:.6f}" for g in t.gradient] == ["5.500000", "1.716338"]
    assert t.gradient == pytest.approx((1 / 2 + 5, 2 - math.cos(5)), rel=1e-15)


def test_the_lecture_exercise_rows():
    t = trace(f, 2.0, 5.0)
    assert [r.text for r in t.of("primal")] == [
        "v_{-1} = x1", "v_0 = x2", "v_1 = ln(v_{-1})", "v_2 = v_{-1} * v_0",
        "v_3 = v_1 + v_2", "v_4 = sin(v_0)", "v_5 = v_3 - v_4", "y = v_5"]
    tangent = [r.text for r in t.of("tangent")]
    assert tangent[3] == "v̇_2 = v̇_{-1} * v_0 + v_{-1} * v̇_0"
    assert tangent[4] == "v̇_3 = v̇_1 + v̇_2"
    adjoint = t.of("adjoint")
    # from the output back to the inputs, a variable used twice as a sum
    assert [r.name for r in adjoint[:7]] == ["v̄_5", "v̄_4", "v̄_3", "v̄_2", "v̄_1", "v̄_0",
                                              "v̄_{-1}"]
    assert adjoint[1].text == "v̄_4 = v̄_5 * (-1)"
    assert adjoint[4].text == "v̄_1 = v̄_3 * 1"
    assert adjoint[5].text == "v̄_0 = v̄_2 * v_{-1} + v̄_4 * cos(v_0)"
    assert adjoint[5].value == pytest.approx(2 - math.cos(5), rel=1e-15)
    assert adjoint[6].text == "v̄_{-1} = v̄_1 / v_{-1} + v̄_2 * v_0"


def test_every_row_value_is_what_its_operation_gives():
    t = trace(f, 2.0, 5.0)
    values = {r.name: r.value for r in t.of("primal")}
    assert values["v_1"] == math.log(2.0) and values["v_4"] == math.sin(5.0)
    assert values["v_5"] == f(2.0, 5.0)


def test_the_second_exercise_against_differences_and_s2sad():
    args = (2.0, 3.0)
    t = trace(lecture_loss, *args, seed=(0.3, -0.7))
    expected = gradient_by_differences(lecture_loss, args)
    assert t.gradient == pytest.approx(expected, rel=1e-8)
    assert t.derivative == pytest.approx(central(lecture_loss, args, (0.3, -0.7)), rel=1e-8)
    assert t.gradient == pytest.approx(s2sad.grad(lecture_loss, wrt=(0, 1))(*args), rel=1e-14)
    _, y_dot = s2sad.jvp(lecture_loss, args, (0.3, -0.7))
    assert t.derivative == pytest.approx(y_dot, rel=1e-14)
    # closed form: d/dw2 = ln w1 + ln w1 / (2 sqrt(w2 ln w1))
    u = math.log(2.0)
    assert t.gradient[1] == pytest.approx(u + u / (2 * math.sqrt(3 * u)), rel=1e-15)


SCALAR_FUNCTIONS = {
    "powers": "def g(x, y):\n    return x ** 3 + x ** y - y ** 2.5\n",
    "division": "def g(x, y):\n    return (x - y) / (x * y) + 2 / x\n",
    "math": ("import math\ndef g(x, y):\n    return math.exp(x) * math.tan(y) + math.cosh(x) "
             "- math.atan(y) + math.log10(x) + math.expm1(y) - math.asin(y / 4)\n"),
    "numpy": ("import numpy as np\ndef g(x, y):\n    return np.tanh(x * y) + np.sqrt(x) "
              "* np.arccos(y / 5) + np.abs(-x) + np.square(y) + np.log1p(x) + np.sinh(y)\n"),
    "negation": "def g(x, y):\n    z = -x\n    z += y * z\n    return -z\n",
    "branches": ("def g(x, y):\n    if x > y:\n        return x * x\n"
                 "    z = x if x < 0 else y\n    return z * y\n"),
    "loops": ("def g(x, y):\n    s = 0.0\n    for i in range(3):\n        s = s * x + y\n"
              "        if i == 1:\n            continue\n        s = s / 2\n    return s\n"),
    "calls": ("import math\ndef sigmoid(z):\n    return 1 / (1 + math.exp(-z))\n"
              "def g(x, y):\n    h = sigmoid(x * y)\n    return sigmoid(h + x) * y\n"),
    "constants": ("import math\nK = 3\ndef g(x, y):\n    n = 2 ** K - 6\n"
                  "    for i in range(n):\n        x = x * y + math.log(K) + 0.0 ** y - math.pi\n"
                  "    return x + int(y) + float(x) ** 2\n"),
    "extrema": ("def g(x, y):\n    r = max(x - 1.5, 0.0) + min(x, y) * max(y, x)\n"
                "    return r + max(y * y, 2.0) - min(3.0, x)\n"),
    "while": ("def g(x, y):\n    n = 0\n    while x < 10:\n        x = x * y\n        n += 1\n"
              "        if n > 5:\n            break\n    return x\n"),
}


@pytest.mark.parametrize("name", sorted(SCALAR_FUNCTIONS))
@pytest.mark.parametrize("point", [(1.3, 1.7), (0.6, 2.2)])
def test_traces_agree_with_differences_jvp_and_grad(name, point):
    g = function_from_source(SCALAR_FUNCTIONS[name], filename=f"{name}.py", name="g")
    seed = (0.8, -0.4)
    t = trace(g, *point, seed=seed)
    assert t.value == g(*point)
    assert t.gradient == pytest.approx(gradient_by_differences(g, point), rel=1e-6, abs=1e-8)
    assert t.derivative == pytest.approx(central(g, point, seed), rel=1e-6, abs=1e-8)
    assert t.gradient == pytest.approx(s2sad.grad(g, wrt=(0, 1))(*point), rel=1e-12)
    assert t.derivative == pytest.approx(s2sad.jvp(g, point, seed)[1], rel=1e-12, abs=1e-14)
    # the dot-product identity between the tangent and the adjoint traces
    assert t.derivative == pytest.approx(float(np.dot(t.gradient, seed)), rel=1e-12,
                                         abs=1e-14)


def test_loops_are_unrolled_with_the_iteration_named():
    g = function_from_source(SCALAR_FUNCTIONS["loops"], filename="loops.py", name="g")
    t = trace(g, 1.3, 1.7)
    iterations = [r.iteration for r in t.of("primal") if r.iteration]
    assert iterations[0] == "i = 0" and iterations[-1] == "i = 2"
    assert {r.line for r in t.of("primal") if r.iteration} == {4, 7}
    w = function_from_source(SCALAR_FUNCTIONS["while"], filename="while.py", name="g")
    assert [r.iteration for r in trace(w, 2.0, 1.5).of("primal")][2:4] == [
        "while pass 1", "while pass 2"]


def test_parameters_held_constant():
    g = function_from_source("def g(x, n):\n    for i in range(n):\n        x = x * x\n"
                             "    return x\n", filename="held.py")
    t = trace(g, 1.1, 3, wrt="x")
    assert t.title() == "g(x=1.1, n=3)"
    assert t.gradient == pytest.approx((8 * 1.1 ** 7,), rel=1e-14)
    assert len(t.of("primal")) == 1 + 3 + 1


def test_modes_choose_the_traces():
    assert {r.trace for r in trace(f, 2, 5, mode="forward").rows} == {"primal", "tangent"}
    assert {r.trace for r in trace(f, 2, 5, mode="reverse").rows} == {"primal", "adjoint"}
    with pytest.raises(ValueError, match="mode must be"):
        trace(f, 2, 5, mode="sideways")


def test_renderings():
    t = trace(f, 2, 5)
    text = str(t)
    assert text.startswith("f(x1=2, x2=5)\nprimal trace\n")
    assert "v̄_0    = v̄_2 * v_{-1} + v̄_4 * cos(v_0) =        1.716338" in text
    markdown = t.to_markdown()
    assert "| `v_2 = v_{-1} * v_0` | 10.000000 | line 16 |" in markdown
    latex = t.to_latex()
    assert r"\bar{v}_{0} &= \bar{v}_{2} \cdot v_{-1} + \bar{v}_{4} \cdot \cos(v_{0}) " \
           r"&= 1.716338 \\" in latex
    assert r"\dot{y} &= \dot{v}_{5} &= 5.500000 \\" in latex


def test_refusals_name_the_users_line():
    g = function_from_source("import numpy as np\ndef g(x):\n    y = x * 2\n"
                             "    return np.hypot(y, 1.0)\n", filename="user_code.py")
    with pytest.raises(UnsupportedSyntaxError) as caught:
        trace(g, 1.0)
    assert str(caught.value).startswith("user_code.py:4:11: a trace cannot follow a call of "
                                        "hypot")
    with pytest.raises(S2sadError, match="argument x of g is ndarray, not a real number"):
        trace(g, np.ones(3))
    h = function_from_source("def h(x, xs):\n    return xs[0] * x\n", filename="items.py")
    with pytest.raises(UnsupportedSyntaxError,
                       match="items.py:2:11: a trace cannot follow indexing"):
        trace(h, 1.0, 2.0)
    k = function_from_source("import math\ndef k(x):\n    return math.sqrt(x)\n",
                             filename="root.py")
    with pytest.raises(UnsupportedSyntaxError, match="root.py:3:11: sqrt has no finite "
                                                     "derivative at 0"):
        trace(k, 0.0)
    with pytest.raises(S2sadError, match="the seed has 1 components for 2 inputs"):
        trace(f, 2, 5, seed=(1,))


def test_calls_of_the_users_functions_are_followed():
    g = function_from_source(SCALAR_FUNCTIONS["calls"], filename="calls.py", name="g")
    rows = trace(g, 0.5, 1.5).of("primal")
    assert [r.iteration for r in rows[3:7]] == ["in sigmoid"] * 4
    assert [r.text for r in rows[3:7]] == ["v_2 = -v_1", "v_3 = exp(v_2)", "v_4 = 1 + v_3",
                                           "v_5 = 1 / v_4"]
    assert rows[3].line == 3


def test_a_loop_without_end_is_refused():
    g = function_from_source("def g(x):\n    while True:\n        pass\n    return x\n",
                             filename="forever.py")
    with pytest.raises(UnsupportedSyntaxError, match="forever.py:2:4: .* more than 10000"):
        trace(g, 1.0)
    r = function_from_source("def r(x):\n    return r(x)\n", filename="deep.py")
    with pytest.raises(UnsupportedSyntaxError, match="deep.py:2:11: .*nested more than 50"):
        trace(r, 1.0)


def test_a_parameter_named_y_leaves_the_output_another_name():
    g = function_from_source("def g(x, y):\n    return x * y\n", filename="named.py")
    t = trace(g, 2.0, 3.0)
    texts = [r.text for r in t.rows]
    assert "v̇_0 = ẏ" in texts and "ȳ = v̄_0" in texts  # the parameter y's
    assert "ȯut = v̇_1" in texts
    assert t.of("primal")[-1].text == "out = v_1"
    assert t.of("adjoint")[0].text == "v̄_1 = \u014dut"
    assert t.gradient == (3.0, 2.0)


def test_long_rows_do_not_push_the_values_right():
    g = function_from_source("def g(x):\n    return x * x + x * x + x * x + x * x + x * x\n",
                             filename="long.py")
    lines = str(trace(g, 1.0, mode="reverse")).splitlines()
    short = [line for line in lines if line.startswith("  v̄_9 ")][0]
    assert short.index("=", 8) < 60


def test_range_of_a_float_raises_as_the_function_does():
    g = function_from_source("def g(x, n):\n    for i in range(n):\n        x = x * x\n"
                             "    return x\n", filename="floats.py")
    with pytest.raises(TypeError):
        g(1.0, 2.0)
    with pytest.raises(UnsupportedSyntaxError, match="floats.py:2:13: the function raises "
                                                     "here: 'float' object"):
        trace(g, 1.0, 2.0)
    assert trace(g, 1.5, 2).gradient == pytest.approx((4 * 1.5 ** 3, 0.0))


def test_max_and_min_take_the_first_argument_on_a_tie():
    g = function_from_source("def g(x, y):\n    return max(x, y) + 2 * min(x, y)\n",
                             filename="ties.py")
    t = trace(g, 1.0, 1.0)
    assert t.gradient == s2sad.grad(g, wrt=(0, 1))(1.0, 1.0) == (3.0, 0.0)
    assert t.of("primal")[2].text == "v_1 = max(v_{-1}, v_0)"
    assert t.of("tangent")[2].text == "v̇_1 = [v_{-1} >= v_0] * v̇_{-1} + [v_0 > v_{-1}] * v̇_0"
    with pytest.raises(UnsupportedSyntaxError, match="listed.py:2:15: .* follow a list"):
        trace(function_from_source("def h(x):\n    return max([x, 1.0])\n",
                                   filename="listed.py"), 2.0)


def test_a_function_returning_nothing_is_refused():
    g = function_from_source("def g(x):\n    y = x * 2\n", filename="silent.py")
    with pytest.raises(UnsupportedSyntaxError, match="silent.py:1:0: g returns nothing"):
        trace(g, 1.0)
