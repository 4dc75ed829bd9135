import numpy as np


def gp_likelihood_tangent(log_ell, X, y, log_ell_dot):
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    ell2 = np.exp(2 * log_ell)
    E = np.exp(-0.5 * d2 / ell2)
    K = E + 1e-6 * np.eye(X.shape[0])
    K_dot = E * d2 / ell2 * log_ell_dot
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(K, y)
    alpha_dot = -np.linalg.solve(K, K_dot @ alpha)
    _y = 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))
    _y_dot = 0.5 * y @ alpha_dot + 0.5 * np.trace(np.linalg.solve(K, K_dot))
    return _y, _y_dot
