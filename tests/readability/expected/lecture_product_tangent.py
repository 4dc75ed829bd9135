import math


def lecture_product_tangent(x1, x2, x1_dot, x2_dot):
    v = x1 * x2
    v_dot = x1_dot * x2 + x1 * x2_dot
    w = math.exp(v) + math.cos(x1)
    w_dot = math.exp(v) * v_dot - math.sin(x1) * x1_dot
    _y = w * v
    _y_dot = w_dot * v + w * v_dot
    return _y, _y_dot
