"""Vector forward transform (``VectorForwardTransform``) on a prepared function, before the
optimizer."""

from tests.stages.helpers import expected, text, transformed

PRODUCT = """
    def f(x, y):
        z = x * y
        return np.sin(z)
"""


def check(source, wrt, mode, after, optimize=False):
    definition, _ = transformed(source, wrt, mode, optimize)
    assert text(definition) == expected(after)
    return definition


def test_vector_mode_aligns_and_fits_batched_tangents_unless_shapes_are_proven():
    check(PRODUCT, ["x"], "vector", """
        def f_vector(x, y, x_dot):
            _directions = directions(x_dot)
            z = x * y
            z_dot = fit(align(x_dot, x, z) * y, z, _directions)
            _y = np.sin(z)
            _y_dot = fit(np.cos(z) * align(z_dot, z, _y), _y, _directions)
            return _y, _y_dot
    """)
    check(PRODUCT, ["x"], "vector", """
        def f_vector(x, y, x_dot):
            _directions = directions(x_dot)
            z = x * y
            z_dot = fit(align(x_dot, x, z) * y, z, _directions)
            _y = np.sin(z)
            _y_dot = np.cos(z) * z_dot
            return _y, _y_dot
    """, optimize=True)


def test_a_rule_without_a_batched_form_runs_once_per_direction():
    check("""
        def f(x, i):
            y = np.sort(x)
            return y[i] * 2.0
    """, ["x"], "vector", """
        def f_vector(x, i, x_dot):
            y = np.sort(x)
            y_dot = stack_directions([permute(_direction, sort_permutation(x, -1, None), -1) for _direction in split_directions(x_dot)])
            _t1 = y[i]
            _t1_dot = batch_getitem(y_dot, i)
            _y = _t1 * 2.0
            _y_dot = 2.0 * _t1_dot
            return _y, _y_dot
    """, optimize=True)  # noqa: E501
