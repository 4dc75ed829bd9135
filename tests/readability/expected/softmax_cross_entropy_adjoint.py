import numpy as np


def softmax_cross_entropy_adjoint(W, x, label, y_bar=1.0):
    # forward sweep
    z = W @ x
    z = z - np.max(z)
    p = np.exp(z) / np.sum(np.exp(z))
    # reverse sweep: the adjoint of -log softmax(z)[label] is p - e_label; it sums to
    # zero, so nothing flows through the shift by np.max(z)
    z_bar = y_bar * p
    z_bar[label] -= y_bar
    # z = W @ x
    W_bar = np.outer(z_bar, x)
    return W_bar
