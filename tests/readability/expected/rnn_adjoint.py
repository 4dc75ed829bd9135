import numpy as np


def rnn_adjoint(xs, W, h, y_bar=1.0):
    # forward sweep
    hs = []
    for t in range(xs.shape[0]):
        hs.append(h)
        h = np.tanh(W @ h + xs[t])
    # reverse sweep
    # return np.sum(h**2)
    h_bar = y_bar * 2 * h
    xs_bar = np.zeros_like(xs)
    W_bar = np.zeros_like(W)
    for t in reversed(range(xs.shape[0])):
        # h = np.tanh(W @ h + xs[t])
        a_bar = h_bar * (1 - h**2)
        h = hs.pop()
        xs_bar[t] = a_bar
        W_bar += np.outer(a_bar, h)
        h_bar = W.T @ a_bar
    return xs_bar, W_bar
