import numpy as np


def softplus_loss_adjoint(w, X, labels, y_bar=1.0):
    # forward sweep
    margins = labels * (X @ w)
    e = np.exp(-margins)
    # reverse sweep
    # return np.mean(np.log1p(np.exp(-margins)))
    margins_bar = -y_bar / len(margins) * e / (1 + e)
    # margins = labels * (X @ w)
    w_bar = X.T @ (labels * margins_bar)
    return w_bar
