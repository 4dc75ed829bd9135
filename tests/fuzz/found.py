"""Programs the generated-program tests found failing, kept as they were drawn (shrunk as
far as the search went); the tests are in ``test_regressions.py``."""
# ruff: noqa: E501, UP034, B007

import math

import numpy as np


def h_closure(u):
    return 0.7 * np.cos(u) + u


def none_times_none(a, x, y, z):
    zz = np.tanh(z) * 0.5
    acc = 0.0
    for i1 in range(1):
        t2 = math.tanh(math.sin((a + a)))
        if a < -0.15:
            return acc + 0.1 * (np.tanh(a) + np.tanh(t2)) + 0.1 * np.sum(np.sin(x) + np.sin(y) + np.sin(zz))
        else:
            t2 = math.tanh(a)
        if a < 0.10:
            break
        acc = acc + 0.1 * (np.tanh(t2))
    for i3 in range(2):
        t4 = (np.sum(np.flip(zz)) / (1.0 + np.sum(np.flip(zz)) * np.sum(np.flip(zz))))
        if (a * zz[2]) > 0.15:
            t5, t6 = math.sin(0.5), math.tanh(t4)
            p7 = (((np.sum(np.tanh(zz)) * (a * a)) / (1.0 + (np.sum(np.tanh(zz)) * (a * a)) * (np.sum(np.tanh(zz)) * (a * a)))), a)
            acc = acc + 0.1 * (np.tanh(t6) + np.tanh(t5) + np.tanh(p7[0]))
        elif a < 0.15:
            return acc + 0.1 * (np.tanh(a) + np.tanh(t4)) + 0.1 * np.sum(np.sin(x) + np.sin(y) + np.sin(zz))
        else:
            t4 = 0.6 * t4 + 0.4 * math.sin(a)
        acc = acc + 0.1 * (np.tanh(t4))
    else:
        acc += 0.10 * math.tanh(h_closure(float(a)))
    t8, t9 = math.tanh(a), math.sin(a)
    if ((-0.3 if np.sum(np.asarray(zz, dtype=np.float32)) >= -0.40 else math.pi / 4) <= 0.05 or 1.25 > -0.40):
        l10 = [math.sin(t9), math.log(1.0 + a * a)]
        acc = acc + 0.1 * (math.tanh(sum(l10)))
    elif (zz @ zz) <= -0.30:
        acc += 0.15 * math.sin(t9)
        t8 = np.tanh((-0.3 * math.sqrt(1.0 + t9 * t9)))
    else:
        v11 = np.sin(np.flip(np.ones(3)))
        l12 = [((min(a, a) if zz[-1] < 0.50 else (zz[2] / (1.5 + math.cos(a)))) / (1.0 + (min(a, a) if zz[-1] < 0.50 else (zz[2] / (1.5 + math.cos(a)))) * (min(a, a) if zz[-1] < 0.50 else (zz[2] / (1.5 + math.cos(a)))))), min(zz[-1], v11[0])]
        acc = acc + 0.1 * (np.sum(np.tanh(v11)) + math.tanh(sum(l12)))
    t9 = math.tanh(t9)
    return acc + 0.1 * (np.tanh(a) + np.tanh(t9) + np.tanh(t8)) + 0.1 * np.sum(np.sin(x) + np.sin(y) + np.sin(zz))

