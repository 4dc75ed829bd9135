"""A two-layer tanh network trained by plain minibatch SGD on two interleaved moons.

The parameters are a dict of arrays; ``s2sad.value_and_grad(loss)(params, X, y)`` returns
the loss and a dict of gradients with the same keys, shapes and types, and SGD steps each
parameter against its gradient. The data set is generated with NumPy: two noisy
half-circles, one per class, that no straight line separates. Training reaches more than
90% accuracy on the training set (and on fresh test points).

Run: python examples/train_mlp.py [--fast]
"""

from __future__ import annotations

import sys

import numpy as np

import s2sad
from s2sad.testing import check_grads


def two_moons(n: int, noise: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in the plane and their labels, +1 on the upper moon and -1 on the
    lower one, which reaches into it."""
    angles = rng.uniform(0.0, np.pi, size=n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(angles), 1.0 - np.cos(angles))
    y = np.where(upper, np.sin(angles), 0.5 - np.sin(angles))
    X = np.stack([x, y], axis=1) + noise * rng.standard_normal((n, 2))
    return X, np.where(upper, 1.0, -1.0)


def init_params(hidden: int, rng) -> dict:
    return {
        "W1": rng.standard_normal((2, hidden)),
        "b1": np.zeros(hidden),
        "w2": rng.standard_normal(hidden) / np.sqrt(hidden),
        "b2": 0.0,
    }


def predict(params, X):
    """The logit of class +1 for each row of X."""
    h = np.tanh(X @ params["W1"] + params["b1"])
    return h @ params["w2"] + params["b2"]


def loss(params, X, y):
    """The mean logistic loss, log(1 + exp(-y z)), of labels y in {-1, +1}."""
    return np.mean(np.logaddexp(0.0, -y * predict(params, X)))


def accuracy(params, X, y) -> float:
    return float(np.mean(np.sign(predict(params, X)) == y))


def sgd(params, X, y, epochs: int, batch_size: int, learning_rate: float, rng):
    loss_and_grad = s2sad.value_and_grad(loss)
    report_every = max(1, epochs // 8)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start : start + batch_size]
            _, grads = loss_and_grad(params, X[batch], y[batch])
            params = {name: value - learning_rate * grads[name] for name, value in params.items()}
        if epoch % report_every == 0 or epoch == 1:
            print(f"  epoch {epoch:4}: loss {loss(params, X, y):.4f}, "
                  f"training accuracy {accuracy(params, X, y):.1%}")
    return params


def main(fast: bool) -> None:
    rng = np.random.default_rng(0)
    X, y = two_moons(300 if fast else 1000, noise=0.1, rng=rng)
    X_test, y_test = two_moons(1000, noise=0.1, rng=rng)
    params = init_params(hidden=16, rng=rng)
    print(f"two moons, {len(y)} training points; a 2-16-1 tanh network, "
          f"{sum(np.size(v) for v in params.values())} parameters")
    # forward mode against finite differences, reverse mode against forward mode
    check_grads(loss, (params, X[:20], y[:20]), wrt=("params",))
    print("the gradient dict agrees with finite differences")
    params = sgd(params, X, y, epochs=60 if fast else 100, batch_size=20, learning_rate=0.3,
                 rng=rng)
    train, test = accuracy(params, X, y), accuracy(params, X_test, y_test)
    print(f"final training accuracy {train:.1%}, test accuracy {test:.1%}")
    assert train > 0.9 and test > 0.9, (train, test)
    print("training accuracy is above 90%: True")


if __name__ == "__main__":
    main(fast="--fast" in sys.argv)
