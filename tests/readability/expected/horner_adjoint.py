import numpy as np


def horner_adjoint(coeffs, x, y_bar=1.0):
    # forward sweep
    y = 0.0
    ys = []
    for c in coeffs:
        ys.append(y)
        y = y * x + c
    # reverse sweep
    coeffs_bar = np.zeros_like(coeffs)
    x_bar = 0.0
    for k in reversed(range(len(coeffs))):
        # y = y * x + c
        y = ys.pop()
        coeffs_bar[k] = y_bar
        x_bar = x_bar + y_bar * y
        y_bar = y_bar * x
    return coeffs_bar, x_bar
