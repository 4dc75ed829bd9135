def newton_sqrt_adjoint(a, tol, x_bar=1.0):
    # forward sweep
    x = a
    xs = []
    while abs(x * x - a) > tol:
        xs.append(x)
        x = 0.5 * (x + a / x)
    # reverse sweep
    a_bar = 0.0
    for x in reversed(xs):
        # x = 0.5 * (x + a / x)
        a_bar = a_bar + 0.5 * x_bar / x
        x_bar = 0.5 * x_bar * (1 - a / x**2)
    # x = a
    a_bar = a_bar + x_bar
    return a_bar
