import math


def lecture_trace_tangent(x1, x2, x1_dot, x2_dot):
    _y = math.log(x1) + x1 * x2 - math.sin(x2)
    _y_dot = x1_dot / x1 + x1_dot * x2 + x1 * x2_dot - math.cos(x2) * x2_dot
    return _y, _y_dot
