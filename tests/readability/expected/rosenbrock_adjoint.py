import numpy as np


def rosenbrock_adjoint(x, y_bar=1.0):
    # forward sweep
    a = x[1:] - x[:-1] ** 2
    b = 1.0 - x[:-1]
    # reverse sweep
    # return np.sum(100.0 * a**2 + b**2)
    a_bar = y_bar * 200.0 * a
    b_bar = y_bar * 2 * b
    x_bar = np.zeros_like(x)
    x_bar[1:] += a_bar
    x_bar[:-1] += -2 * x[:-1] * a_bar - b_bar
    return x_bar
