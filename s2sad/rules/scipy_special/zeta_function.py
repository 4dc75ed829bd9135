"""Rules for the Hurwitz zeta function ``scipy.special.zeta(x, q)`` in ``q`` (digamma's
derivative is ``zeta(2, q)``, so this gives digamma its second and higher derivatives):
``d zeta(x, q) / dq = -x zeta(x + 1, q)``. It has no closed-form derivative in ``x``,
which is rejected by the compiler."""

from scipy.special import zeta

from s2sad.rules.derivative import real_derivative


@real_derivative(zeta, "q", unbroadcast=True)
def zeta_q(ans, x, q):
    return -x * zeta(x + 1, q)
