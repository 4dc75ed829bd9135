import numpy as np


def logistic_regression_adjoint(w, X, labels, loss_bar=1.0):
    # forward sweep
    logits = X @ w
    p = 1.0 / (1.0 + np.exp(-logits))
    eps = 1e-12
    # reverse sweep
    # loss = -np.mean(labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps))
    p_bar = -loss_bar / len(labels) * (labels / (p + eps) - (1 - labels) / (1 - p + eps))
    # p = 1.0 / (1.0 + np.exp(-logits))
    logits_bar = p_bar * p * (1 - p)
    # logits = X @ w
    w_bar = X.T @ logits_bar
    return w_bar
