import numpy as np


def inplace_recurrence_adjoint(x, out_bar=1.0):
    # forward sweep
    y = np.zeros_like(x)
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = 0.5 * y[i - 1] + np.sin(x[i])
    # reverse sweep
    # return np.sum(y * y)
    y_bar = out_bar * 2 * y
    x_bar = np.zeros_like(x)
    for i in reversed(range(1, x.shape[0])):
        # y[i] = 0.5 * y[i - 1] + np.sin(x[i])
        x_bar[i] = y_bar[i] * np.cos(x[i])
        y_bar[i - 1] += 0.5 * y_bar[i]
    # y[0] = x[0]
    x_bar[0] = y_bar[0]
    return x_bar
