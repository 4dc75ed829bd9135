import numpy as np


def mds_stress_adjoint(W, D, y_bar=1.0):
    # forward sweep
    diff = W[:, None, :] - W[None, :, :]
    d2 = np.sum(diff**2, axis=-1)
    # reverse sweep
    # return np.sum((d2 - D) ** 2)
    d2_bar = y_bar * 2 * (d2 - D)
    # d2 = np.sum(diff**2, axis=-1)
    diff_bar = 2 * diff * d2_bar[:, :, None]
    # diff = W[:, None, :] - W[None, :, :]
    W_bar = np.sum(diff_bar, axis=1) - np.sum(diff_bar, axis=0)
    return W_bar
