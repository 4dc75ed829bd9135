import numpy as np


def huber_tangent(x, delta, x_dot):
    if abs(x) <= delta:
        loss = 0.5 * x * x
        loss_dot = x * x_dot
    else:
        loss = delta * (abs(x) - 0.5 * delta)
        loss_dot = delta * np.sign(x) * x_dot
    return loss, loss_dot
