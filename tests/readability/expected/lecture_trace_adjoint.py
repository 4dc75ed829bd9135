import math


def lecture_trace_adjoint(x1, x2, y_bar=1.0):
    # return math.log(x1) + x1 * x2 - math.sin(x2)
    x1_bar = y_bar / x1 + y_bar * x2
    x2_bar = y_bar * x1 - y_bar * math.cos(x2)
    return x1_bar, x2_bar
