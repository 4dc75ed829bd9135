import numpy as np


def euler_ode_adjoint(y0, k, dt, n, out_bar=1.0):
    # forward sweep
    y = y0
    ys = []
    for _ in range(n):
        ys.append(y)
        y = y + dt * (np.sin(y) - k * y)
    # reverse sweep
    # return np.sum(y**2)
    y_bar = out_bar * 2 * y
    k_bar = 0.0
    for y in reversed(ys):
        # y = y + dt * (np.sin(y) - k * y)
        k_bar = k_bar - dt * np.sum(y_bar * y)
        y_bar = y_bar + dt * (np.cos(y) - k) * y_bar
    # y = y0
    y0_bar = y_bar
    return y0_bar, k_bar
