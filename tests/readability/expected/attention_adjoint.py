import numpy as np


def attention_adjoint(Q, K, V, y_bar=1.0):
    # forward sweep
    scale = np.sqrt(Q.shape[1])
    scores = Q @ K.T / scale
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    out = weights @ V
    # reverse sweep
    # return np.sum(out**2)
    out_bar = y_bar * 2 * out
    # out = weights @ V
    weights_bar = out_bar @ V.T
    V_bar = weights.T @ out_bar
    # the softmax of each row: weights = exp(scores) / its row sums
    scores_bar = weights * (weights_bar - np.sum(weights_bar * weights, axis=1, keepdims=True))
    # scores = Q @ K.T / np.sqrt(Q.shape[1])
    Q_bar = scores_bar @ K / scale
    K_bar = scores_bar.T @ Q / scale
    return Q_bar, K_bar, V_bar
