import numpy as np


def rnn_tangent(xs, W, h, xs_dot, W_dot):
    h_dot = np.zeros_like(h)
    for t in range(xs.shape[0]):
        a_dot = W_dot @ h + W @ h_dot + xs_dot[t]
        h = np.tanh(W @ h + xs[t])
        h_dot = (1 - h**2) * a_dot
    _y = np.sum(h**2)
    _y_dot = np.sum(2 * h * h_dot)
    return _y, _y_dot
