"""A called function is run again by its adjoint: the caller's reverse sweep calls
``helper_adjoint``, which recomputes what the forward sweep's ``helper_primal`` computed.
A callee drawing random numbers sees, the second time, the random states it saw the first
time (NumPy's and Python's global ones, generators given to it or held in their
attributes, generators it reaches by name), so its gradient is the gradient of the
function that ran; one whose second run still differs (an iterator's next item) is
refused where it is defined (issue 14). Every gradient here is checked against central
differences with the same draws, or the closed form: for ``x * r`` it is ``r``.
"""

import inspect
import random
import subprocess
import sys

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError, UnsupportedSyntaxError

H = 1e-6


def central(f, x):
    """Central differences of a function of one float or one array."""
    if np.ndim(x) == 0:
        return (f(x + H) - f(x - H)) / (2 * H)
    out = np.zeros(np.size(x))
    for k in range(np.size(x)):
        step = np.zeros(np.size(x))
        step[k] = H
        out[k] = (f(x + step.reshape(np.shape(x))) - f(x - step.reshape(np.shape(x)))) / (2 * H)
    return out.reshape(np.shape(x))


def noisy(x, rng):
    return x * rng.standard_normal()


def with_a_new_generator(x):
    return noisy(x, np.random.default_rng(0))


def test_a_generator_given_as_an_argument():
    draw = np.random.default_rng(0).standard_normal()
    for _ in range(3):
        assert s2sad.grad(with_a_new_generator)(1.0) == draw
    assert s2sad.grad(with_a_new_generator)(1.0) == pytest.approx(
        central(with_a_new_generator, 1.0), rel=1e-6)


def shifted_squares(x, rng):
    noise = rng.standard_normal(x.shape)
    return np.sum((x + noise) ** 2)


def array_noise(x):
    rng = np.random.default_rng(0)
    return shifted_squares(x, rng)


def test_an_array_of_draws():
    x = np.array([0.3, -0.2, 0.5])
    noise = np.random.default_rng(0).standard_normal(3)
    for _ in range(3):
        value, gradient = s2sad.value_and_grad(array_noise)(x)
        assert value == pytest.approx(np.sum((x + noise) ** 2))
        np.testing.assert_allclose(gradient, 2 * (x + noise), rtol=1e-12)
    np.testing.assert_allclose(s2sad.grad(array_noise)(x), central(array_noise, x),
                               rtol=1e-6)


GLOBAL_RNG = np.random.default_rng(7)


def noisy_global(x):
    return x * GLOBAL_RNG.standard_normal()


def global_generator(x):
    return noisy_global(x) + 0.0


def test_a_global_generator_each_call_with_its_own_draw():
    reference = np.random.default_rng(7)
    for _ in range(3):
        value, gradient = s2sad.value_and_grad(global_generator)(1.0)
        assert gradient == value == reference.standard_normal()
        # the reverse sweep put the generator back where the forward sweep left it
        assert GLOBAL_RNG.bit_generator.state == reference.bit_generator.state


class Sampler:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def draw(self, x):
        return x * self.rng.standard_normal()


SAMPLER = Sampler(3)


def method_found_when_called(x, s):
    return s.draw(x)


def method_of_a_global_instance(x):
    return SAMPLER.draw(x) * 1.0


def helper_calling_a_method(x, s):
    return s.draw(x) + 0.0


def through_a_helper(x, s):
    return helper_calling_a_method(x, s) * 2.0


def test_a_generator_held_in_an_attribute():
    for _ in range(3):
        value, gradient = s2sad.value_and_grad(method_found_when_called)(1.0, Sampler(0))
        assert gradient == value
        value, gradient = s2sad.value_and_grad(method_of_a_global_instance)(1.0)
        assert gradient == value
        value, gradient = s2sad.value_and_grad(through_a_helper)(1.0, Sampler(1))
        assert gradient == value


def monte_carlo(x):
    rng = np.random.default_rng(0)
    total = 0.0
    for _ in range(3):
        total += noisy(x, rng)
    return total


