"""s2sad's derivatives in SciPy's optimizers: the Rosenbrock function in 10 dimensions.

The function is written here in plain NumPy. ``s2sad.grad(rosenbrock)`` is passed to
``scipy.optimize.minimize`` as ``jac``, and ``s2sad.hvp(rosenbrock)``, called as
``hvp(x, p)``, is exactly the ``hessp(x, p)`` that method "Newton-CG" expects: the
Hessian-vector product by forward mode over the reverse-mode gradient, with no Hessian
formed. Both are first checked against SciPy's hand-written ``rosen_der`` and
``rosen_hess_prod``; then Newton-CG and BFGS each find the minimum, the all-ones vector.

Run: python examples/rosenbrock_scipy.py [--fast]
"""

from __future__ import annotations

import sys

import numpy as np
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess_prod

import s2sad


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def check_against_scipy(dimension: int, points: int, rng) -> None:
    gradient, hessian_vector = s2sad.grad(rosenbrock), s2sad.hvp(rosenbrock)
    worst_gradient = worst_product = 0.0
    for _ in range(points):
        x, p = rng.uniform(-2.0, 2.0, size=dimension), rng.standard_normal(dimension)
        assert np.isclose(rosenbrock(x), rosen(x), rtol=1e-13)
        g, expected_g = gradient(x), rosen_der(x)
        hp, expected_hp = hessian_vector(x, p), rosen_hess_prod(x, p)
        assert np.allclose(g, expected_g, rtol=1e-10, atol=1e-10), (g, expected_g)
        assert np.allclose(hp, expected_hp, rtol=1e-10, atol=1e-10), (hp, expected_hp)
        worst_gradient = max(worst_gradient, np.max(np.abs(g - expected_g)))
        worst_product = max(worst_product, np.max(np.abs(hp - expected_hp)))
    print(f"at {points} random points: largest difference from rosen_der {worst_gradient:.1e}, "
          f"from rosen_hess_prod {worst_product:.1e}")


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    dimension = 10
    check_against_scipy(dimension, points=5 if fast else 100, rng=rng)

    starts = [np.full(dimension, -1.2)] + [rng.uniform(-2.0, 2.0, size=dimension)
                                           for _ in range(0 if fast else 4)]
    options = {
        "Newton-CG": {"jac": s2sad.grad(rosenbrock), "hessp": s2sad.hvp(rosenbrock),
                      "options": {"xtol": 1e-10}},
        "BFGS": {"jac": s2sad.grad(rosenbrock), "options": {"gtol": 1e-8}},
    }
    print(f"minimize(rosenbrock, x0, ...) in {dimension} dimensions")
    for x0 in starts:
        print(f"  from x0 = {np.array2string(x0, precision=2, max_line_width=200)}")
        for method, keywords in options.items():
            result = minimize(rosenbrock, x0, method=method, **keywords)
            error = np.max(np.abs(result.x - 1.0))
            products = f", {result.nhev} Hessian-vector products" if "nhev" in result else ""
            print(f"    {method:9}: {result.nit:3} iterations, {result.njev:3} gradients"
                  f"{products}; max |x - 1| = {error:.1e}")
            assert result.success and error < 1e-5, (method, result)
    print("both methods find the minimum at the all-ones vector: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
