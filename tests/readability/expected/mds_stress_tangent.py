import numpy as np


def mds_stress_tangent(W, D, W_dot):
    diff = W[:, None, :] - W[None, :, :]
    diff_dot = W_dot[:, None, :] - W_dot[None, :, :]
    d2 = np.sum(diff**2, axis=-1)
    d2_dot = np.sum(2 * diff * diff_dot, axis=-1)
    _y = np.sum((d2 - D) ** 2)
    _y_dot = np.sum(2 * (d2 - D) * d2_dot)
    return _y, _y_dot