def test_monte_carlo_sum_of_helper_calls():
    draws = np.random.default_rng(0).standard_normal(3)
    for _ in range(3):
        assert s2sad.grad(monte_carlo)(1.0) == pytest.approx(np.sum(draws), rel=1e-12)
    assert s2sad.grad(monte_carlo)(1.0) == pytest.approx(central(monte_carlo, 1.0), rel=1e-6)


def numpy_global_noise(x):
    return x * np.random.randn()


def numpy_global(x):
    return numpy_global_noise(x) + 0.0


def python_random_noise(x):
    return x * random.random()


def python_random(x):
    return python_random_noise(x) + 0.0


def seeded(f, seed):
    def run(x):
        np.random.seed(seed)
        random.seed(seed)
        return f(x)
    return run


@pytest.mark.parametrize("f", [numpy_global, python_random])
def test_the_global_random_states(f):
    for seed in range(3):
        value, gradient = seeded(s2sad.value_and_grad(f), seed)(1.0)
        assert gradient == value
        assert gradient == pytest.approx(central(seeded(f, seed), 1.0), rel=1e-6)


def apply(function, x):
    return function(x) + 0.0


def through_a_function_value(x):
    return apply(noisy_global, x)


def test_a_function_value_that_draws():
    reference = np.random.default_rng(7)
    GLOBAL_RNG.bit_generator.state = reference.bit_generator.state
    for _ in range(3):
        value, gradient = s2sad.value_and_grad(through_a_function_value)(1.0)
        assert gradient == value == reference.standard_normal()


def reparameterised(mu, log_sigma, rng):
    eps = rng.standard_normal(mu.shape)
    return mu + np.exp(log_sigma) * eps


def vae_like(log_sigma):
    mu = np.array([0.1, -0.3, 0.5])
    rng = np.random.default_rng(42)
    z = reparameterised(mu, log_sigma, rng)
    return np.sum(z ** 2) + np.sum(np.exp(2 * log_sigma) - 2 * log_sigma)


def dropout(h, rng, p=0.5):
    mask = rng.uniform(size=h.shape) > p
    return h * mask / (1 - p)


def net_with_dropout(x):
    W = np.random.default_rng(3).standard_normal((6, 3))
    rng = np.random.default_rng(1)
    h = dropout(np.tanh(W @ x), rng)
    return np.sum(h ** 2)


@pytest.mark.parametrize("f", [vae_like, net_with_dropout])
def test_reparameterisation_and_dropout_in_helpers(f):
    x = np.array([0.2, -0.1, 0.3])
    for _ in range(3):
        np.testing.assert_allclose(s2sad.grad(f)(x), central(f, x), rtol=1e-6, atol=1e-8)


def squared_noise(x, rng):
    return x ** 2 * rng.standard_normal()


def second_order(x):
    return squared_noise(x, np.random.default_rng(0))


def test_second_derivatives_of_a_helper_that_draws():
    draw = np.random.default_rng(0).standard_normal()
    assert s2sad.hvp(second_order)(1.5, 1.0) == pytest.approx(2 * draw, rel=1e-12)
    assert s2sad.grad(s2sad.grad(second_order))(1.5) == pytest.approx(2 * draw, rel=1e-12)


def scale(x, it):
    return x * next(it)


def iterated(x):
    return scale(x, iter([1.0, 2.0, 3.0]))


def test_an_iterator_is_refused_where_the_callee_is_defined():
    line = inspect.getsourcelines(scale)[1]
    with pytest.raises(S2sadError, match=f"{__file__}:{line}: scale gave a different result"):
        s2sad.grad(iterated)(1.0)
    assert s2sad.jvp(iterated, (1.0,), (1.0,))[1] == 1.0  # forward mode runs it once


def checkpointed_draws(x):
    rng = np.random.default_rng(0)
    for _ in s2sad.checkpointed(range(8), 2):
        x = noisy(x, rng) + x
    return x


