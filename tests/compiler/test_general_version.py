"""A derivative with a specialized version (real arrays, or float scalars) builds its
general version only when something needs it: a call the specialized code hands on, a
second derivative, or the source."""

import math

import numpy as np

import s2sad
from s2sad import pipeline
from s2sad.compiler import Generated


def real_loop(z, w):
    for _ in range(3):
        z = np.tanh(z * w) + z
    return np.sum(np.abs(z) ** 2)


def scalar_loop(x, a):
    for _ in range(4):
        x = x * a + 0.1 * math.sin(x)
    return x * x


def _generated(function) -> Generated:
    """What ``s2sad.grad(function, wrt=(0, 1))`` compiled (from the cache)."""
    request = pipeline.Request("reverse", ("z", "w") if function is real_loop else ("x", "a"),
                               wrt_tuple=True, scalar_check=True)
    return pipeline.derivative(function, request)


def _complex_fd(function, args, position, eps=1e-6):
    """``dL/dRe + i dL/dIm`` of a real ``function`` by central differences."""
    value = np.asarray(args[position], dtype=complex)
    gradient = np.zeros_like(value)
    for k in np.ndindex(value.shape):
        for step in (eps, eps * 1j):
            up, down = value.copy(), value.copy()
            up[k] += step
            down[k] -= step
            plus = function(*[up if i == position else a for i, a in enumerate(args)])
            minus = function(*[down if i == position else a for i, a in enumerate(args)])
            gradient[k] += (plus - minus) / (2 * eps) * (1 if step == eps else 1j)
    return gradient


def test_complex_arguments_build_the_general_version_on_their_first_call():
    s2sad.clear_cache()
    gradient = s2sad.grad(real_loop, wrt=(0, 1))
    general = _generated(real_loop).general
    assert general is not None and not general.built
    real = (np.array([0.3, -0.5]), np.array([0.7, 0.2]))
    gradient(*real)
    assert not general.built  # real arguments take the specialized code
    z = np.array([0.3 + 0.2j, -0.5 + 0.1j])
    w = np.array([0.7 - 0.4j, 0.2 + 0.9j])
    z_bar, w_bar = gradient(z, w)
    assert general.built
    np.testing.assert_allclose(z_bar, _complex_fd(real_loop, (z, w), 0), rtol=1e-6)
    np.testing.assert_allclose(w_bar, _complex_fd(real_loop, (z, w), 1), rtol=1e-6)
    # from now on the specialized code calls the general function itself
    cells = dict(zip(gradient.__code__.co_freevars, gradient.__closure__))
    assert cells["real_loop_grad_general"].cell_contents is general.generated().function
    np.testing.assert_allclose(gradient(z, w)[0], z_bar)


def test_scalar_code_hands_arrays_to_the_general_version():
    s2sad.clear_cache()
    gradient = s2sad.grad(scalar_loop, wrt=(0, 1))
    assert not _generated(scalar_loop).general.built
    x_bar, a_bar = gradient(np.array(0.4), np.array(0.9))
    assert _generated(scalar_loop).general.built
    eps = 1e-6
    np.testing.assert_allclose(
        x_bar, (scalar_loop(0.4 + eps, 0.9) - scalar_loop(0.4 - eps, 0.9)) / (2 * eps),
        rtol=1e-6)
    np.testing.assert_allclose(
        a_bar, (scalar_loop(0.4, 0.9 + eps) - scalar_loop(0.4, 0.9 - eps)) / (2 * eps),
        rtol=1e-6)
    assert gradient(0.4, 0.9) == (x_bar, a_bar)


def test_the_source_shows_the_version_real_arguments_select():
    s2sad.clear_cache()
    gradient = s2sad.grad(real_loop, wrt=(0, 1))
    text = gradient.source
    assert text.startswith("def real_loop_grad(z, w):\n    if not all_real(z, w):\n"
                           "        return real_loop_grad_general(z, w)\n")
    assert "def real_loop_grad_general" not in text and "conj(" not in text
    assert not _generated(real_loop).general.built  # showing it builds no other version
    source = s2sad.source(scalar_loop, wrt=(0, 1))
    assert source.startswith("def scalar_loop_adjoint(x, a, y_bar=1.0):")
    assert "def scalar_loop_adjoint_general" not in source


def test_the_general_version_is_one_call_away():
    s2sad.clear_cache()
    general = s2sad.source(real_loop, wrt=(0, 1), general=True)
    assert general.startswith("def real_loop_adjoint_general(z, w, y_bar=1.0):")
    assert "conj(" in general
    z, w = np.array([0.3, -0.5]), np.array([0.7, 0.2])
    assert s2sad.source(real_loop, wrt=(0, 1), args=(z, w)).splitlines()[1] == (
        "    # for z: float64 array of shape (2,), w: float64 array of shape (2,), "
        "y_bar: float")  # the version for these shapes
    assert s2sad.source(real_loop, wrt=(0, 1), args=(z * 1j, w)) == general
    assert s2sad.source(scalar_loop, wrt=(0, 1), args=(np.array([0.4]), 0.9)).startswith(
        "def scalar_loop_adjoint_general(")
    assert s2sad.source(scalar_loop, wrt=(0, 1), args=(0.4, 0.9)).startswith(
        "def scalar_loop_adjoint(")


def test_a_second_derivative_builds_the_general_version_it_reads():
    s2sad.clear_cache()
    z = np.array([0.3, -0.5])
    w = np.array([0.7, 0.2])
    hessian = s2sad.hessian(real_loop)(z, w)
    gradient = s2sad.grad(real_loop)
    eps = 1e-6
    for k in range(2):
        step = np.eye(2)[k] * eps
        column = (gradient(z + step, w) - gradient(z - step, w)) / (2 * eps)
        np.testing.assert_allclose(hessian[:, k], column, rtol=1e-5, atol=1e-8)


shadowed_loop_grad_general = "a global of the user's own under the general version's name"


def shadowed_loop(z, w):
    for _ in range(2):
        z = np.sin(z * w) + z
    return np.sum(np.abs(z) ** 2)


def test_the_general_version_under_another_name_is_built_too():
    s2sad.clear_cache()
    gradient = s2sad.grad(shadowed_loop)
    assert "return _shadowed_loop_grad_general(z, w)" in str(gradient.source)
    z = np.array([0.3 + 0.2j, -0.5 + 0.1j])
    w = np.array([0.7 - 0.4j, 0.2 + 0.9j])
    np.testing.assert_allclose(gradient(z, w), _complex_fd(shadowed_loop, (z, w), 0),
                               rtol=1e-6)
    cells = dict(zip(gradient.__code__.co_freevars, gradient.__closure__))
    assert cells["_shadowed_loop_grad_general"].cell_contents.__name__ == \
        "shadowed_loop_grad_general"


def test_a_general_version_that_cannot_be_built_says_so_on_each_call():
    attempts = []

    def failing():
        attempts.append(1)
        raise ValueError("no rule")

    from s2sad.deferred import DeferredVersion

    stub = DeferredVersion("f_grad_general", failing)
    for _ in range(2):
        try:
            stub(1.0)
        except ValueError as error:
            assert str(error) == "no rule"
        else:
            raise AssertionError("no error")
    assert not stub.built and len(attempts) == 1  # the transformation ran once
