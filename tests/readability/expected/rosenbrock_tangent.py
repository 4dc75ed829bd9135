import numpy as np


def rosenbrock_tangent(x, x_dot):
    a = x[1:] - x[:-1] ** 2
    a_dot = x_dot[1:] - 2 * x[:-1] * x_dot[:-1]
    b = 1.0 - x[:-1]
    _y = np.sum(100.0 * a**2 + b**2)
    _y_dot = np.sum(200.0 * a * a_dot - 2 * b * x_dot[:-1])
    return _y, _y_dot
