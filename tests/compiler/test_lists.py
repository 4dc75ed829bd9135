"""List comprehensions read back by index, and Python's sum, min, max and float (lists
built with append: tests/compiler/corpus_containers.py)."""

import math

import numpy as np

from s2sad.testing import check_grads


def comprehensions(xs, w):
    ys = [np.sin(v) * w for v in xs if v.sum() > 0]
    zs = [ys[i] * ys[i + 1] for i in range(len(ys) - 1)]
    return sum([np.sum(z) for z in zs]) + np.sum(np.array(ys))


def builtins_on_floats(a, b, c):
    return max(a, b * 2.0, c) * min([a, b, c]) + float(a) + sum((a, b), c)


def test_list_comprehensions_with_filters_and_python_sum():
    rng = np.random.default_rng(1)
    check_grads(comprehensions, ([np.abs(rng.normal(size=2)) for _ in range(4)], 0.7))


def test_python_min_max_sum_float():
    check_grads(builtins_on_floats, (0.3, 1.7, -0.4))
    check_grads(builtins_on_floats, (2.5, 0.2, 0.9))
    check_grads(lambda a, b: math.sqrt(max([a, b])), (0.3, 1.2))


def enumerate_zip(xs, ys, w):
    s = 0.0
    for i, (a, b) in enumerate(zip(xs, ys), 1):
        s = s + np.sum(a * b) * w**i
    for k, pair in enumerate(zip(xs, ys)):
        s = s + np.sum(pair[0] - pair[1]) * k
    return s


def test_enumerate_over_zip():
    xs = [np.array([0.3, 0.5]), np.array([1.0, -0.2]), np.array([0.7, 0.1])]
    ys = [np.array([1.3, 0.5]), np.array([0.2, -0.6])]
    check_grads(enumerate_zip, (xs, ys, 0.8))


def generator_sums(xs, w):
    return sum(np.sum(np.sin(v) * w) for v in xs if v[0] > 0) + max(v[1] * w for v in xs)


def test_generator_expressions_given_to_calls():
    xs = [np.array([0.3, 0.5]), np.array([-1.0, 0.2]), np.array([0.7, 0.9])]
    check_grads(generator_sums, (xs, 0.8))
