import numpy as np


def softmax_cross_entropy_tangent(W, x, label, W_dot):
    z = W @ x
    z_dot = W_dot @ x
    z = z - np.max(z)  # p does not change with the shift: z_dot stays as it is
    p = np.exp(z) / np.sum(np.exp(z))
    p_dot = p * (z_dot - np.sum(p * z_dot))
    _y = -np.log(p[label])
    _y_dot = -p_dot[label] / p[label]
    return _y, _y_dot
