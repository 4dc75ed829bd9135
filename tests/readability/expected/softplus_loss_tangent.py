import numpy as np


def softplus_loss_tangent(w, X, labels, w_dot):
    margins = labels * (X @ w)
    margins_dot = labels * (X @ w_dot)
    e = np.exp(-margins)
    _y = np.mean(np.log1p(e))
    _y_dot = -np.mean(e / (1 + e) * margins_dot)
    return _y, _y_dot
