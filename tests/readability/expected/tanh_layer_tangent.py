import numpy as np


def tanh_layer_tangent(x, W, x_dot, W_dot):
    h = np.tanh(W @ x)
    h_dot = (1 - h**2) * (W_dot @ x + W @ x_dot)
    _y = np.sum(h**2)
    _y_dot = np.sum(2 * h * h_dot)
    return _y, _y_dot
