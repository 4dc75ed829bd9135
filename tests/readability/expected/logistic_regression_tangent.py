import numpy as np


def logistic_regression_tangent(w, X, labels, w_dot):
    logits = X @ w
    logits_dot = X @ w_dot
    p = 1.0 / (1.0 + np.exp(-logits))
    p_dot = p * (1 - p) * logits_dot
    eps = 1e-12
    loss = -np.mean(labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps))
    loss_dot = -np.mean(labels * p_dot / (p + eps) - (1 - labels) * p_dot / (1 - p + eps))
    return loss, loss_dot
