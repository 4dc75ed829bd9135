"""Numerical checks of derivatives, for s2sad's own tests and for users."""

from s2sad.testing.check import check_grads
from s2sad.testing.rules import check_rule

__all__ = ["check_grads", "check_rule"]
