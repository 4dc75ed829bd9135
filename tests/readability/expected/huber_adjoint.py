import numpy as np


def huber_adjoint(x, delta, loss_bar=1.0):
    if abs(x) <= delta:
        # loss = 0.5 * x * x
        x_bar = loss_bar * x
    else:
        # loss = delta * (abs(x) - 0.5 * delta)
        x_bar = loss_bar * delta * np.sign(x)
    return x_bar
