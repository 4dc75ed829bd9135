"""Derivative rules: numpy_linalg (being written)."""
