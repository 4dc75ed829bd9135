"""Functions that call the user's own Python functions, which every mode must differentiate
correctly.

Each entry of ``CALLS_CORPUS`` is ``(function, args)``. The callees are module-level
helpers of this module, helpers imported from ``helpers_for_calls`` (as a module attribute
and by ``from ... import``), functions defined inside the caller (closing over its local
variables and arguments), lambdas bound to a name, methods of a class defined here, and
recursive functions. Calls use positional, keyword and default arguments, ``*args`` and
``**kwargs``; helpers return several values; one helper is called with different arguments
active; helpers have loops and branches and call other helpers.

Every branch, loop trip count and recursion depth stays the same when any float argument
moves by a thousandth of its size. Ints, index arrays and objects are never perturbed.
"""

import math

import numpy as np

import tests.compiler.helpers_for_calls as hc
from tests.compiler.helpers_for_calls import rbf, smooth_abs

# ---- module-level helpers ---------------------------------------------------------------


def softplus(v):
    return np.log1p(np.exp(v))


def scaled_sin(a, b, scale=2.0, shift=0.0):
    return np.sin(a) * b * scale + shift


def moments(v):
    """Two results: the mean and the variance."""
    m = np.mean(v)
    return m, np.mean((v - m) ** 2)


def bilinear(a, b):
    return np.sum(np.sin(a) * b**2)


def sum_squares(*vs):
    total = 0.0
    for v in vs:
        total = total + np.sum(v * v)
    return total


def combine(a, scale, shift=0.0):
    return a * scale + shift


def forward_kwargs(a, **kwargs):
    """Passes its keyword arguments through to another helper."""
    return combine(a, **kwargs)


def forward_args(*args):
    """Passes its positional arguments through to another helper."""
    return sum_squares(*args)


def affine(x, *, slope, intercept=0.0):
    """Keyword-only parameters."""
    return slope * x + intercept


def power(x, n):
    """Recursion to a depth given by an int."""
    return 1.0 if n == 0 else x * power(x, n - 1)


def halve(x):
    """Recursion to a depth that depends on a float value: halving until below 1."""
    if x < 1.0:
        return math.sin(x)
    return halve(x / 2.0) * x + 0.1 * x


def continued_fraction(x, depth):
    """x + 1/(x + 1/(x + ...)), recursively."""
    if depth == 0:
        return x
    return x + 1.0 / continued_fraction(x, depth - 1)


def tree_reduce(v):
    """Recursion over halves of an array: the depth follows the array's length."""
    if v.shape[0] == 1:
        return v[0] ** 2
    h = v.shape[0] // 2
    return 0.5 * tree_reduce(v[:h]) + np.sin(tree_reduce(v[h:]))


def clipped_steps(v, theta, n):
    """A helper with a loop and a branch in it."""
    for _ in range(n):
        if np.sum(v) > theta:
            v = v - 0.1 * np.tanh(v)
        else:
            v = v + 0.2 * np.sin(v)
    return v


def centered(v):
    return v - np.mean(v)


def variance(v):
    c = centered(v)
    return np.mean(c * c)


def layer_norm(v):
    """A helper calling two helpers, one of which calls the other."""
    return centered(v) / np.sqrt(variance(v) + 1e-3)


def weighted_sum(x, weights=None):
    """A ``None`` default replaced in the helper."""
    if weights is None:
        weights = np.ones_like(x)
    return np.sum(weights * x)


def newton_sqrt(a):
    """A helper with a while loop."""
    x = a if a > 1.0 else 1.0
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


class Layer:
    """A dense layer; ``forward`` reads its weights from ``self``."""

    def __init__(self, w, b):
        self.w = w
        self.b = b

    def forward(self, x):
        return np.tanh(self.w @ x + self.b)

    def energy(self, x):
        """A method calling another method."""
        h = self.forward(x)
        return np.sum(h * h)


LAYER = Layer(
    np.array([[0.5, -0.3, 0.8], [0.2, 0.7, -0.4]]),
    np.array([0.1, -0.2]),
)


# ---- the corpus functions -------------------------------------------------------------------


def call_module_helper(x):
    """A module-level helper, twice, once on its own result."""
    return np.sum(softplus(x) * x) + np.sum(softplus(softplus(x)))


def call_imported_helpers(x, c):
    """Helpers of another module: as a module attribute, imported by name, with a
    default omitted and given, and a helper that reads its own module's globals."""
    a = hc.smooth_abs(x)
    b = smooth_abs(x - c, 0.1)
    return np.sum(a * b) + rbf(x, c) + rbf(x, 2.0 * c, width=0.5) + np.sum(
        hc.soft_threshold(x, 0.2)
    )


def closure_over_locals(x, a):
    """A nested def reading a local variable of the caller."""
    scale = a * 2.0
    offset = np.sum(x) * 0.1

    def inner(v):
        return np.sin(v * scale) + offset

    return np.sum(inner(x) * inner(x[::-1]))


def closure_over_arguments(x, w):
    """A nested def reading the caller's arguments, called on different values."""

    def energy(v):
        return np.sum((v - w) ** 2 * x)

    return energy(x) + energy(x * x) * energy(np.sin(w))


def lambda_helpers(x, c):
    """Lambdas bound to names, one closing over an argument."""
    sq = lambda t: t * t  # noqa: E731
    shifted = lambda t, k=1.0: np.exp(-(t - c) * k)  # noqa: E731
    return np.sum(sq(np.sin(x)) + sq(x) * shifted(x)) + np.sum(shifted(x, k=c))


