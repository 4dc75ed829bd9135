import numpy as np


def masked_mean_tangent(x, threshold, x_dot):
    mask = x > threshold
    vals = np.where(mask, x**2, 0.0)
    vals_dot = np.where(mask, 2 * x * x_dot, 0.0)
    _y = np.sum(vals) / np.sum(mask)
    _y_dot = np.sum(vals_dot) / np.sum(mask)
    return _y, _y_dot
