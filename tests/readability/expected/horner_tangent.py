def horner_tangent(coeffs, x, coeffs_dot, x_dot):
    y = 0.0
    y_dot = 0.0
    for c, c_dot in zip(coeffs, coeffs_dot):
        y_dot = y_dot * x + y * x_dot + c_dot
        y = y * x + c
    return y, y_dot
