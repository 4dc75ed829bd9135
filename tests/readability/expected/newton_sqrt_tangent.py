def newton_sqrt_tangent(a, tol, a_dot):
    x = a
    x_dot = a_dot
    while abs(x * x - a) > tol:
        x_dot = 0.5 * (x_dot + a_dot / x - a * x_dot / x**2)
        x = 0.5 * (x + a / x)
    return x, x_dot
