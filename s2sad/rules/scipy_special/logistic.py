"""Rules for ``scipy.special``'s logistic function and its relatives (``expit``, ``logit``,
``log_expit``, ``softplus`` where SciPy has it)."""

from scipy.special import expit, log_expit, logit

from s2sad.rules.derivative import real_derivative

try:  # SciPy >= 1.15
    from scipy.special import softplus
except ImportError:  # pragma: no cover - older SciPy
    softplus = None


@real_derivative(expit)
def expit_x(ans, x):
    return ans * (1 - ans)


@real_derivative(logit, divide=True)
def logit_x(ans, x):
    return x * (1 - x)


@real_derivative(log_expit)
def log_expit_x(ans, x):
    return expit(-x)


if softplus is not None:

    @real_derivative(softplus)
    def softplus_x(ans, x):
        return expit(x)