def test_draws_in_a_checkpointed_loop_are_refused():
    line = inspect.getsourcelines(checkpointed_draws)[1] + 2
    with pytest.raises(UnsupportedSyntaxError) as raised:
        s2sad.grad(checkpointed_draws)(1.0)
    assert raised.value.lineno == line
    assert "runs its iterations again" in str(raised.value)


def pure_helper(x, w):
    return np.tanh(w * x)


def pure_caller(x):
    total = 0.0
    for k in range(3):
        total = total + pure_helper(x, 0.5 * k)
    return total


def test_calls_of_pure_helpers_keep_their_code():
    text = s2sad.source(pure_caller, args=(0.3,))
    assert "random_states" not in text and "_y_seen" not in text
    assert s2sad.grad(pure_caller)(0.3) == pytest.approx(central(pure_caller, 0.3), rel=1e-6)


def draws_itself(x):
    return x * np.random.randn()


def test_vjp_of_a_function_that_draws():
    for seed in range(3):
        np.random.seed(seed)
        out, f_vjp = s2sad.vjp(draws_itself, 1.0)
        after = np.random.get_state()[1].copy()
        assert f_vjp(1.0) == (out,)
        np.testing.assert_array_equal(np.random.get_state()[1], after)


COUNTS = np.zeros(1)


def counting(x):
    COUNTS[0] += 1.0
    return x * COUNTS[0]


def counted(x):
    return counting(x) + 0.0


class Simulation:
    def __init__(self):
        self.t = 1.0

    def advance(self):
        self.t = self.t + 1.0


def energy_at(x, sim):
    return x * sim.t


def advanced_after_the_call(x, sim):
    a = energy_at(x, sim)
    sim.advance()
    return a


@pytest.mark.parametrize("f, args, callee", [
    (counted, (1.0,), counting),
    (advanced_after_the_call, (1.0, Simulation()), energy_at)])
def test_state_changed_since_the_first_run_is_refused(f, args, callee):
    line = inspect.getsourcelines(callee)[1]
    with pytest.raises(S2sadError, match=f"{__file__}:{line}: {callee.__name__} gave"):
        s2sad.grad(f)(*args)


def vector_noise(x, rng):
    return x * rng.standard_normal(2)


def drawing_from_a_global(x):
    return vector_noise(x, GLOBAL_RNG)


def drawing_itself_an_array(x):
    return x * np.random.randn(2)


def test_jacrev_runs_every_row_with_the_same_draws():
    x = np.ones(2)
    for _ in range(3):
        reference = np.random.default_rng(0)
        GLOBAL_RNG.bit_generator.state = reference.bit_generator.state
        jacobian = s2sad.jacrev(drawing_from_a_global)(x)
        np.testing.assert_array_equal(jacobian, np.diag(reference.standard_normal(2)))
        assert GLOBAL_RNG.bit_generator.state == reference.bit_generator.state
        np.random.seed(1)
        jacobian = s2sad.jacrev(drawing_itself_an_array)(x)
        np.random.seed(1)
        np.testing.assert_array_equal(jacobian, np.diag(np.random.randn(2)))


DRAWING_MODULE = '''\
import numpy as np

RNG = np.random.default_rng(0)


def noisy(x):
    return x * RNG.standard_normal()


def f(x):
    return noisy(x) + 0.0
'''


def test_the_command_writes_a_derivative_that_replays_the_draws(tmp_path):
    (tmp_path / "drawing.py").write_text(DRAWING_MODULE)
    done = subprocess.run([sys.executable, "-m", "s2sad", "drawing.py", "f", "-o", "out.py"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    check = ("import drawing, out, numpy as np\n"
             "reference = np.random.default_rng(0)\n"
             "for _ in range(3):\n"
             "    assert out.f_adjoint(1.0) == reference.standard_normal()\n"
             "assert drawing.RNG.bit_generator.state == reference.bit_generator.state\n")
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
