"""Functions that build, read and return Python containers, which every mode must
differentiate correctly.

Each entry of ``CONTAINERS_CORPUS`` is ``(function, args)``: lists built with ``append``
in loops and then indexed, stacked, turned into arrays, summed and concatenated; tuples
packed and unpacked; list comprehensions (mapping, filtering, over ``range``, ``zip`` and
``enumerate``); arguments that are (nested) tuples, lists and dicts of arrays and floats,
whose gradients come back in the same structure; and results that are tuples (nested, or
holding arrays and floats), differentiated with ``vjp`` and ``jvp``.

Filters and branches stay the same when any float argument moves by a thousandth of its
size. Ints are never perturbed.
"""

import numpy as np

# ---- lists built with append ------------------------------------------------------------


def append_then_index(x, W):
    """Hidden states appended in a loop, read back by index (negative ones too)."""
    hs = []
    h = x
    for _ in range(3):
        h = np.tanh(W @ h)
        hs.append(h)
    return np.sum(hs[0] * hs[-1]) + hs[1] @ x


def append_then_stack(x):
    """Rows appended in a loop, then np.stack."""
    rows = []
    for k in range(3):
        rows.append(np.sin(x * (k + 1.0)))
    M = np.stack(rows)
    return np.sum(M @ x) + np.sum(M[:, 0] ** 2)


def append_then_array(x):
    """Scalars appended in a loop, then np.array of the list."""
    values = []
    for i in range(x.shape[0] - 1):
        values.append(x[i] * x[i + 1])
    v = np.array(values)
    return np.sum(np.exp(v)) + v[0] * v[-1]


def append_then_python_sum(xs, c):
    """Python's sum of a list of appended scalars, and of a list of arrays."""
    energies = []
    scaled = []
    for v in xs:
        energies.append(np.sum(v**2) * c)
        scaled.append(np.sin(v) * c)
    return sum(energies) + np.sum(sum(scaled) ** 2)


def append_then_concatenate(x, y):
    """Pieces of different lengths appended, then np.concatenate."""
    parts = []
    parts.append(x)
    parts.append(np.cos(y))
    for k in range(2):
        parts.append(x[k:] * y[k])
    z = np.concatenate(parts)
    return np.sum(z**2 * np.arange(z.shape[0]))


def append_tuples(x):
    """Tuples appended to a list, unpacked when read."""
    pairs = []
    for i in range(x.shape[0]):
        pairs.append((np.sin(x[i]), x[i] ** 2))
    total = 0.0
    for s, q in pairs:
        total = total + s * q
    a, b = pairs[1]
    return total + a / (1.0 + b)


def item_assignment(x):
    """A list built by a comprehension, then one item replaced."""
    ys = [x * k for k in range(1, 4)]
    ys[1] = np.tanh(ys[1]) + ys[0]
    return np.sum(np.stack(ys) ** 2)


# ---- tuples -----------------------------------------------------------------------------


def tuple_pack_unpack(x):
    """A tuple packed, unpacked, indexed, and unpacked with a swap."""
    t = (x, np.sin(x), 2.0)
    a, b, c = t
    a, b = b, a
    return np.sum(a * b * c) + t[1][0] * np.sum(t[0])


# ---- list comprehensions ------------------------------------------------------------------


def comprehension_map(xs):
    """[np.sin(v) for v in xs] over a list argument."""
    ys = [np.sin(v) for v in xs]
    return np.sum(np.stack(ys) ** 2) + np.sum(ys[0] * ys[1])


def comprehension_filter(xs, w):
    """A comprehension with an if filter on the data."""
    kept = [v * w for v in xs if np.sum(v) > 0.0]
    return np.sum(np.array(kept) ** 2) + len(kept) * w


def comprehension_range(x, n):
    """A comprehension over range(n), an int argument."""
    terms = [x[i] * x[n - 1 - i] for i in range(n)]
    return np.sum(np.exp(np.array(terms) * 0.5))


def comprehension_zip_enumerate(xs, ys):
    """Comprehensions over zip and enumerate."""
    dots = [np.dot(a, b) for a, b in zip(xs, ys)]
    weighted = [(i + 1.0) * np.sum(a**2) for i, a in enumerate(xs)]
    return sum(dots) * sum(weighted)


