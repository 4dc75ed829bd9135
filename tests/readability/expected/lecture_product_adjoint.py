import math


def lecture_product_adjoint(x1, x2, y_bar=1.0):
    # forward sweep
    v = x1 * x2
    w = math.exp(v) + math.cos(x1)
    # reverse sweep
    # return w * v
    w_bar = y_bar * v
    v_bar = y_bar * w
    # w = math.exp(v) + math.cos(x1)
    v_bar = v_bar + w_bar * math.exp(v)
    x1_bar = -w_bar * math.sin(x1)
    # v = x1 * x2
    x1_bar = x1_bar + v_bar * x2
    x2_bar = v_bar * x1
    return x1_bar, x2_bar
