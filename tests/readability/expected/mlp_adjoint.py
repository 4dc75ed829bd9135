import numpy as np


def mlp_adjoint(x, W1, b1, W2, b2, y_bar=1.0):
    # forward sweep
    h = np.tanh(W1 @ x + b1)
    out = W2 @ h + b2
    # reverse sweep
    # return 0.5 * np.sum(out**2)
    out_bar = y_bar * out
    # out = W2 @ h + b2
    W2_bar = np.outer(out_bar, h)
    b2_bar = out_bar
    h_bar = W2.T @ out_bar
    # h = np.tanh(W1 @ x + b1)
    a_bar = h_bar * (1 - h**2)
    W1_bar = np.outer(a_bar, x)
    b1_bar = a_bar
    return W1_bar, b1_bar, W2_bar, b2_bar
