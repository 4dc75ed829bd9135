import numpy as np


def gp_likelihood_adjoint(log_ell, X, y, out_bar=1.0):
    # forward sweep
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    ell2 = np.exp(2 * log_ell)
    E = np.exp(-0.5 * d2 / ell2)
    K = E + 1e-6 * np.eye(X.shape[0])
    alpha = np.linalg.solve(K, y)
    # reverse sweep
    # return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))), that is 0.5 y K^-1 y + 0.5 log det K
    K_bar = 0.5 * out_bar * (np.linalg.inv(K) - np.outer(alpha, alpha))
    # K = np.exp(-0.5 * d2 / np.exp(2 * log_ell)) + 1e-6 * np.eye(X.shape[0])
    log_ell_bar = np.sum(K_bar * E * d2) / ell2
    return log_ell_bar
