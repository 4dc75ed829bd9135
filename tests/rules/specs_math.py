"""Spec rows for the math module's rules."""

import math

from tests.rules.harness import Spec

SPECS = [
    Spec(math.exp, ((),)),
    Spec(math.sin, ((),)),
    Spec(math.log, ((),), domain="positive"),
]
