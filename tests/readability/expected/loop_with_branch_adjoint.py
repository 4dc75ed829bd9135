import math


def loop_with_branch_adjoint(x, n, s_bar=1.0):
    # forward sweep: only the values of x are needed
    xs = []
    for _ in range(n):
        xs.append(x)
        x = 0.9 * x
    # reverse sweep
    x_bar = 0.0
    for i in reversed(range(n)):
        # x = 0.9 * x
        x = xs.pop()
        x_bar = 0.9 * x_bar
        if x > 1.0:
            # s = s + math.sqrt(x) * i
            x_bar = x_bar + s_bar * i / (2 * math.sqrt(x))
        else:
            # s = s + x * x
            x_bar = x_bar + s_bar * 2 * x
    return x_bar
