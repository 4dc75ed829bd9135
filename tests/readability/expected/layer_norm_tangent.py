import numpy as np


def layer_norm_tangent(x, gamma, beta, target, x_dot, gamma_dot, beta_dot):
    mu = np.mean(x)
    mu_dot = np.mean(x_dot)
    xc = x - mu
    xc_dot = x_dot - mu_dot
    var = np.mean(xc**2)
    var_dot = np.mean(2 * xc * xc_dot)
    std = np.sqrt(var + 1e-5)
    std_dot = var_dot / (2 * std)
    xhat = xc / std
    xhat_dot = (xc_dot - xhat * std_dot) / std
    out = gamma * xhat + beta
    out_dot = gamma_dot * xhat + gamma * xhat_dot + beta_dot
    _y = np.sum((out - target) ** 2)
    _y_dot = np.sum(2 * (out - target) * out_dot)
    return _y, _y_dot
