import numpy as np


def inplace_recurrence_tangent(x, x_dot):
    y = np.zeros_like(x)
    y_dot = np.zeros_like(x)
    y[0] = x[0]
    y_dot[0] = x_dot[0]
    for i in range(1, x.shape[0]):
        y[i] = 0.5 * y[i - 1] + np.sin(x[i])
        y_dot[i] = 0.5 * y_dot[i - 1] + np.cos(x[i]) * x_dot[i]
    _y = np.sum(y * y)
    _y_dot = np.sum(2 * y * y_dot)
    return _y, _y_dot
