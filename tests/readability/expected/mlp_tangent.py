import numpy as np


def mlp_tangent(x, W1, b1, W2, b2, W1_dot, b1_dot, W2_dot, b2_dot):
    h = np.tanh(W1 @ x + b1)
    h_dot = (1 - h**2) * (W1_dot @ x + b1_dot)
    out = W2 @ h + b2
    out_dot = W2_dot @ h + W2 @ h_dot + b2_dot
    _y = 0.5 * np.sum(out**2)
    _y_dot = np.sum(out * out_dot)
    return _y, _y_dot
