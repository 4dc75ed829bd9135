import math


def lecture_trace_adjoint(x1, x2, _y_bar=1.0):
    # return math.log(x1) + x1 * x2 - math.sin(x2)
    x1_bar = _y_bar / x1 + _y_bar * x2
    x2_bar = _y_bar * x1 - _y_bar * math.cos(x2)
    return x1_bar, x2_bar
