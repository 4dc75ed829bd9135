import numpy as np


def layer_norm_adjoint(x, gamma, beta, target, y_bar=1.0):
    # forward sweep
    mu = np.mean(x)
    xc = x - mu
    var = np.mean(xc**2)
    std = np.sqrt(var + 1e-5)
    xhat = xc / std
    out = gamma * xhat + beta
    # reverse sweep
    # return np.sum((out - target) ** 2)
    out_bar = y_bar * 2 * (out - target)
    # out = gamma * xhat + beta
    gamma_bar = out_bar * xhat
    beta_bar = out_bar
    xhat_bar = out_bar * gamma
    # xhat = xc / np.sqrt(var + 1e-5)
    xc_bar = xhat_bar / std
    std_bar = -np.sum(xhat_bar * xhat) / std
    var_bar = std_bar / (2 * std)
    # var = np.mean(xc**2)
    xc_bar = xc_bar + var_bar * 2 * xc / len(x)
    # xc = x - mu; mu = np.mean(x)
    x_bar = xc_bar - np.mean(xc_bar)
    return x_bar, gamma_bar, beta_bar