def nested_comprehension(x):
    """A comprehension inside a comprehension: a matrix of pairwise terms."""
    rows = [[np.sin(x[i] - x[j]) for j in range(x.shape[0])] for i in range(x.shape[0])]
    return np.sum(np.array(rows) ** 2 * np.arange(x.shape[0]))


# ---- structured arguments ------------------------------------------------------------------


def nested_tuple_params(params, x):
    """An MLP whose parameters are a tuple of (W, b) tuples."""
    h = x
    for W, b in params:
        h = np.tanh(W @ h + b)
    return np.sum(h**2)


def list_of_arrays(xs):
    """A list argument, read by index and by iteration."""
    total = np.sum(xs[0] * xs[-1])
    for v in xs:
        total = total + np.sum(np.sin(v))
    return total


def dict_params(params, x):
    """A dict of arrays and a float, read by key."""
    z = params["W"] @ x + params["b"]
    return np.sum(np.tanh(z) ** 2) * params["scale"]


def dict_of_lists(params, x):
    """A dict holding a list of arrays and a tuple."""
    h = x
    for W in params["layers"]:
        h = np.tanh(W @ h)
    shift, scale = params["affine"]
    return np.sum((h - shift) ** 2) * scale


def dict_built_inside(x):
    """A dict built inside the function and read back by key."""
    d = {"a": np.sin(x), "b": x * x}
    d["c"] = d["a"] * d["b"]
    return np.sum(d["c"]) + np.sum(d["a"] ** 2)


# ---- tuple results -------------------------------------------------------------------------


def tuple_result(x, y):
    """A scalar and an array."""
    return np.sum(x * y), x * np.cos(y)


def nested_tuple_result(x):
    """A nested tuple with an array, a tuple of a scalar and an array, and a Python float."""
    s = float(np.sum(x**2))
    return (np.sin(x), (s, np.cos(x) * s), s * 2.0)


def rnn_states(xs, params):
    """A recurrent net over a list of inputs with dict parameters; returns the last state
    and the stacked states."""
    h = np.zeros(params["W"].shape[0])
    states = []
    for x in xs:
        h = np.tanh(params["W"] @ h + params["U"] @ x)
        states.append(h)
    return h, np.stack(states)


# ---- the corpus ------------------------------------------------------------------------

_R = np.random.default_rng(5)


def _mat(*shape):
    return np.round(_R.standard_normal(shape) * 0.5, 3)


_X3 = np.array([0.5, -0.7, 1.2])
_Y3 = np.array([0.9, 0.1, -0.3])

CONTAINERS_CORPUS = [
    # lists built with append
    (append_then_index, (_X3, _mat(3, 3))),
    (append_then_stack, (_X3,)),
    (append_then_array, (np.array([0.5, -0.7, 1.2, 0.3]),)),
    (append_then_python_sum, ([_mat(2, 3), _mat(2, 3), _mat(2, 3)], 0.7)),
    (append_then_concatenate, (_X3, _Y3)),
    (append_tuples, (_X3,)),
    (item_assignment, (_X3,)),
    # tuples
    (tuple_pack_unpack, (_X3,)),
    # list comprehensions
    (comprehension_map, ([_mat(3), _mat(3), _mat(3)],)),
    (comprehension_filter, ([np.array([0.5, 0.7]), np.array([-0.5, 0.1]), _mat(2) + 1.0], 0.6)),
    (comprehension_range, (np.array([0.5, -0.7, 1.2, 0.3, 0.8]), 4)),
    (comprehension_zip_enumerate, ([_mat(3), _mat(3)], [_mat(3), _mat(3)])),
    (nested_comprehension, (np.array([0.5, -0.7, 1.2, 0.3]),)),
    # structured arguments
    (nested_tuple_params, (((_mat(4, 3), _mat(4)), (_mat(2, 4), _mat(2))), _X3)),
    (list_of_arrays, ([_mat(3), _mat(3), _mat(3)],)),
    (dict_params, ({"W": _mat(2, 3), "b": _mat(2), "scale": 1.5}, _X3)),
    (dict_of_lists, ({"layers": [_mat(4, 3), _mat(2, 4)], "affine": (_mat(2), 0.8)}, _X3)),
    (dict_built_inside, (_X3,)),
    # tuple results
    (tuple_result, (_X3, _Y3)),
    (nested_tuple_result, (_X3,)),
    (rnn_states, ([_mat(2), _mat(2), _mat(2)], {"W": _mat(3, 3), "U": _mat(3, 2)})),
]
