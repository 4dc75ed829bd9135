import numpy as np


def euler_ode_tangent(y0, k, dt, n, y0_dot, k_dot):
    y = y0
    y_dot = y0_dot
    for _ in range(n):
        y_dot = y_dot + dt * ((np.cos(y) - k) * y_dot - k_dot * y)
        y = y + dt * (np.sin(y) - k * y)
    _y = np.sum(y**2)
    _y_dot = np.sum(2 * y * y_dot)
    return _y, _y_dot