def keywords_and_defaults(x, c):
    """Defaults omitted, a keyword argument whose derivative is needed, keywords in another
    order than the parameters."""
    y = scaled_sin(x, c)
    z = scaled_sin(c, x, scale=c)
    w = scaled_sin(b=x, a=c, shift=np.sum(x))
    return np.sum(y * z + w)


def varargs_helper(x, y, z):
    """A helper with *args in its signature, called with positional arguments."""
    return sum_squares(x, y * z) * sum_squares(np.sin(z)) + sum_squares(x)


def star_args_passthrough(x, y, z):
    """*args unpacked at the call, and passed on by the helper with *args."""
    parts = (x, y * z)
    return forward_args(*parts) + forward_args(x, np.sin(z)) * z


def kwargs_passthrough(x, y, z):
    """**kwargs unpacked at the call, and passed on by the helper with **kwargs."""
    options = {"scale": y, "shift": z}
    t = forward_kwargs(x, **options)
    u = forward_kwargs(y, scale=2.0)
    return np.sum(t * u) + np.sum(forward_kwargs(x, scale=z, shift=y) ** 2)


def keyword_only_arguments(x, m):
    """A helper with keyword-only parameters, the default once omitted."""
    return np.sum(np.tanh(affine(x, slope=m, intercept=0.5)) + affine(x, slope=2.0) ** 2 * m)


def tuple_results(x):
    """A helper returning two values, unpacked at the call site; and the tuple kept whole."""
    mean, var = moments(x)
    z = (x - mean) / np.sqrt(var + 1.0)
    both = moments(z * z)
    return np.sum(z**3) + both[0] * both[1]


def swapped_roles(x, c):
    """The same helper called with different arguments active: helper(x, c), helper(c, x),
    and helper(x, x)."""
    return bilinear(x, c) + bilinear(c, x) * bilinear(x, x)


def integer_power(x, n):
    """Recursion with an int depth, applied to an array."""
    return np.sum(power(x, n) * x)


def halving_recursion(x, w):
    """Recursion whose depth depends on the float argument's value."""
    return halve(x) * w + halve(w * w)


def continued_fraction_of_sum(x, depth):
    return continued_fraction(np.sum(x * x), depth) * x[0]


def recursive_halves(x):
    return tree_reduce(np.sin(x) + x)


def method_of_module_instance(x):
    """A method of a module-level instance, reading ``self.w``."""
    return np.sum(LAYER.forward(x) ** 2) + LAYER.energy(x * x)


def method_of_argument_instance(x, layer):
    """A method of an instance passed as an argument."""
    h = layer.forward(x)
    return np.sum(h * x[:2]) + layer.energy(np.cos(x))


def helper_with_loop_and_branch(x, theta):
    return np.sum(clipped_steps(x, theta, 4) ** 2) + np.sum(clipped_steps(x * theta, 5.0, 2))


def helpers_calling_helpers(x):
    """layer_norm calls centered and variance; variance calls centered."""
    y = layer_norm(x)
    return np.sum(np.tanh(y) * x) + variance(y * x)


def default_none_argument(x, w):
    """The same helper with its None default taken and replaced."""
    return weighted_sum(np.sin(x)) * weighted_sum(x, w) + weighted_sum(x, weights=w * w)


def helper_with_while_loop(a, b):
    return newton_sqrt(a * b) * a + newton_sqrt(b)


def nested_def_calling_helpers(x, c):
    """A nested def that calls a module-level helper and an imported one, and closes over an
    argument; itself called from a loop."""

    def step(v):
        return layer_norm(v) * c + smooth_abs(v)

    v = x
    for _ in range(3):
        v = step(v)
    return np.sum(v * x)


# ---- the corpus ------------------------------------------------------------------------------

_X3 = np.array([0.5, -0.7, 1.2])
_X4 = np.array([0.3, -0.8, 1.1, 0.6])

CALLS_CORPUS = [
    (call_module_helper, (_X3,)),
    (call_imported_helpers, (_X3, np.array([0.2, -0.4, 0.9]))),
    (closure_over_locals, (_X4, 0.7)),
    (closure_over_arguments, (_X3, np.array([0.9, 0.1, -0.3]))),
    (lambda_helpers, (_X3, 0.4)),
    (keywords_and_defaults, (_X3, np.array([1.1, 0.4, -0.6]))),
    (varargs_helper, (_X3, np.array([1.1, 0.4, -0.6]), 0.8)),
    (star_args_passthrough, (_X3, np.array([1.1, 0.4, -0.6]), 0.8)),
    (kwargs_passthrough, (_X3, np.array([1.1, 0.4, -0.6]), 0.8)),
    (keyword_only_arguments, (_X3, 0.6)),
    (tuple_results, (_X4,)),
    (swapped_roles, (_X3, np.array([1.1, 0.4, -0.6]))),
    (power, (1.3, 4)),
    (integer_power, (_X3, 3)),
    (integer_power, (_X3, 0)),
    (halving_recursion, (5.3, 1.3)),
    (halving_recursion, (0.7, 0.5)),
    (continued_fraction_of_sum, (_X3, 4)),
    (recursive_halves, (np.array([0.3, -0.8, 1.1, 0.6, 0.2]),)),
    (method_of_module_instance, (_X3,)),
    (method_of_argument_instance, (_X3, Layer(np.array([[0.4, 0.1, -0.6], [0.3, -0.5, 0.2]]),
                                              np.array([0.05, 0.3])))),
    (helper_with_loop_and_branch, (np.array([0.4, -0.9, 0.3]), 0.1)),
    (helpers_calling_helpers, (_X4,)),
    (default_none_argument, (_X3, np.array([0.9, 0.1, -0.3]))),
    (helper_with_while_loop, (2.0, 1.5)),
    (nested_def_calling_helpers, (_X3, 0.8)),
]
