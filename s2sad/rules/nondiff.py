"""Derivative rules: nondifferentiable (being written)."""
