"""Multidimensional scaling by gradient descent: points back from their distances.

Random 2-D points give a distance matrix D. Starting from random coordinates W, gradient
descent with s2sad.grad on the squared-distance stress ("S-stress")

    stress(W) = mean_ij (||W_i - W_j||^2 - D_ij^2)^2

recovers coordinates whose pairwise distances match D. The points themselves come back only
up to a rotation, reflection and translation, so they are compared with the true ones after
an orthogonal Procrustes alignment. With matplotlib installed, the true and the aligned
recovered points are plotted to examples/output/mds.png.

Run: python examples/mds.py [--fast]
"""

from __future__ import annotations

import sys

import numpy as np
from _plotting import pyplot, save

import s2sad


def pairwise_squared_distances(W):
    difference = W[:, None, :] - W[None, :, :]
    return np.sum(difference**2, axis=-1)


def stress(W, D):
    return np.mean((pairwise_squared_distances(W) - D**2) ** 2)


def gradient_descent(D, W, steps: int, learning_rate: float, report_every: int):
    stress_grad = s2sad.value_and_grad(stress)
    for step in range(steps + 1):
        value, gradient = stress_grad(W, D)
        if step % report_every == 0:
            print(f"  step {step:5}: stress {value:.3e}")
        W = W - learning_rate * gradient
    return W, value


def procrustes(X, Y):
    """Y rotated (or reflected) and translated onto X by least squares."""
    X0, Y0 = X - X.mean(axis=0), Y - Y.mean(axis=0)
    U, _, Vt = np.linalg.svd(Y0.T @ X0)
    return Y0 @ (U @ Vt) + X.mean(axis=0)


def plot(true_points, recovered) -> None:
    plt = pyplot("the plot of true and recovered points")
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.scatter(*true_points.T, s=60, facecolors="none", edgecolors="C0", label="true points")
    ax.scatter(*recovered.T, s=12, color="C1", label="recovered (after Procrustes)")
    ax.set_aspect("equal")
    ax.set_title("multidimensional scaling by gradient descent")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2)
    fig.tight_layout()
    save(fig, "mds.png", "the plot of true and recovered points")


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    n = 20 if fast else 100
    steps = 1500 if fast else 2000
    true_points = rng.uniform(-1.0, 1.0, size=(n, 2))
    D = np.sqrt(pairwise_squared_distances(true_points))
    W0 = 0.1 * rng.standard_normal((n, 2))
    print(f"recovering {n} points in the plane from their {n * (n - 1) // 2} distances")
    W, final = gradient_descent(D, W0, steps, learning_rate=n / 400, report_every=steps // 5)

    distance_error = np.max(np.abs(np.sqrt(pairwise_squared_distances(W)) - D))
    aligned = procrustes(true_points, W)
    point_error = np.max(np.linalg.norm(aligned - true_points, axis=1))
    print(f"final stress {final:.2e}; largest distance error {distance_error:.2e}; "
          f"largest point error after alignment {point_error:.2e}")
    plot(true_points, aligned)
    assert distance_error < 1e-3 and point_error < 1e-3, (distance_error, point_error)
    print("the recovered distances match D: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
