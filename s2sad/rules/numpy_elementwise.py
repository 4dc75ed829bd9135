"""Derivative rules: numpy_elementwise (being written)."""
