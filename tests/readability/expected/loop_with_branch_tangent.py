import math


def loop_with_branch_tangent(x, n, x_dot):
    s = 0.0
    s_dot = 0.0
    for i in range(n):
        if x > 1.0:
            s = s + math.sqrt(x) * i
            s_dot = s_dot + x_dot / (2 * math.sqrt(x)) * i
        else:
            s = s + x * x
            s_dot = s_dot + 2 * x * x_dot
        x = 0.9 * x
        x_dot = 0.9 * x_dot
    return s, s_dot
