"""Adjoints that are outer products, kept factored.

The adjoint of the matrix in ``x = np.linalg.solve(A, b)`` with a vector ``b`` is the outer
product ``-u x^T`` (``u = solve(A^T, x_bar)``). Formed, it is an ``n x n`` array that the
rest of the reverse sweep multiplies and sums; kept as its two vectors, what usually
follows costs vectors too: ``M @ (l r^T) = (M l) r^T``, and ``(l r^T) * M`` summed over one
axis is ``l * (M @ r)``. A Newton step's Hessian ``X^T diag(p) X`` then gets ``p``'s
adjoint as ``-(X u) * (X x)``, as one would write it by hand.

A :class:`RankOne` behaves as the array it stands for wherever it is used: NumPy
functions, indexing and attribute reads form that array (``__array__``); only the
operations above stay factored.

>>> r = outer_columns(np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]]))
>>> r.shape, np.asarray(r)
((2, 2), array([[3., 4.],
       [6., 8.]]))
>>> unbroadcast_rank_one(r * np.ones((2, 2)), (2, 1))
array([[ 7.],
       [14.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np


def outer_columns(u: Any, x: Any) -> Any:
    """``u @ mT(x)``: for two one-column matrices the outer product of their columns, kept
    factored (:class:`RankOne`); any other arguments give the product."""
    if type(u) is np.ndarray and type(x) is np.ndarray and u.ndim == 2 and x.ndim == 2 \
            and u.shape[1] == 1 and x.shape[1] == 1 and u.dtype.kind == "f" and \
            x.dtype.kind == "f":
        return RankOne(u[:, 0], x[:, 0])
    return np.asarray(u) @ np.swapaxes(np.asarray(x), -1, -2)


class RankOne:
    """``left[:, None] * right[None, :]``, times ``factor`` elementwise when one is given."""

    __array_priority__ = 1000  # ndarray operators defer to the reflected ones below

    def __init__(self, left: np.ndarray, right: np.ndarray,
                 factor: np.ndarray | None = None) -> None:
        self.left = left
        self.right = right
        self.factor = factor
        self._dense: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.left), len(self.right))

    @property
    def dtype(self) -> np.dtype:
        parts = [self.left, self.right] + ([self.factor] if self.factor is not None else [])
        return np.result_type(*parts)

    ndim = 2

    @property
    def size(self) -> int:
        return len(self.left) * len(self.right)

    def __len__(self) -> int:
        return len(self.left)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        dense = self.dense()
        return dense if dtype is None else dense.astype(dtype, copy=False)

    def dense(self) -> np.ndarray:
        """The array this stands for (formed once)."""
        if self._dense is None:
            dense = self.left[:, None] * self.right[None, :]
            self._dense = dense if self.factor is None else dense * self.factor
        return self._dense

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        """NumPy functions see the array, except a product with a vector (``np.dot``)
        and the shape queries, which need no array."""
        if func is np.dot and len(args) == 2 and not kwargs and self.factor is None:
            a, b = args
            if a is self and type(b) is np.ndarray and b.ndim == 1:
                return self.left * (self.right @ b)
            if b is self and type(a) is np.ndarray and a.ndim == 1:
                return (a @ self.left) * self.right
        if func in (np.shape, np.ndim, np.size) and len(args) == 1 and not kwargs:
            return {np.shape: self.shape, np.ndim: 2, np.size: self.size}[func]
        return func(*formed(args), **{k: formed(v) for k, v in kwargs.items()})

    def __getattr__(self, name: str) -> Any:  # .T, .sum(), .reshape(): the array's
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.dense(), name)

    def __getitem__(self, index: Any) -> Any:
        return self.dense()[index]

    def __iter__(self):
        return iter(self.dense())

    def __repr__(self) -> str:
        return f"RankOne({self.dense()!r})"

    # -- what stays factored -----------------------------------------------------------
    def __neg__(self) -> RankOne:
        return RankOne(-self.left, self.right, self.factor)

    def __pos__(self) -> RankOne:
        return self

    def __mul__(self, other: Any) -> Any:
        if isinstance(other, (float, int)) and self.factor is None:
            return RankOne(self.left * other, self.right)
        if self.factor is None and type(other) is np.ndarray and other.shape == self.shape:
            return RankOne(self.left, self.right, other)
        return self.dense() * other

    __rmul__ = __mul__

    def __rmatmul__(self, other: Any) -> Any:
        if self.factor is None and type(other) is np.ndarray:
            if other.ndim == 2:
                return RankOne(other @ self.left, self.right)
            if other.ndim == 1:
                return (other @ self.left) * self.right
        return other @ self.dense()

    def __matmul__(self, other: Any) -> Any:
        if self.factor is None and type(other) is np.ndarray:
            if other.ndim == 2:
                return RankOne(self.left, other.T @ self.right)
            if other.ndim == 1:
                return self.left * (self.right @ other)
        return self.dense() @ other


def _on_the_array(name: str):
    def method(self: RankOne, *args: Any) -> Any:
        return getattr(self.dense(), name)(*formed(args))

    method.__name__ = name
    return method


# every other operator works on the array it stands for (unhashable, as an array is)
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__truediv__", "__rtruediv__",
              "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
              "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__abs__",
              "__bool__", "__float__", "__complex__"):
    setattr(RankOne, _name, _on_the_array(_name))
RankOne.__hash__ = None  # type: ignore[assignment]


def formed(value: Any) -> Any:
    """``value`` with every :class:`RankOne` in it (in tuples and lists too) formed: what a
    rule of the user's own gets, so that ``isinstance(g, np.ndarray)`` holds there, and
    what a NumPy function sees."""
    if type(value) is RankOne:
        return value.dense()
    if isinstance(value, (tuple, list)):
        items = [formed(v) for v in value]
        return type(value)(*items) if hasattr(type(value), "_fields") else type(value)(items)
    return value


def unbroadcast_rank_one(g: RankOne, shape: tuple) -> Any:
    """``g`` summed down to ``shape``: its rows or its columns summed stay vectors."""
    factor = g.factor
    if shape == (g.shape[0], 1):
        rows = g.right.sum() if factor is None else factor @ g.right
        return (g.left * rows)[:, None]
    if shape == (1, g.shape[1]):
        columns = g.left.sum() if factor is None else g.left @ factor
        return (g.right * columns)[None, :]
    if shape == ():
        return g.left.sum() * g.right.sum() if factor is None else g.left @ (factor @ g.right)
    return None
