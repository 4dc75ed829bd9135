"""Straight-line functions every mode must differentiate correctly."""

import math

import numpy
import numpy as np
from numpy import sin as s


def scalar_trace(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def lecture_loss(w1, w2):
    return w2 * math.log(w1) + math.sqrt(w2 * math.log(w1))


def overwrite(x):
    x = math.sin(x)
    x = x * x
    x += 1.0
    return x


def aliases(x):
    a = np.sin(x)
    b = numpy.cos(x)
    return np.sum(a * s(b))


def mlp_like(x, W, b):
    h = np.tanh(W @ x + b)
    return np.sum(h**2)


def broadcasting(a, b):
    return np.sum(a / b + a ** b[0] - b * 2.0)


def reductions(x):
    m = x.mean(axis=0, keepdims=True)
    return np.sum((x - m) ** 2) + x.max() + np.prod(x.min(axis=1))


def indexing(x, idx):
    y = x[1:, None] * x[idx]
    return np.sum(y) + x[0] * x[-1]


def keywords(x, scale=2.0):
    return np.sum(np.clip(x, a_min=-0.5, a_max=0.5) * scale)


def tuples(x, y):
    a, b = y * 2.0, x
    c, d = np.sin(a), np.cos(b)
    return np.sum(c) * np.sum(d)


def tuple_output(x):
    return x * 2.0, np.sin(x)


def methods(x):
    t = x.T.reshape(-1)
    return t.dot(t) + x.sum() * x.ravel()[0]


def unused_inputs(x, y):
    z = y * 3.0  # noqa: F841 (an inactive, unused value)
    return np.sum(x * 2.0)


def integer_input(x, n):
    k = n + 1
    return np.sum(x**k)


def overwritten_output(x):
    y = np.sin(x)
    y = np.sin(y)
    return y


def augmented(x, w):
    h = x * w
    h += np.cos(x)
    h *= w
    return np.sum(h)


def remainder(x, period):
    return np.sum(np.sin(x % period) + np.remainder(x, 0.7))


def chained_comparison(x):
    inside = 0.0 < x[0] < 1.0
    return np.sum(x * x) * 2.0 + inside


def closure_default():
    base = np.array([1.0, -2.0, 0.5])

    def f(x, w=base, *, scale=3.0):
        return np.sum(x * w) * scale

    return f


def same_names_as_templates(x):
    unbroadcast = x * 2.0  # a local named like a runtime helper
    math = np.tanh(unbroadcast)  # and one named like a module the rules use
    return np.sum(math * x)


def shadowed_np():
    np_ = np
    np_sum = np.sum

    def outer():
        np = 3.0  # a closure variable spelled like the module rules use  # noqa: F811

        def f(x):
            return np_sum(np_.sin(x)) * np

        return f

    return outer()


ROTATION = 1.0 + 2.0j  # a complex global read by code that is otherwise real scalar arithmetic


def complex_global(x):
    y = x * ROTATION
    return abs(y) + math.sin(x)


CORPUS = [
    (scalar_trace, (2.0, 5.0)),
    (lecture_loss, (2.0, 3.0)),
    (overwrite, (0.3,)),
    (aliases, (np.linspace(0.1, 1.0, 5),)),
    (mlp_like, (np.linspace(-1, 1, 4), np.linspace(-0.5, 0.5, 12).reshape(3, 4), np.ones(3))),
    (broadcasting, (np.linspace(0.5, 1.5, 6).reshape(2, 3), np.array([1.5, 2.0, 2.5]))),
    (reductions, (np.array([[0.3, 1.2, -0.5], [2.0, -1.1, 0.7]]),)),
    (indexing, (np.linspace(0.5, 2.0, 4), np.array([0, 2, 2]))),
    (keywords, (np.linspace(-0.9, 0.8, 5),)),
    (tuples, (np.linspace(0.1, 1, 3), np.linspace(1, 2, 3))),
    (tuple_output, (np.linspace(0.1, 1, 3),)),
    (methods, (np.linspace(-1, 1, 6).reshape(2, 3),)),
    (unused_inputs, (np.ones(3), np.ones(3))),
    (integer_input, (np.linspace(0.5, 1.5, 3), 2)),
    (overwritten_output, (np.linspace(0.1, 1.0, 3),)),
    (augmented, (np.linspace(0.1, 1.0, 3), np.linspace(-1.0, 1.0, 3))),
    (remainder, (np.array([0.3, 1.3, 2.6]), 1.1)),
    (chained_comparison, (np.array([0.5, 2.0]),)),
    (closure_default(), (np.array([0.2, 0.4, 0.6]),)),
    (same_names_as_templates, (np.array([0.2, -0.4, 0.6]),)),
    (shadowed_np(), (np.array([0.2, -0.4, 0.6]),)),
    (complex_global, (0.7,)),
]
