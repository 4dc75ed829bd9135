"""Rules for ``scipy.special``'s Bessel functions, in their argument ``z`` only."""

import numpy as np
from scipy.special import (
    i0,
    i0e,
    i1,
    i1e,
    iv,
    ive,
    j0,
    j1,
    jv,
    k0,
    k0e,
    k1,
    k1e,
    kv,
    kve,
    y0,
    y1,
    yv,
)

from s2sad.rules.derivative import real_derivative

# J' = (J_{v-1} - J_{v+1}) / 2 (Y alike), I' = (I_{v-1} + I_{v+1}) / 2,
# K' = -(K_{v-1} + K_{v+1}) / 2; the exponentially scaled ones add their scale's derivative.


@real_derivative(j0)
def j0_x(ans, x):
    return -j1(x)


@real_derivative(j1)
def j1_x(ans, x):
    return (j0(x) - jv(2, x)) / 2


@real_derivative(jv, "z", unbroadcast=True)
def jv_z(ans, v, z):
    return (jv(v - 1, z) - jv(v + 1, z)) / 2


@real_derivative(y0)
def y0_x(ans, x):
    return -y1(x)


@real_derivative(y1)
def y1_x(ans, x):
    return (y0(x) - yv(2, x)) / 2


@real_derivative(yv, "z", unbroadcast=True)
def yv_z(ans, v, z):
    return (yv(v - 1, z) - yv(v + 1, z)) / 2


@real_derivative(i0)
def i0_x(ans, x):
    return i1(x)


@real_derivative(i1)
def i1_x(ans, x):
    return (i0(x) + iv(2, x)) / 2


@real_derivative(iv, "z", unbroadcast=True)
def iv_z(ans, v, z):
    return (iv(v - 1, z) + iv(v + 1, z)) / 2


@real_derivative(i0e)
def i0e_x(ans, x):
    return i1e(x) - np.sign(x) * ans


@real_derivative(i1e)
def i1e_x(ans, x):
    return (i0e(x) + ive(2, x)) / 2 - np.sign(x) * ans


@real_derivative(ive, "z", unbroadcast=True)
def ive_z(ans, v, z):
    return (ive(v - 1, z) + ive(v + 1, z)) / 2 - np.sign(z) * ans


@real_derivative(k0)
def k0_x(ans, x):
    return -k1(x)


@real_derivative(k1)
def k1_x(ans, x):
    return -(k0(x) + kv(2, x)) / 2


@real_derivative(kv, "z", unbroadcast=True)
def kv_z(ans, v, z):
    return -(kv(v - 1, z) + kv(v + 1, z)) / 2


@real_derivative(k0e)
def k0e_x(ans, x):
    return ans - k1e(x)


@real_derivative(k1e)
def k1e_x(ans, x):
    return ans - (k0e(x) + kve(2, x)) / 2


@real_derivative(kve, "z", unbroadcast=True)
def kve_z(ans, v, z):
    return ans - (kve(v - 1, z) + kve(v + 1, z)) / 2
