import numpy as np


def attention_tangent(Q, K, V, Q_dot, K_dot, V_dot):
    scale = np.sqrt(Q.shape[1])
    scores = Q @ K.T / scale
    scores_dot = (Q_dot @ K.T + Q @ K_dot.T) / scale
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    weights_dot = weights * (scores_dot - np.sum(weights * scores_dot, axis=1, keepdims=True))
    out = weights @ V
    out_dot = weights_dot @ V + weights @ V_dot
    _y = np.sum(out**2)
    _y_dot = np.sum(2 * out * out_dot)
    return _y, _y_dot
